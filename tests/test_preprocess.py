"""Preprocessing a drawing into an MNIST digit: real MNIST digits, moved and enlarged on a big
canvas, come back as they were, centred by mass; the aspect ratio survives; bad input is refused."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutorflow.course.preprocess import (
    BOX,
    center_of_mass,
    ink_intensity,
    preprocess,
    resize_area,
    to_mnist,
)
from tutorflow.examples.tutorials.mnist import input_data


@pytest.fixture(scope="module")
def test_digits():
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=False)
    return mnist.test.images[:50].reshape(-1, 28, 28), mnist.test.labels[:50]


def enlarge(image, factor):
    """Blocky enlargement by a non-integer factor, as a zoomed screenshot looks (each pixel
    becomes a block of 4 or 5, 7 or 8... pixels); independent of the code under test."""
    rows = (np.arange(round(image.shape[0] * factor)) / factor).astype(int)
    cols = (np.arange(round(image.shape[1] * factor)) / factor).astype(int)
    return image[np.ix_(rows, cols)]


def on_canvas(image, top, left, size=280):
    canvas = np.zeros((size, size), dtype=np.float32)
    canvas[top : top + image.shape[0], left : left + image.shape[1]] = image
    return canvas


def correlation(a, b):
    return np.corrcoef(a.ravel(), b.ravel())[0, 1]


def aligned_correlation(a, b):
    """Best correlation over shifts of up to one pixel: MNIST rounded each digit's shift to whole
    pixels, and a resized copy can round the other way when its centre of mass is near a half."""
    shifts = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    return max(correlation(np.roll(a, shift, axis=(0, 1)), b) for shift in shifts)


@pytest.mark.parametrize("factor, top, left", [(7.3, 5, 60), (4.6, 140, 10), (9.1, 20, 15)])
def test_an_enlarged_shifted_mnist_digit_comes_back_as_it_was(test_digits, factor, top, left):
    images, _ = test_digits
    plain = []
    for original in images:
        digit = to_mnist(on_canvas(enlarge(original, factor), top, left))
        assert digit.shape == (28, 28) and digit.dtype == np.float32
        assert digit.min() >= 0 and digit.max() <= 1
        assert aligned_correlation(digit, original) > 0.95
        row, col = center_of_mass(digit)
        assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5
        plain.append(correlation(digit, original))
    assert np.median(plain) > 0.95 and np.mean(np.array(plain) > 0.9) >= 0.8


def test_dark_ink_on_white_rgba_paper_gives_the_same_digit(test_digits):
    original = test_digits[0][0]
    light = on_canvas(enlarge(original, 6.5), 30, 40)
    rgba = np.empty(light.shape + (4,), dtype=np.uint8)
    rgba[..., :3] = np.round(255 * (1 - light))[..., None]  # black pen on white paper
    rgba[..., 3] = 255
    assert np.allclose(to_mnist(rgba, ink="dark"), to_mnist(light), atol=0.02)


def test_transparent_rgba_pixels_are_paper():
    rgba = np.zeros((100, 100, 4), dtype=np.uint8)  # a canvas: transparent, ink drawn in black
    rgba[20:80, 45:55, 3] = 255
    steps = preprocess(rgba, ink="dark")
    assert steps.box == (20, 80, 45, 55)


def test_every_step_is_kept_and_the_aspect_ratio_survives():
    bar = np.zeros((200, 200), dtype=np.uint8)
    bar[30:130, 90:110] = 255  # 100 x 20: a "1", five times taller than wide
    steps = preprocess(bar)
    assert steps.ink.shape == (200, 200)
    assert steps.box == (30, 130, 90, 110)
    assert steps.cropped.shape == (100, 20)
    assert steps.scaled.shape == (BOX, 4)
    assert np.allclose(steps.scaled, 1)
    assert steps.center_of_mass == (9.5, 1.5)
    assert steps.offset == (4, 12)
    assert np.array_equal(steps.digit[4:24, 12:16], steps.scaled)
    assert steps.digit.sum() == steps.scaled.sum()  # nothing else in the field


@given(
    height=st.integers(1, 200),
    width=st.integers(1, 200),
    top=st.integers(0, 80),
    left=st.integers(0, 80),
)
def test_any_ink_rectangle_fills_20_pixels_keeps_its_shape_and_is_centred(height, width, top, left):
    canvas = np.zeros((300, 300), dtype=np.uint8)
    canvas[top : top + height, left : left + width] = 255
    steps = preprocess(canvas)
    assert steps.box == (top, top + height, left, left + width)
    assert max(steps.scaled.shape) == BOX
    scale = BOX / max(height, width)
    for side, scaled_side in zip((height, width), steps.scaled.shape):
        assert scaled_side == max(1, round(side * scale))  # the aspect ratio, to the pixel
    assert np.isclose(steps.digit.sum(), steps.scaled.sum(), rtol=1e-5)  # nothing cut off
    row, col = center_of_mass(steps.digit)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5


def test_area_averaging_makes_grey_edges_and_keeps_the_mean():
    image = np.zeros((10, 10), dtype=np.float32)
    image[:, :5] = 1  # left half inked
    small = resize_area(image, 3, 3)
    assert np.allclose(small[:, 0], 1) and np.allclose(small[:, 2], 0)
    assert np.allclose(small[:, 1], 0.5)  # the middle column straddles the edge
    assert np.isclose(small.mean(), image.mean())


@pytest.mark.parametrize(
    "canvas",
    [np.zeros((280, 280), np.uint8), np.full((50, 60), 0.01, np.float32), np.zeros((9, 9, 4))],
)
def test_an_empty_canvas_gives_nothing(canvas):
    assert preprocess(canvas) is None
    assert to_mnist(canvas) is None


def test_white_paper_with_dark_ink_setting_is_empty_too():
    assert to_mnist(np.full((40, 40, 3), 255, np.uint8), ink="dark") is None


@pytest.mark.parametrize(
    "canvas, error, message",
    [
        (np.zeros((28,)), ValueError, r"got shape \(28,\)"),
        (np.zeros((4, 28, 28)), ValueError, r"got shape \(4, 28, 28\)"),
        (np.zeros((0, 10)), ValueError, "the canvas is empty"),
        (np.zeros((10, 10), np.int64), TypeError, "canvas dtype must be"),
        (np.full((10, 10), 255.0), ValueError, r"finite values in \[0, 1\]"),
        (np.full((10, 10), np.nan), ValueError, r"finite values in \[0, 1\]"),
    ],
)
def test_bad_canvases_are_refused_clearly(canvas, error, message):
    with pytest.raises(error, match=message):
        preprocess(canvas)


def test_ink_must_be_light_or_dark():
    with pytest.raises(ValueError, match='ink must be "light" or "dark"'):
        ink_intensity(np.zeros((5, 5)), ink="white")
