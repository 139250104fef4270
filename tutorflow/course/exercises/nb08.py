"""Exercises of notebook 08, LeNet-5: the shapes through the network, where its parameters are,
a convolution layer written by hand, and dropout switched off for evaluation."""

import numpy as np

import tutorflow as tf
from tutorflow.course import models

from ..kit import CODE, PREDICT, Mistake, as_shape, differs, exercise


def _pool2_shape(padding="SAME", pool=True):
    """h_pool2's static shape, built afresh as the notebook builds it (conv, ReLU, 2x2 pool,
    twice), with ``padding`` for both convolutions and the pooling left out if not ``pool``."""
    with tf.Graph().as_default():
        h = tf.reshape(tf.placeholder(tf.float32, [None, 784]), [-1, 28, 28, 1])
        for in_channels, out_channels in [(1, 32), (32, 64)]:
            W = tf.Variable(tf.truncated_normal([5, 5, in_channels, out_channels], stddev=0.1))
            h = tf.nn.relu(tf.nn.conv2d(h, W, strides=[1, 1, 1, 1], padding=padding) + 0.1)
            if pool:
                h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        return tuple(h.shape.as_list())


@exercise(
    kind=PREDICT,
    answer="pool2_shape",
    hints=[
        "Follow the height and width through the four layers: conv1, pool1, conv2, pool2. Which "
        "of them change the size?",
        '`padding="SAME"` with stride 1 keeps the size; a 2x2 max pool with stride 2 halves it. '
        "The last number is the number of filters of the last convolution.",
        "28 → 28 → 14 → 14 → 7, with 64 channels at the end; the batch size stays `None`.",
    ],
    solution="pool2_shape = (None, 7, 7, 64)",
    why="The shape of h_pool2 fixes the size of the fully connected layer after it: get it "
    "wrong and fc1's weights no longer fit.",
    mistakes=[
        Mistake("pool2_shape = (None, 28, 28, 64)", "each max pool halves"),
        Mistake("pool2_shape = (None, 14, 14, 64)", "halves once more"),
        Mistake("pool2_shape = (None, 4, 4, 64)", 'as "VALID" padding would'),
        Mistake("pool2_shape = (None, 7, 7, 32)", "64 filters"),
        Mistake("pool2_shape = (7, 7, 64)", "batch dimension"),
    ],
)
def q1(pool2_shape):
    """Before running the layers below: what is the shape of `h_pool2`?"""
    expected = _pool2_shape()
    shape = as_shape(pool2_shape)
    if shape == expected:
        return None
    if isinstance(shape, tuple) and shape == expected[1:]:
        return (
            "Those are the sizes of one image's maps; the tensor also has the batch "
            "dimension first, which is `None` (any number of images)."
        )
    if shape == _pool2_shape(pool=False):
        return (
            'A convolution with `padding="SAME"` and stride 1 keeps 28x28, but each max '
            "pool halves the height and the width, and there are two of them."
        )
    if shape == expected[:1] + (2 * expected[1], 2 * expected[2]) + expected[3:]:
        return "14x14x64 is `h_conv2`, after one pooling. `pool2` halves once more."
    if shape == _pool2_shape(padding="VALID"):
        return (
            "You shrank the maps at each convolution (28 → 24 → 12 → 8 → 4), as "
            '"VALID" padding would. These convolutions use "SAME" padding, which keeps '
            "the size; only the pooling halves it."
        )
    if isinstance(shape, tuple) and len(shape) == 4 and shape[1:3] == expected[1:3]:
        return (
            "The height and width are right. The channels are the filters of the last "
            "convolution, conv2: it has 64 filters."
        )
    return differs(shape, expected, "the shape of h_pool2")


@exercise(
    kind=CODE,
    answer="conv_relu",
    hints=[
        "Three steps, as in the conv1 cell: the convolution, plus the bias, through a ReLU.",
        '`tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")` is the convolution; the '
        "bias is added to its output, one per output channel, by broadcasting.",
        '`return tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME") + b)`',
    ],
    solution="""
def conv_relu(x, W, b):
    return tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME") + b)
""",
    why="One small helper per kind of layer turns a page of repeated graph code into a "
    "readable list of layers, which is how larger networks are written.",
    mistakes=[
        Mistake(
            "def conv_relu(x, W, b):\n"
            "    return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME') + b",
            "no ReLU",
        ),
        Mistake(
            "def conv_relu(x, W, b):\n"
            "    return tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME'))",
            "bias is missing",
        ),
        Mistake(
            "def conv_relu(x, W, b):\n"
            "    return tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='VALID') + b)",
            '"VALID" padding',
        ),
        Mistake(
            "def conv_relu(x, W, b):\n"
            "    return tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 2, 2, 1], padding='SAME') + b)",
            "stride",
        ),
        Mistake(
            "def conv_relu(x, W, b):\n"
            "    return tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')) + b",
            "after the ReLU",
        ),
    ],
)
def q2(conv_relu):
    """Write `conv_relu(x, W, b)`: a convolution layer as LeNet-5's (stride 1, SAME), bias, ReLU."""
    rng = np.random.default_rng(8)
    images = rng.standard_normal((2, 9, 9, 3)).astype(np.float32)
    filters = rng.standard_normal((3, 3, 3, 4)).astype(np.float32)
    biases = np.array([-1.0, -0.5, 0.5, 1.0], np.float32)
    with tf.Graph().as_default(), tf.Session() as sess:
        x, W, b = tf.constant(images), tf.constant(filters), tf.constant(biases)
        conv = tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")
        expected, plain = sess.run([tf.nn.relu(conv + b), conv])
        received = conv_relu(x, W, b)
        if not isinstance(received, (tf.Tensor, tf.Variable)):
            return (
                f"`conv_relu` returned {type(received).__name__}, not a tensor: it should "
                "build the layer in the graph and return its output tensor."
            )
        got = sess.run(received)
    if got.shape != expected.shape:
        if got.shape[1:3] == (7, 7):
            return (
                f'The output is {got.shape[1]}x{got.shape[2]}, not 9x9: "VALID" padding '
                'drops the border where the filter does not fit. LeNet-5 uses "SAME", '
                "which keeps the size."
            )
        if got.shape[1:3] == (5, 5):
            return (
                "The output is 5x5, not 9x9: a stride of 2 moves the filter two pixels at a "
                "time. The convolutions of LeNet-5 use strides=[1, 1, 1, 1]; only the "
                "pooling shrinks the maps."
            )
        return differs(got, expected, "the layer's output")
    if np.allclose(got, expected, atol=1e-4):
        return None
    if (got < 0).any():
        if np.allclose(got, plain + biases, atol=1e-4):
            return (
                "Your layer has negative outputs: there is no ReLU. Wrap the sum in "
                "`tf.nn.relu(...)`."
            )
        if np.allclose(got, np.maximum(plain, 0) + biases, atol=1e-4):
            return (
                "You added the bias after the ReLU. The bias shifts the filter's answer "
                "*before* the ReLU decides what to keep: `tf.nn.relu(conv + b)`."
            )
    if np.allclose(got, np.maximum(plain, 0), atol=1e-4):
        return "The bias is missing: add `b` to the convolution's output, inside the ReLU."
    return differs(got, expected, "the layer's output")


def _lenet_variables():
    """(name, shape) of every variable of a LeNet-5 built afresh: trainable ones first."""
    with tf.Graph().as_default():
        models.lenet5()
        trainable = [(v.op.name, v.shape.as_list()) for v in tf.trainable_variables()]
        everything = [(v.op.name, v.shape.as_list()) for v in tf.global_variables()]
    return trainable, everything


def _count(shape):
    return int(np.prod(shape))


@exercise(
    kind=PREDICT,
    answer="n_params",
    hints=[
        "Count each layer's weights and biases separately, then add them up. A convolution "
        "filter has height x width x input channels weights.",
        "conv1: 5*5*1*32 + 32; conv2: 5*5*32*64 + 64. fc1 reads the flattened h_pool2: how many "
        "numbers does one image have there?",
        "fc1: 7*7*64*1024 + 1024; fc2: 1024*10 + 10. Add the four layers.",
    ],
    solution="n_params = (5*5*1*32 + 32) + (5*5*32*64 + 64) + (7*7*64*1024 + 1024) "
    "+ (1024*10 + 10)",
    why="Counting parameters shows where a network's size lives: here 98% in one fully "
    "connected layer, while the convolutions share a few weights over the whole image.",
    mistakes=[
        Mistake("n_params = 5*5*1*32 + 5*5*32*64 + 7*7*64*1024 + 1024*10", "the weights only"),
        Mistake(
            "n_params = (5*5*1*32 + 32) + (5*5*32*64 + 64) + (28*28*64*1024 + 1024) "
            "+ (1024*10 + 10)",
            "28 → 14 → 7",
        ),
        Mistake(
            "n_params = (5*5*1*32 + 32) + (5*5*32*64 + 64) + (14*14*64*1024 + 1024) "
            "+ (1024*10 + 10)",
            "pooled only once",
        ),
        Mistake(
            "n_params = (5*5*1*32 + 32) + (5*5*64 + 64) + (7*7*64*1024 + 1024) + (1024*10 + 10)",
            "all 32 maps",
        ),
        Mistake("n_params = 3 * 3274634 + 2", "Adam"),
    ],
)
def q3(n_params):
    """Before the count below: how many trainable parameters does LeNet-5 have?"""
    trainable, everything = _lenet_variables()
    sizes = {name: _count(shape) for name, shape in trainable}
    expected = sum(sizes.values())
    biases = sum(size for name, size in sizes.items() if name.endswith("/b"))
    fc1_rows = trainable[[name for name, _ in trainable].index("fc1/W")][1][0]  # 7*7*64
    channels = fc1_rows // 49
    if n_params == expected:
        return None
    if n_params == expected - biases:
        return (
            f"You counted the weights only. Every filter and every unit also has a bias: "
            f"{biases:,} of them here (32 + 64 + 1024 + 10)."
        )
    for side, what in [(28, "never pooled"), (14, "pooled only once")]:
        if n_params == expected + (side * side * channels - fc1_rows) * 1024:
            return (
                f"fc1 as {side}*{side}*{channels} inputs: you {what}. Each 2x2 max pool "
                f"with stride 2 halves the maps, 28 → 14 → 7, so fc1 reads "
                f"7*7*{channels} = {fc1_rows:,} numbers per image."
            )
    if n_params == expected - sizes["conv2/W"] + sizes["conv2/W"] // 32:
        return (
            "conv2's filters are 5x5, but each one reads all 32 maps of the layer below, "
            "so it has 5*5*32 weights, not 5*5."
        )
    with_slots = sum(_count(shape) for _, shape in everything)
    if n_params in (with_slots, 3 * expected):
        return (
            "That counts Adam's two slots for every weight too (and its two scalars). They "
            "are variables of the graph, but not parameters of the model: only the "
            "trainable variables are."
        )
    return differs(n_params, expected, "the number of parameters")


@exercise(
    kind=PREDICT,
    answer="eval_keep_prob",
    hints=[
        "`keep_prob` is the probability that a unit is *kept*. When you measure the network, "
        "do you want units switched off at random?",
        "Dropout is a training device. At test time the whole network should answer, the same "
        "way every time.",
    ],
    solution="eval_keep_prob = 1.0",
    why="With dropout left on, the test accuracy is lower than the network's real one and "
    "changes from run to run; keep_prob 1.0 gives the full, repeatable network.",
    mistakes=[
        Mistake("eval_keep_prob = 0.5", "at random"),
        Mistake("eval_keep_prob = 0.0", "probability of keeping"),
        Mistake("eval_keep_prob = 2", "a probability"),
    ],
)
def q4(eval_keep_prob):
    """What value do you feed `keep_prob` when measuring the test accuracy?"""
    if not isinstance(eval_keep_prob, (int, float)) or isinstance(eval_keep_prob, bool):
        return f"Answer with a number, the value to feed `keep_prob`; received {eval_keep_prob!r}."
    if eval_keep_prob == 0:
        return (
            "`keep_prob` is the probability of keeping a unit, not of dropping it: 0 would "
            "switch every unit off (tutorflow refuses it)."
        )
    if not 0 < eval_keep_prob <= 1:
        return f"`keep_prob` is a probability, between 0 and 1; received {eval_keep_prob}."
    units = np.ones(1024, np.float32)
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.set_random_seed(8)
        dropped = tf.nn.dropout(tf.constant(units), eval_keep_prob)
        first, second = sess.run(dropped), sess.run(dropped)
    if np.array_equal(first, units) and np.array_equal(second, units):
        return None
    zeroed = int((first == 0).sum())
    changed = int((first != second).sum())
    return (
        f"With keep_prob {eval_keep_prob:g}, dropout switches units off at random at test "
        f"time too: here {zeroed} of fc1's 1,024 units were zeroed in one run, and "
        f"{changed} of them differed in the next. The accuracy would be lower than the "
        "network's own and change each time. Dropout is for training only."
    )
