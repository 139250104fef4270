"""The Python side of the drawing widgets: the pad, the prediction bars, filters and feature maps.

What the browser does is tested in tests/e2e; here the pad is driven as the browser drives it
(its ``pixels`` state arriving as a memoryview) or from Python with ``set_image``.
"""

import re
import struct

import numpy as np
import pytest
import traitlets

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data
from tutorflow.widgets.drawing_pad import STATIC, DrawingPad, render_strokes
from tutorflow.widgets.feature_maps import FeatureMaps, FilterGrid
from tutorflow.widgets.images import mosaic, to_png
from tutorflow.widgets.predictions import (
    EMPTY_MESSAGE,
    NO_GUESS,
    LivePredictor,
    PredictionBars,
    as_classifier,
)


@pytest.fixture(scope="module")
def seven():
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=False)
    assert mnist.test.labels[0] == 7
    return mnist.test.images[0].reshape(28, 28)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def aligned_correlation(a, b):
    shifts = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    return max(np.corrcoef(np.roll(a, s, axis=(0, 1)).ravel(), b.ravel())[0, 1] for s in shifts)


# --- the drawing pad --------------------------------------------------------------------------


def test_a_new_pad_is_blank():
    pad = DrawingPad()
    assert repr(pad) == "DrawingPad(size=280, brush=20)"
    assert pad.image.shape == (280, 280) and pad.image.dtype == np.uint8
    assert not pad.image.any()
    assert pad.digit is None and pad.steps is None


def test_the_browser_code_ships_with_the_package():
    pad = DrawingPad()
    assert "export default { render }" in pad._esm
    assert (STATIC / "drawing_pad.js").read_text() == pad._esm
    assert ".tf-drawing-pad canvas" in pad._css


def test_ink_arriving_from_the_browser_becomes_image_and_digit():
    pad = DrawingPad()
    seen = []
    pad.on_draw(seen.append)
    ink = np.zeros((280, 280), dtype=np.uint8)
    ink[40:240, 130:150] = 255  # one vertical stroke: a "1"
    pad.set_state({"pixels": memoryview(ink.tobytes())})  # what a stroke's end sends
    assert seen == [pad]
    assert np.array_equal(pad.image, ink)
    assert pad.steps.box == (40, 240, 130, 150)
    assert pad.digit.shape == (28, 28)
    assert np.array_equal(pad.digit[4:24, 14:16], np.ones((20, 2)))  # 200x20 scaled to 20x2
    assert pad.digit.sum() == 40


def test_set_image_puts_an_mnist_digit_on_the_canvas_and_it_comes_back(seven):
    pad = DrawingPad()
    pad.set_image(seven)
    assert len(pad.pixels) == 280 * 280
    assert pad.image[5:275, 5:275].any() and pad.image.max() >= 250
    assert aligned_correlation(pad.digit, seven) > 0.95


def test_set_image_takes_dark_ink_and_non_square_images():
    pad = DrawingPad(size=100)
    paper = np.full((50, 100, 3), 255, dtype=np.uint8)
    paper[10:40, 20:30] = 0  # a black bar on white paper, in a wide image
    pad.set_image(paper, ink="dark")
    assert pad.image.shape == (100, 100)
    rows, cols = np.nonzero(pad.image)
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (35, 64, 20, 29)


def test_clear_and_removing_a_callback():
    pad = DrawingPad()
    calls = []
    pad.on_draw(calls.append)
    pad.set_image(np.eye(28))
    pad.clear()
    assert pad.digit is None and not pad.image.any() and len(pad.pixels) == 280 * 280
    assert len(calls) == 2
    pad.on_draw(calls.append, remove=True)
    pad.set_image(np.eye(28))
    assert len(calls) == 2


def test_strokes_are_drawn_as_round_capped_lines_brush_wide():
    ink = render_strokes([[(50, 100), (150, 100)]], size=200, brush=20) / 255
    assert ink[100, 100] == 1 and ink[100, 41] == 1 and ink[100, 165] == 0
    assert ink[91, 100] == 1 and ink[88, 100] == 0  # the line is 20 pixels wide
    assert abs(ink.sum() - (100 * 20 + np.pi * 10**2)) < 0.01 * ink.sum()  # body and round caps
    dot = render_strokes([[(30, 30)]], size=60, brush=10) / 255
    assert abs(dot.sum() - np.pi * 5**2) < 2


def test_drawing_strokes_from_python_adds_ink_over_the_drawing():
    pad = DrawingPad(size=100, brush=10)
    calls = []
    pad.on_draw(calls.append)
    pad.draw([[(50, 10), (50, 90)]])
    pad.draw([[(10, 50), (90, 50)]])  # a cross, in two strokes
    assert len(calls) == 2
    assert pad.image[50, 50] == 255 and pad.image[20, 50] == 255 and pad.image[50, 20] == 255
    assert pad.image[20, 20] == 0
    assert np.array_equal(
        pad.image,
        np.maximum(
            *[render_strokes([s], 100, 10) for s in ([(50, 10), (50, 90)], [(10, 50), (90, 50)])]
        ),
    )


# --- prediction bars --------------------------------------------------------------------------


def ink_counter(digit):
    """A fake model: the more ink, the higher the digit it guesses."""
    probabilities = np.full(10, 0.05)
    probabilities[min(9, int(digit.sum() // 20))] = 0.55
    return probabilities


def test_bars_say_draw_a_digit_until_there_is_one(seven):
    bars = PredictionBars({"counter": ink_counter, "always": lambda d: np.eye(10)[2]})
    assert str(EMPTY_MESSAGE) in bars.value and bars.value.count('data-guess=""') == 2
    assert bars.guesses == {"counter": None, "always": None}
    bars.update(seven)
    assert bars.guesses == {"counter": min(9, int(seven.sum() // 20)), "always": 2}
    assert str(EMPTY_MESSAGE) not in bars.value
    assert 'data-model="always"' in bars.value and 'data-guess="2"' in bars.value
    assert "width:100.0%" in bars.value and "55.0%" in bars.value
    bars.update(None)
    assert str(EMPTY_MESSAGE) in bars.value and bars.probabilities == {}


def test_a_session_model_is_fed_the_digit_in_its_input_shape_with_its_extra_feed():
    x = tf.placeholder(tf.float32, [None, 784])
    temperature = tf.placeholder(tf.float32)
    weights = np.zeros((784, 10), dtype=np.float32)
    weights[:, 3] = 1  # every pixel of ink votes for a 3
    probabilities = tf.nn.softmax(tf.matmul(x, weights) / temperature)
    digit = np.zeros((28, 28), dtype=np.float32)
    digit[10:12, 10:12] = 0.5  # ink sum 2
    with tf.Session() as sess:
        classify = as_classifier((sess, x, probabilities, {temperature: 2.0}))
        result = classify(digit)
    expected = np.exp(np.eye(10)[3] * 1.0)  # logit 2 / temperature 2
    assert np.allclose(result, expected / expected.sum(), atol=1e-6)


def test_a_session_model_with_an_image_shaped_input():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    probabilities = tf.nn.softmax(tf.reshape(tf.reduce_sum(x, [1, 2]) * np.eye(10)[5], [-1, 10]))
    with tf.Session() as sess:
        bars = PredictionBars((sess, x, probabilities))
        bars.update(np.ones((28, 28)))
    assert bars.guesses == {"model": 5}


def test_a_model_that_is_neither_callable_nor_a_session_tuple_is_refused():
    with pytest.raises(TypeError, match=r"a tuple \(session, input tensor"):
        PredictionBars({"bad": "lenet5"})


def four(digit):
    return np.eye(10)[4]


def test_a_model_that_outputs_nan_shows_no_guess_and_says_why(seven):
    bars = PredictionBars({"broken": lambda digit: np.full(10, np.nan), "four": four})
    bars.update(seven)
    assert bars.guesses == {"broken": None, "four": 4} and list(bars.problems) == ["broken"]
    assert bars.problems["broken"].en == (
        "it gave NaN (not a number) for this digit: its weights hold NaN, often after training "
        "with too large a learning rate"
    )
    assert "nan%" not in bars.value and bars.value.count(str(NO_GUESS)) == 1
    assert 'data-model="broken"' in bars.value and str(bars.problems["broken"]) in bars.value


@pytest.mark.parametrize(
    "output, problem",
    [
        (
            np.linspace(-50.0, 3.0, 10),
            (
                "its outputs are not probabilities: they sum to -235, and some are negative. "
                "Give the bars tf.nn.softmax(logits) rather than the logits"
            ),
        ),
        (
            np.full(10, 0.5),
            (
                "its outputs are not probabilities: they sum to 5. "
                "Give the bars tf.nn.softmax(logits) rather than the logits"
            ),
        ),
        (np.array([0.2, 0.3, 0.5]), "it gave 3 values; the bars need 10, one per digit"),
    ],
)
def test_outputs_that_are_not_ten_probabilities_are_named_not_drawn(seven, output, problem):
    bars = PredictionBars({"odd": lambda digit: output})
    bars.update(seven)
    assert bars.guesses == {"odd": None}
    assert {name: why.en for name, why in bars.problems.items()} == {"odd": problem}
    assert str(NO_GUESS) in bars.value and problem in bars.value
    assert re.findall(r">([-0-9.]+)%<", bars.value) == ["0.0"] * 10
    widths = [float(w) for w in re.findall(r"width:([-0-9.]+)%", bars.value)]
    assert widths == [0.0] * 10


def test_probabilities_within_float32_rounding_of_one_are_accepted(seven):
    probabilities = np.full(10, 0.1, np.float32)
    probabilities[0] += 1e-6
    bars = PredictionBars({"fine": lambda digit: probabilities})
    bars.update(seven)
    assert bars.guesses == {"fine": 0} and bars.problems == {}


def test_a_session_model_with_the_wrong_output_shape_is_refused_when_built():
    x = tf.placeholder(tf.float32, [None, 784])
    three = tf.nn.softmax(tf.matmul(x, tf.zeros([784, 3])))
    with tf.Session() as sess, pytest.raises(ValueError) as raised:
        PredictionBars({"three": (sess, x, three)})
    assert str(raised.value) == (
        "model 'three': its output Tensor 'Softmax:0' has shape (?, 3); "
        "the bars need 10 probabilities, one per digit"
    )


def test_a_session_model_with_a_tensor_from_another_graph_is_refused_when_built():
    other = tf.Graph()
    with other.as_default():
        x = tf.placeholder(tf.float32, [None, 784], name="x")
        probabilities = tf.nn.softmax(tf.matmul(x, tf.zeros([784, 10])))
    with tf.Session() as sess, pytest.raises(ValueError) as raised:
        PredictionBars({"lenet": (sess, x, probabilities)})
    assert str(raised.value) == (
        "model 'lenet': Tensor 'x:0' is not an element of the session's graph; run the "
        "model in a session of its own graph: tf.Session(graph=x.graph)"
    )


@pytest.mark.parametrize("options", [{"size": 0}, {"size": 27}, {"brush": 0}, {"brush": -3}])
def test_a_pad_too_small_to_draw_on_is_refused_when_built(options):
    name, value = next(iter(options.items()))
    with pytest.raises(traitlets.TraitError) as raised:
        DrawingPad(**options)
    expected = (
        f"DrawingPad size must be at least 28 pixels (an MNIST digit is 28x28), got {value}"
        if name == "size"
        else f"DrawingPad brush must be at least 1 pixel wide, got {value}"
    )
    assert str(raised.value) == expected


def test_live_predictor_updates_after_every_drawing(seven):
    pad = DrawingPad()
    live = LivePredictor(pad, {"counter": ink_counter})
    blank_seen = live.seen.value
    assert live.bars.guesses == {"counter": None}
    pad.set_image(seven)
    assert live.bars.guesses == {"counter": min(9, int(pad.digit.sum() // 20))}
    assert live.seen.value != blank_seen and png_size(live.seen.value) == (112, 112)
    pad.clear()
    assert live.bars.guesses == {"counter": None} and live.seen.value == blank_seen


# --- filters and feature maps -----------------------------------------------------------------


def test_mosaic_lays_tiles_out_in_rows_with_gaps():
    tiles = np.arange(5 * 2 * 3).reshape(5, 2, 3)
    grid = mosaic(tiles, columns=3)
    assert grid.shape == (2 * 3 - 1, 3 * 4 - 1)
    assert np.array_equal(grid[3:5, 4:7], tiles[4])
    assert np.isnan(grid[2]).all() and np.isnan(grid[3:5, 8:]).all()  # gap row, empty tile


def test_to_png_enlarges_each_pixel():
    assert png_size(to_png(np.zeros((7, 3)), scale=4)) == (12, 28)


def test_filter_grid_shows_every_filter_and_a_slider_for_input_channels():
    weights = np.random.default_rng(0).normal(size=(5, 5, 3, 10)).astype(np.float32)
    grid = FilterGrid(weights, columns=4, scale=2)
    assert grid.grid.shape == (3 * 6 - 1, 4 * 6 - 1)
    assert np.array_equal(grid.grid[6:11, 0:5], weights[:, :, 0, 4])
    assert png_size(grid.image.value) == (2 * 23, 2 * 17)
    assert (grid.image.width, grid.image.height) == ("46", "34")  # shown at its natural size
    assert grid.channel in grid.children
    first = grid.image.value
    grid.channel.value = 2
    assert np.array_equal(grid.grid[6:11, 0:5], weights[:, :, 2, 4]) and grid.image.value != first


def test_filter_grid_of_a_first_layer_has_no_channel_slider():
    grid = FilterGrid(np.ones((5, 5, 1, 32)))
    assert grid.channel not in grid.children and grid.grid.shape == (4 * 6 - 1, 8 * 6 - 1)
    with pytest.raises(ValueError, match=r"got shape \(5, 5, 32\)"):
        FilterGrid(np.ones((5, 5, 32)))


@pytest.fixture
def tiny_cnn():
    """1x1 filters keeping the ink (+1) and its negative (-1), ReLU, then 2x2 max pooling."""
    x = tf.placeholder(tf.float32, [None, 784])
    keep = tf.placeholder(tf.float32)  # stands in for dropout's keep_prob: must be fed
    image = tf.reshape(x, [-1, 28, 28, 1]) * keep
    filters = np.array([1.0, -1.0], dtype=np.float32).reshape(1, 1, 1, 2)
    conv = tf.nn.relu(tf.nn.conv2d(image, filters, strides=[1, 1, 1, 1], padding="SAME"))
    pool = tf.nn.max_pool(conv, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    with tf.Session() as sess:
        yield sess, x, {"conv": conv, "pool": pool}, {keep: 1.0}


def test_feature_maps_of_every_layer_and_the_layer_selector(tiny_cnn, seven):
    sess, x, layers, feed = tiny_cnn
    maps = FeatureMaps(sess, x, layers, feed=feed)
    assert maps.digit is None and "no digit yet" in maps.caption.value
    maps.set_digit(seven)
    assert np.allclose(maps.maps["conv"][:, :, 0], seven) and not maps.maps["conv"][..., 1].any()
    pooled = seven.reshape(14, 2, 14, 2).max(axis=(1, 3))
    assert np.allclose(maps.maps["pool"][:, :, 0], pooled)
    assert (
        maps.grid.shape == (28, 57) and "<b>conv</b>: 2 feature maps of 28x28" in maps.caption.value
    )
    assert png_size(maps.maps_image.value) == (57 * 2, 28 * 2)
    maps.layer.value = "pool"
    assert maps.grid.shape == (14, 29) and np.allclose(maps.grid[:, :14], pooled)
    assert "<b>pool</b>: 2 feature maps of 14x14" in maps.caption.value
    assert png_size(maps.maps_image.value) == (29 * 4, 14 * 4)
    assert (maps.maps_image.width, maps.maps_image.height) == ("116", "56")


def test_feature_maps_pick_test_images_or_follow_a_pad(tiny_cnn, seven):
    sess, x, layers, feed = tiny_cnn
    images = np.stack([np.zeros((28, 28)), seven]).reshape(2, 784)
    maps = FeatureMaps(sess, x, layers, feed=feed, images=images)
    assert maps.digit is not None and not maps.digit.any()
    maps.index.value = 1
    assert np.array_equal(maps.digit, seven)
    pad = DrawingPad()
    maps.follow(pad)
    pad.set_image(np.eye(28))
    assert np.array_equal(maps.digit, pad.digit)
    pad.clear()  # nothing drawn: the last digit stays on show
    assert maps.digit.any()
