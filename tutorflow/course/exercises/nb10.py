"""Exercises of notebook 10, Inside the network: the shape of a layer's feature maps, the zeros a
ReLU leaves, how much of the digit one unit sees, and why the biases start above zero."""

import numpy as np

import tutorflow as tf
from tutorflow.course import models
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise


def _maps_shape(layer):
    """The shape of one digit's maps at ``layer`` of a LeNet-5 built afresh, batch left out."""
    with tf.Graph().as_default():
        return tuple(getattr(models.lenet5(), layer).shape.as_list()[1:])


@exercise(
    kind=PREDICT,
    answer="conv2_maps_shape",
    hints=[
        "`[0]` takes the first (and only) digit of the batch, so three numbers are left: "
        "height, width, and one map per filter.",
        "conv2 works on the output of pool1, which has already halved the 28x28 image; its "
        '"SAME" padding keeps that size. How many filters does conv2 have?',
    ],
    solution="conv2_maps_shape = (14, 14, 64)",
    why="Knowing each layer's shape lets you read the feature maps: which picture belongs to "
    "which filter, and how coarse the layer's view of the digit is.",
    mistakes=[
        Mistake("conv2_maps_shape = (28, 28, 64)", "pool1"),
        Mistake("conv2_maps_shape = (10, 10, 64)", '"SAME" padding'),
        Mistake("conv2_maps_shape = (14, 14, 32)", "one map per filter"),
        Mistake("conv2_maps_shape = (1, 14, 14, 64)", "`[0]`"),
    ],
)
def q1(conv2_maps_shape):
    """What shape has `sess.run(lenet.h_conv2, lenet.feed(digit.reshape(1, 784)))[0]`?"""
    expected = _maps_shape("h_conv2")
    try:
        shape = tuple(conv2_maps_shape)
    except TypeError:
        return f"Answer with a shape such as (5, 5, 3); received {conv2_maps_shape!r}."
    if shape == expected:
        return None
    if shape == (1,) + expected:
        return (
            "That is the shape of the whole batch of one digit. The `[0]` at the end "
            "takes that digit, leaving three dimensions."
        )
    if len(shape) == 3 and shape[2] == expected[2]:
        if shape[0] == 2 * expected[0]:
            return (
                "conv2 does not see the 28x28 image: pool1 has halved it to 14x14 first, "
                'and conv2\'s "SAME" padding keeps that size.'
            )
        if shape[0] == expected[0] - 4:
            return (
                '14 - 5 + 1 = 10 is the size with "VALID" padding. LeNet-5 uses '
                '"SAME" padding, which keeps the 14x14 of pool1.'
            )
    if len(shape) == 3 and shape[:2] == expected[:2]:
        return (
            "The size is right; the last dimension holds one map per filter of conv2, "
            "and conv2 has 64 filters (32 is the number of maps it reads)."
        )
    return differs(shape, expected, "the shape of conv2's maps")


@exercise(
    kind=CODE,
    answer="zero_fraction",
    given="import numpy as np",
    hints=[
        "`values == 0` is an array of True and False, one for each value.",
        "The mean of an array of bools is the fraction of Trues.",
        "`return float(np.mean(values == 0))`",
    ],
    solution="""
def zero_fraction(values):
    return float(np.mean(values == 0))
""",
    why="The zeros a ReLU leaves are where a filter found nothing; the fraction of them says "
    "how selective a layer is, and a layer of nothing but zeros has stopped learning.",
    mistakes=[
        Mistake("def zero_fraction(values):\n    return np.sum(values == 0)", "a count"),
        Mistake(
            "def zero_fraction(values):\n    return float(np.mean(values < 0))", "never negative"
        ),
        Mistake(
            "def zero_fraction(values):\n    return float(np.mean(values > 0))",
            "the other way round",
        ),
        Mistake("def zero_fraction(values):\n    return float(np.mean(values))", "the mean value"),
    ],
)
def q2(zero_fraction):
    """Write `zero_fraction(values)`: the fraction of the values that are exactly 0."""
    rng = np.random.default_rng(10)
    with tf.Graph().as_default(), tf.Session() as sess:
        outputs = sess.run(tf.nn.relu(tf.constant(rng.standard_normal((2, 6, 6, 8)) - 0.3)))
    expected = float(np.mean(outputs == 0))
    received = zero_fraction(outputs.copy())
    try:
        number = float(received)
    except (TypeError, ValueError):
        return f"`zero_fraction` should return one number; it returned {received!r}."
    if abs(number - expected) < 1e-6:
        return None
    if number == np.sum(outputs == 0):
        return (
            f"{number:g} is a count of zeros, not a fraction: divide by the number of "
            f"values ({outputs.size}), or take the mean of `values == 0`."
        )
    if number == 0 and (outputs < 0).sum() == 0:
        return (
            "These values come out of a ReLU, so they are never negative: the ReLU turned "
            "every negative answer into exactly 0. Count the values equal to 0."
        )
    if abs(number - (1 - expected)) < 1e-6:
        return (
            "That is the fraction of values above zero: the other way round. Count the "
            "values equal to 0."
        )
    if abs(number - float(np.mean(outputs))) < 1e-6:
        return (
            "That is the mean value, not the fraction of zeros: compare with 0 first "
            "(`values == 0`), then take the mean of those bools."
        )
    return differs(number, expected, "the fraction of zeros")


def _receptive_field():
    """The side, in pixels, of the part of the image one conv2 unit depends on: the nonzero
    part of its gradient with respect to the image. Average pooling and no ReLU, so every
    pixel in the field has a gradient (max pooling routes it to one pixel in four); the
    geometry is LeNet-5's."""
    with tf.Graph().as_default(), tf.Session() as sess:
        image = tf.placeholder(tf.float32, [1, 28, 28, 1])
        conv1 = tf.nn.conv2d(image, tf.ones([5, 5, 1, 1]), [1, 1, 1, 1], "SAME")
        pool1 = tf.nn.avg_pool(conv1, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        conv2 = tf.nn.conv2d(pool1, tf.ones([5, 5, 1, 1]), [1, 1, 1, 1], "SAME")
        unit = conv2[0, 7, 7, 0]  # a unit in the middle, far from the padding
        gradient = sess.run(
            tf.gradients(unit, image)[0], {image: np.ones((1, 28, 28, 1), np.float32)}
        )[0, :, :, 0]
    rows = np.flatnonzero(gradient.any(axis=1))
    return int(rows[-1] - rows[0] + 1)


@exercise(
    kind=PREDICT,
    answer="receptive_field",
    hints=[
        "Work backwards from one unit of conv2. It reads a 5x5 square of pool1's units. How "
        "many of conv1's units do those 5 pool1 units cover, along one side?",
        "Each pool1 unit covers 2 conv1 units, and neighbouring pool1 units are 2 apart: 5 "
        "pool1 units cover 4*2 + 2 = 10 conv1 units along a side.",
        "Each conv1 unit reads 5 pixels, and neighbouring conv1 units are 1 pixel apart: 10 "
        "conv1 units cover 9 + 5 pixels.",
    ],
    solution="receptive_field = 14",
    why="Each layer sees a larger part of the digit than the one below: a first-layer unit "
    "sees a piece of a stroke, a second-layer unit half the digit; that is how a deep network "
    "goes from strokes to shapes.",
    mistakes=[
        Mistake("receptive_field = 9", "ignored the pooling"),
        Mistake("receptive_field = 10", "conv1's own 5x5"),
        Mistake("receptive_field = 18", "doubled everything"),
        Mistake("receptive_field = 25", "do not multiply"),
    ],
)
def q3(receptive_field):
    """How many pixels wide is the part of the image that one unit of conv2 depends on?"""
    expected = _receptive_field()
    side = receptive_field
    if isinstance(side, (tuple, list)) and len(side) == 2 and side[0] == side[1]:
        side = side[0]
    if side == expected:
        return None
    if side == 9:
        return (
            "5 + 5 - 1 = 9 stacks two 5x5 convolutions directly, as if you ignored the "
            "pooling. Between them, pool1 spreads conv2's 5x5 window over 10 conv1 "
            "units, because neighbouring pool1 units are 2 apart."
        )
    if side == 10:
        return (
            "10 is how many conv1 *units* one conv2 unit depends on. Each of those reads "
            "5x5 pixels itself, 1 pixel apart: add conv1's own 5x5, 4 more pixels."
        )
    if side == 18:
        return (
            "(5 + 5 - 1) * 2 = 18 doubled everything. The pooling spreads only conv2's "
            "window (5 units, 2 apart: 10 conv1 units); conv1's 5x5 is in pixels "
            "already and adds 4."
        )
    if side == 25:
        return (
            "Receptive fields do not multiply: windows that overlap share their pixels. "
            "Work backwards: 5 pool1 units, 10 conv1 units, then conv1's 5x5 adds 4 pixels."
        )
    return differs(side, expected, "the receptive field's width")


def _zeros_at_start(bias_start, n_digits=100):
    """The fraction of exactly-zero outputs of a freshly initialised conv1 (the notebook's
    weights: truncated normal, stddev 0.1) with biases ``bias_start``, on MNIST test digits."""
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.set_random_seed(0)
        images = tf.constant(mnist.test.images[:n_digits].reshape(-1, 28, 28, 1))
        W = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))
        b = tf.Variable(tf.constant(float(bias_start), shape=[32]))
        h_conv1 = tf.nn.relu(tf.nn.conv2d(images, W, [1, 1, 1, 1], "SAME") + b)
        sess.run(tf.global_variables_initializer())
        return float(np.mean(sess.run(h_conv1) == 0))


@exercise(
    kind=EXPLORE,
    answer="bias_start",
    hints=[
        "Try 0 first, then a few small positive values; use `ex.zeros_at_start(value)` to "
        "measure each.",
        "Most of an MNIST image is blank paper, where the convolution's sum is exactly 0. What "
        "does the ReLU make of 0 + bias?",
        "Notebook 8 starts every bias at 0.1. Any small positive value does the job.",
    ],
    solution="bias_start = 0.1",
    why="A ReLU that outputs exactly 0 passes no gradient back; a small positive bias keeps "
    "the units alive over blank paper when training begins, without drowning the signal.",
    mistakes=[
        Mistake("bias_start = 0.0", "relu(0) = 0"),
        Mistake("bias_start = -0.1", "negative bias"),
        Mistake("bias_start = 1.0", "never cuts"),
    ],
)
def q4(bias_start):
    """Find a starting bias, at most 0.2, for which under 20% of a new conv1's outputs are 0."""
    try:
        value = float(bias_start)
    except (TypeError, ValueError):
        return f"Answer with a number, the value every bias starts at; received {bias_start!r}."
    zeros = _zeros_at_start(value)
    if 0 < value <= 0.2 and zeros < 0.2:
        return None
    if value == 0:
        return (
            f"{zeros:.0%} of the outputs are exactly 0. Over blank paper the convolution's "
            "sum is exactly 0, and relu(0) = 0: most units start silent there, and a "
            "silent ReLU passes no gradient back."
        )
    if value < 0:
        return (
            f"{zeros:.0%} zeros: a negative bias pushes even more answers below 0, and the "
            "ReLU silences them. Start the biases a little above 0."
        )
    if value > 0.2:
        return (
            f"{zeros:.0%} zeros, but with a bias of {value:g} the ReLU almost never cuts: "
            "every unit answers everywhere, so the layer is nearly linear and the "
            "filters' own answers are drowned. Keep the bias small (at most 0.2)."
        )
    return (
        f"{zeros:.0%} of the outputs are still 0 with a bias of {value:g}: try a slightly "
        "larger one."
    )


def zeros_at_start(bias_start: float) -> float:
    """The fraction of exactly-zero outputs of a freshly initialised conv1 (as notebook 8 builds
    it) on 100 test digits, when every bias starts at ``bias_start``: for exercise 10.4."""
    return _zeros_at_start(bias_start)
