"""The filter editor of notebook 07, driven from Python as a learner drives it in the browser."""

import io

import numpy as np
import pytest
from matplotlib.image import imread

from tutorflow.widgets.filter_editor import CUSTOM, PRESETS, FilterEditor, png


def reference_convolution(image: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """What tf.nn.conv2d computes with stride 1 and SAME padding, written out: each output pixel
    is the sum of the 3x3 neighbourhood around it (zeros beyond the border) times the filter's
    weights, which are not flipped (cross-correlation)."""
    height, width = image.shape
    padded = np.zeros((height + 2, width + 2))
    padded[1:-1, 1:-1] = image
    out = np.zeros((height, width))
    for row in range(height):
        for col in range(width):
            for i in range(3):
                for j in range(3):
                    out[row, col] += padded[row + i, col + j] * weights[i, j]
    return out


@pytest.fixture
def digit():
    """A stand-in digit: a bright bar with an uneven grey gradient, 28x28 in [0, 1]."""
    rng = np.random.default_rng(0)
    image = rng.random((28, 28)) * 0.2
    image[6:22, 12:16] = 1.0
    return image.astype(np.float32)


def test_starts_as_identity(digit):
    editor = FilterEditor(digit)
    assert editor.presets.value == "identity"
    np.testing.assert_array_equal(editor.filter, PRESETS["identity"])
    np.testing.assert_allclose(editor.result, digit, atol=1e-6)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_a_preset_fills_the_cells_and_filters_the_digit(digit, name):
    editor = FilterEditor(digit)
    editor.presets.value = name
    np.testing.assert_allclose(editor.filter, PRESETS[name], atol=1e-4)
    assert [cell.value for cell in editor.cells] == pytest.approx(np.ravel(PRESETS[name]), abs=1e-4)
    np.testing.assert_allclose(
        editor.result, reference_convolution(digit, editor.filter), atol=1e-5
    )


def test_filters_are_not_flipped(digit):
    """An off-centre 1 shifts the image: the top-left weight reads the pixel up and left."""
    editor = FilterEditor(digit)
    editor.filter = [[1, 0, 0], [0, 0, 0], [0, 0, 0]]
    np.testing.assert_allclose(editor.result[1:, 1:], digit[:-1, :-1], atol=1e-6)
    assert (editor.result[0] == 0).all() and (editor.result[:, 0] == 0).all()


def test_editing_one_cell_updates_the_result_and_the_menu(digit):
    editor = FilterEditor(digit, preset="sharpen")
    before = editor.filtered.value
    editor.cells[4].value = 4.0  # the centre weight
    assert editor.presets.value == CUSTOM
    expected = np.array(PRESETS["sharpen"], float)
    expected[1, 1] = 4.0
    np.testing.assert_array_equal(editor.filter, expected)
    np.testing.assert_allclose(editor.result, reference_convolution(digit, expected), atol=1e-5)
    assert editor.filtered.value != before
    assert editor.weight_sum.value == "weights sum to 0"
    assert repr(editor) == "FilterEditor(preset='custom')"
    editor.cells[4].value = 5.0
    assert editor.presets.value == "sharpen"  # back on a preset, named again


def test_assigning_a_filter(digit):
    editor = FilterEditor(digit.reshape(784))  # a flat MNIST row works too
    weights = np.arange(9, dtype=float).reshape(3, 3) - 4
    editor.filter = weights
    assert editor.presets.value == CUSTOM
    np.testing.assert_allclose(editor.result, reference_convolution(digit, weights), atol=1e-4)
    with pytest.raises(ValueError, match=r"shape \(3, 3\)"):
        editor.filter = np.ones((5, 5))


def test_png_draws_signed_images_red_and_blue_and_others_as_ink_on_paper():
    signed = np.array([[-1.0, 0.0, 2.0]])
    rgb = imread(io.BytesIO(png(signed)))[..., :3]
    assert rgb.shape == (6, 18, 3)
    blue, white, red = rgb[0, 0], rgb[0, 6], rgb[0, 12]
    assert blue[2] > blue[0] and red[0] > red[2]  # negative blue, positive red
    assert white == pytest.approx([1.0, 1.0, 1.0], abs=0.05)  # zero is (nearly) white
    unsigned = imread(io.BytesIO(png(np.array([[0.0, 0.5]]))))[..., 0]
    assert unsigned[0, 0] == pytest.approx(1.0) and unsigned[0, 6] == pytest.approx(0.0)


@pytest.mark.parametrize("image", [np.zeros(5), np.zeros((2, 3, 4)), np.zeros((0, 5))])
def test_an_image_that_is_not_grey_2d_is_refused_when_built(image):
    with pytest.raises(ValueError) as raised:
        FilterEditor(image)
    assert str(raised.value) == (
        "FilterEditor needs a grey image of shape (H, W), or a flat MNIST row of 784 values; "
        f"got shape {image.shape}"
    )


def test_an_unknown_preset_is_refused_when_built(digit):
    with pytest.raises(ValueError) as raised:
        FilterEditor(digit, preset="sharp")
    assert str(raised.value) == (
        "Unknown preset 'sharp'; choose one of 'identity', 'blur', 'sharpen', "
        "'horizontal edges', 'vertical edges', 'Laplacian'"
    )
