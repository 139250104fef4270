"""Exercises of notebook 07, Convolution and pooling: filters, output sizes, parameter counts
and pooling."""

import numpy as np

import tutorflow as tf

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise


def _conv_layer(inputs, size, channels_in, channels_out):
    """One LeNet-style layer's variables and its convolution (stride 1, SAME)."""
    W = tf.Variable(tf.truncated_normal([size, size, channels_in, channels_out], stddev=0.1))
    b = tf.Variable(tf.constant(0.1, shape=[channels_out]))
    conv = tf.nn.conv2d(inputs, W, strides=[1, 1, 1, 1], padding="SAME") + b
    return conv, [W, b]


def _pool(inputs):
    return tf.nn.max_pool(inputs, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")


def _lenet_front():
    """LeNet-5's two convolution layers, built afresh: their variables and the tensors after
    each layer's pooling."""
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, 28, 28, 1])
        conv1, params1 = _conv_layer(images, 5, 1, 32)
        pool1 = _pool(tf.nn.relu(conv1))
        conv2, params2 = _conv_layer(pool1, 5, 32, 64)
        pool2 = _pool(tf.nn.relu(conv2))
    return _count(params1), _count(params2), pool1, pool2


def _count(params) -> int:
    return sum(int(np.prod(p.shape.as_list())) for p in params)


@exercise(
    kind=PREDICT,
    answer=("conv1_params", "conv2_params"),
    hints=[
        "A layer's parameters are its filter's weights plus its biases, one bias per filter.",
        "The filter of shape [5, 5, in_channels, out_channels] holds 5 · 5 · in · out weights. "
        "The second layer reads the first layer's 32 channels.",
        "conv1: 5·5·1·32 + 32. conv2: 5·5·32·64 + 64.",
    ],
    solution="conv1_params = 5 * 5 * 1 * 32 + 32\nconv2_params = 5 * 5 * 32 * 64 + 64",
    why="Counting parameters tells you where a network's size lies: in a convolution it grows "
    "with input channels × output channels, not with the image.",
    mistakes=[
        Mistake("conv1_params = 800\nconv2_params = 51200", "biases"),
        Mistake("conv1_params = 832\nconv2_params = 5 * 5 * 64 + 64", "input channels"),
        Mistake("conv1_params = 28 * 28 * 32\nconv2_params = 51264", "does not depend on"),
    ],
)
def q1(conv1_params, conv2_params):
    """How many parameters (weights and biases) do LeNet-5's two convolution layers have?"""
    expected1, expected2, _, _ = _lenet_front()
    if conv1_params == expected1 - 32 or conv2_params == expected2 - 64:
        return (
            "You counted the filter weights but not the biases: every filter also has one "
            "bias, so add 32 for conv1 and 64 for conv2."
        )
    if conv2_params in (5 * 5 * 64 + 64, 5 * 5 * 64):
        return (
            "Each of conv2's 64 filters reads all 32 input channels, so it is 5 × 5 × 32 "
            "weights, not 5 × 5: the filter's shape is [5, 5, 32, 64]."
        )
    if conv1_params in (28 * 28 * 32, 28 * 28 * 32 + 32, 24 * 24 * 32):
        return (
            "That counts outputs, not parameters. The weights are shared across the image, "
            "so a convolution's parameter count does not depend on the image size: only on "
            "the filter's shape [5, 5, 1, 32], plus a bias per filter."
        )
    return differs(conv1_params, expected1, "conv1's parameter count") or differs(
        conv2_params, expected2, "conv2's parameter count"
    )


def _conv_size(size, stride, padding):
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, 28, 28, 1])
        out = tf.nn.conv2d(images, tf.zeros([size, size, 1, 1]), [1, stride, stride, 1], padding)
    return out.shape.as_list()[1]


@exercise(
    kind=PREDICT,
    answer=("valid_size", "same_stride2_size"),
    hints=[
        'With "VALID" the 5x5 filter must fit inside the image. Along one row of 28 pixels, '
        "how many positions can its left edge take?",
        "VALID: the filter's left edge can sit at pixels 0 to 23. SAME pads the image so that "
        "every pixel is a position; the stride then keeps every other one.",
        "VALID, stride 1: 28 − 5 + 1. SAME, stride 2: 28 / 2, rounded up.",
    ],
    solution="valid_size = 24\nsame_stride2_size = 14",
    why="Every layer's output size follows from these two rules, and the first fully connected "
    "layer needs the exact size of what reaches it.",
    mistakes=[
        Mistake("valid_size = 23\nsame_stride2_size = 14", "Off by one"),
        Mistake("valid_size = 28\nsame_stride2_size = 14", "pads nothing"),
        Mistake("valid_size = 24\nsame_stride2_size = 12", "VALID with stride 2"),
        Mistake("valid_size = 24\nsame_stride2_size = 28", "every other"),
    ],
)
def q2(valid_size, same_stride2_size):
    """A 28x28 image, a 5x5 filter: output size with VALID (stride 1), and with SAME, stride 2?"""
    valid, same2 = _conv_size(5, 1, "VALID"), _conv_size(5, 2, "SAME")
    if valid_size == valid - 1:
        return (
            "Off by one: the filter fits at positions 0 to 23, which is 24 positions, 28 − 5 "
            "+ 1. (28 − 5 counts the moves between positions, not the positions.)"
        )
    if valid_size == 28:
        return (
            '28 is what "SAME" gives. "VALID" pads nothing: it keeps only positions '
            "where the whole 5x5 filter lies inside the image, so the output shrinks by 4."
        )
    if same_stride2_size == _conv_size(5, 2, "VALID"):
        return (
            '12 is VALID with stride 2 (24 positions, every other one). With "SAME" '
            "every one of the 28 pixels is a position, and stride 2 keeps half of them."
        )
    if same_stride2_size == 28:
        return (
            "SAME keeps the size only with stride 1. A stride of 2 keeps every other "
            "position, halving the size."
        )
    return differs(valid_size, valid, "the VALID output size") or differs(
        same_stride2_size, same2, "the SAME, stride 2 output size"
    )


def _steps():
    """8x8 test images: flat, a vertical edge (ink on the left, paper on the right), a horizontal
    edge. Ink is 1, paper 0, as in MNIST."""
    flat = np.ones((8, 8), np.float32)
    vertical = np.zeros((8, 8), np.float32)
    vertical[:, :4] = 1.0
    horizontal = np.zeros((8, 8), np.float32)
    horizontal[:4, :] = 1.0
    return flat, vertical, horizontal


@exercise(
    kind=EXPLORE,
    answer="ink_to_paper",
    hints=[
        'Start from the "vertical edges" preset in the editor. Where does it respond '
        "positively: where ink turns to paper going right, or where paper turns to ink?",
        "The preset subtracts the left column from the right one. To respond to ink on the left "
        "and paper on the right, subtract the right column from the left one instead.",
        "Flip the preset's signs: `[[1, 0, -1], [2, 0, -2], [1, 0, -1]]`.",
    ],
    solution="ink_to_paper = [[1, 0, -1],\n"
    "                [2, 0, -2],\n"
    "                [1, 0, -1]]",
    why="A filter is a pattern the layer looks for; its signs say which way the change must go, "
    "and weights that sum to 0 ignore flat areas.",
    mistakes=[
        Mistake("ink_to_paper = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]", "paper to ink"),
        Mistake("ink_to_paper = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]", "horizontal"),
        Mistake("ink_to_paper = [[1, 1, 0], [1, 1, 0], [1, 1, 0]]", "sum to"),
    ],
)
def q3(ink_to_paper):
    """Make a 3x3 filter that is positive where ink turns to paper going right (a stroke's right
    side), and 0 on flat areas and on horizontal edges."""
    weights = np.asarray(ink_to_paper, np.float32)
    if weights.shape != (3, 3):
        return f"The filter should be a 3x3 grid of weights; yours has shape {weights.shape}."
    graph = tf.Graph()
    with graph.as_default():
        images = tf.placeholder(tf.float32, [None, 8, 8, 1])
        filter_ = tf.constant(weights.reshape(3, 3, 1, 1))
        response = tf.nn.conv2d(images, filter_, strides=[1, 1, 1, 1], padding="VALID")
        with tf.Session() as sess:
            flat, vertical, horizontal = sess.run(
                response, {images: np.stack(_steps())[..., None]}
            )[..., 0]
    tolerance = 1e-5
    if np.abs(flat).max() > tolerance:
        return (
            f"On a flat area your filter gives {flat.max():g}, not 0: its weights sum to "
            f"{weights.sum():g}. An edge detector's weights must sum to 0, so that only "
            "changes give a response."
        )
    if np.abs(vertical).max() <= tolerance:
        return (
            "Your filter gives 0 on a vertical edge. Does it compare left with right? One "
            "that compares rows (top with bottom) finds horizontal edges instead."
        )
    if vertical.max() <= tolerance:
        return (
            f"Where ink turns to paper your filter gives {vertical.min():g}, a negative "
            "response: it detects paper to ink, going right (a stroke's left side). Flip "
            "its signs."
        )
    if vertical.min() < -tolerance:
        return (
            "Your filter responds positively at the edge but negatively just beside it: "
            "it outlines the edge instead of marking its direction. Compare a left column "
            "with a right column only."
        )
    if np.abs(horizontal).max() > tolerance:
        return (
            "It finds the vertical edge, but also responds to a horizontal one. Give every "
            "row the same pattern, so that a change from row to row does not matter."
        )
    return None


@exercise(
    kind=CODE,
    answer="max_pool_2x2",
    hints=[
        "Cut each image into 2x2 blocks. With numpy, a reshape can give each block axes of "
        "its own, without any loop.",
        "`images.reshape(n, h // 2, 2, w // 2, 2, c)`: axis 2 is the row inside a block and "
        "axis 4 the column inside it. Take the largest value over those two axes.",
        "`return images.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))` after "
        "`n, h, w, c = images.shape`.",
    ],
    solution="""
def max_pool_2x2(images):
    n, h, w, c = images.shape
    blocks = images.reshape(n, h // 2, 2, w // 2, 2, c)
    return blocks.max(axis=(2, 4))
""",
    why="Max pooling is nothing more than a maximum over small blocks, applied to each channel "
    "separately.",
    mistakes=[
        Mistake(
            "def max_pool_2x2(images):\n    n, h, w, c = images.shape\n"
            "    return images.reshape(n, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))",
            "average pooling",
        ),
        Mistake(
            "def max_pool_2x2(images):\n    n, h, w, c = images.shape\n"
            "    return images.reshape(n, h // 2, w // 2, 2, 2, c).max(axis=(3, 4))",
            "not 2x2 blocks",
        ),
        Mistake(
            "def max_pool_2x2(images):\n"
            "    return np.maximum(np.maximum(images[:, :-1, :-1], images[:, 1:, :-1]),\n"
            "                      np.maximum(images[:, :-1, 1:], images[:, 1:, 1:]))",
            "stride of 1",
        ),
        Mistake(
            "def max_pool_2x2(images):\n    n, h, w, c = images.shape\n"
            "    return images.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4, 5))",
            "channel",
        ),
    ],
)
def q4(max_pool_2x2):
    """Write `max_pool_2x2(images)` in numpy: the same as `tf.nn.max_pool` with a 2x2 window and
    stride 2, on a batch `(N, H, W, C)` with even H and W."""
    images = np.random.default_rng(7).normal(size=(2, 6, 8, 3)).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        pooled = tf.nn.max_pool(
            tf.constant(images), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID"
        )
        with tf.Session() as sess:
            expected = sess.run(pooled)
    received = max_pool_2x2(images.copy())
    if isinstance(received, tf.Tensor):
        return (
            "That returns a tensor, built with tutorflow. Write the pooling yourself in "
            "numpy, so you see what `tf.nn.max_pool` computes."
        )
    received = np.asarray(received)
    n, h, w, c = images.shape
    if received.shape == (n, h - 1, w - 1, c):
        return (
            f"Shape {received.shape}: your windows overlap, a stride of 1. With stride 2 "
            "the 2x2 blocks sit side by side and the output is half as high and wide."
        )
    if received.shape == (n, h // 2, w // 2):
        return (
            "You took the maximum across the channels too. Pooling works on each channel "
            "separately, so the channel axis stays."
        )
    if received.shape == expected.shape:
        blocks = images.reshape(n, h // 2, 2, w // 2, 2, c)
        if np.allclose(received, blocks.mean(axis=(2, 4))):
            return (
                "Those are the blocks' means: average pooling. Max pooling keeps the "
                "largest value of each block."
            )
        if np.allclose(received, images.reshape(n, h // 2, w // 2, 2, 2, c).max(axis=(3, 4))):
            return (
                "The shape is right but the values are not: `reshape(n, h // 2, w // 2, 2, "
                "2, c)` groups pixels that are not 2x2 blocks, because numpy fills the new "
                "axes in row order. Each 2 must follow the axis it splits: (n, h // 2, 2, "
                "w // 2, 2, c)."
            )
    return differs(received, expected, "the pooled batch")


@exercise(
    kind=PREDICT,
    answer="shape_after_two",
    hints=[
        "Follow one image through: a SAME convolution with stride 1 keeps its height and "
        "width, and each 2x2 max pool halves them. What sets the number of channels?",
        "The channels are the number of filters of the last convolution.",
        "28 → 14 → 7, with 64 channels, and the batch size still unknown: None.",
    ],
    solution="shape_after_two = (None, 7, 7, 64)",
    why="7 × 7 × 64 = 3136 is exactly the number of inputs LeNet-5's first fully connected "
    "layer needs; get it wrong and the reshape fails.",
    mistakes=[
        Mistake("shape_after_two = (None, 7, 7, 32)", "64 filters"),
        Mistake("shape_after_two = (None, 14, 14, 64)", "pooled twice"),
        Mistake("shape_after_two = (None, 4, 4, 64)", "SAME padding"),
        Mistake("shape_after_two = (7, 7, 64)", "batch"),
        Mistake("shape_after_two = 3136", "flatten"),
    ],
)
def q5(shape_after_two):
    """conv 5x5 (32) → ReLU → max pool 2x2 → conv 5x5 (64) → ReLU → max pool 2x2: the shape?"""
    _, _, _, pooled = _lenet_front()
    expected = tuple(pooled.shape.as_list())
    if isinstance(shape_after_two, (int, np.integer)):
        if shape_after_two == np.prod(expected[1:]):
            return (
                "3136 is the number of values per image once you flatten them, for the "
                "fully connected layer. Give the shape before flattening, batch axis "
                "included."
            )
        return differs(shape_after_two, expected, "the shape")
    try:
        answer = tuple(shape_after_two)
    except TypeError:
        return differs(shape_after_two, expected, "the shape")
    if answer == expected:
        return None
    if len(answer) == 3 and answer == expected[1:]:
        return (
            "The batch axis comes first and stays: the placeholder's `None` (any number of "
            "images) is still there after every layer."
        )
    if answer == expected[:3] + (32,):
        return (
            "The channels come from the *last* convolution: conv2 has 64 filters, so 64 "
            "channels, whatever it read."
        )
    if answer == (None, 14, 14, 64):
        return (
            "14x14 is after one pooling. The image is pooled twice, once after each "
            "convolution: 28 → 14 → 7."
        )
    if answer == (None, 4, 4, 64):
        return (
            "4x4 would come from VALID convolutions (28 → 24 → 12 → 8 → 4). LeNet-5's "
            "convolutions use SAME padding, which keeps the size; only pooling shrinks it."
        )
    return differs(answer, expected, "the shape")
