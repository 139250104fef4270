"""Exercises of notebook 10, Inside the network: the shape of a layer's feature maps, the zeros a
ReLU leaves, how much of the digit one unit sees, and why the biases start above zero."""

import numpy as np

import tutorflow as tf
from tutorflow.course import models
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise
from ..language import Text


def _maps_shape(layer):
    """The shape of one digit's maps at ``layer`` of a LeNet-5 built afresh, batch left out."""
    with tf.Graph().as_default():
        return tuple(getattr(models.lenet5(), layer).shape.as_list()[1:])


@exercise(
    kind=PREDICT,
    answer="conv2_maps_shape",
    hints=[
        Text(
            "`[0]` takes the first (and only) digit of the batch, so three numbers are left: "
            "height, width, and one map per filter.",
            "`[0]` 取出这一批中的第一个（也是唯一一个）数字，于是剩下三个数："
            "高、宽，以及每个卷积核对应一张特征图。",
        ),
        Text(
            "conv2 works on the output of pool1, which has already halved the 28x28 image; its "
            '"SAME" padding keeps that size. How many filters does conv2 have?',
            "conv2 处理的是 pool1 的输出，而 pool1 已经把 28x28 的图像减半；"
            'conv2 的 "SAME" 填充保持这个尺寸不变。conv2 有多少个卷积核？',
        ),
    ],
    solution="conv2_maps_shape = (14, 14, 64)",
    why=Text(
        "Knowing each layer's shape lets you read the feature maps: which picture belongs to "
        "which filter, and how coarse the layer's view of the digit is.",
        "知道每一层的形状，才读得懂特征图：哪张图属于哪个卷积核，这一层看数字看得有多粗略。",
    ),
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
        return Text(
            f"Answer with a shape such as (5, 5, 3); received {conv2_maps_shape!r}.",
            f"请用形状作答，例如 (5, 5, 3)；你给出的是 {conv2_maps_shape!r}。",
        )
    if shape == expected:
        return None
    if shape == (1,) + expected:
        return Text(
            "That is the shape of the whole batch of one digit. The `[0]` at the end "
            "takes that digit, leaving three dimensions.",
            "这是整批（只有一个数字）的形状。末尾的 `[0]` 取出这个数字，只剩下三个维度。",
        )
    if len(shape) == 3 and shape[2] == expected[2]:
        if shape[0] == 2 * expected[0]:
            return Text(
                "conv2 does not see the 28x28 image: pool1 has halved it to 14x14 first, "
                'and conv2\'s "SAME" padding keeps that size.',
                "conv2 看到的不是 28x28 的图像：pool1 先把它减半成了 14x14，"
                'conv2 的 "SAME" 填充保持这个尺寸。',
            )
        if shape[0] == expected[0] - 4:
            return Text(
                '14 - 5 + 1 = 10 is the size with "VALID" padding. LeNet-5 uses '
                '"SAME" padding, which keeps the 14x14 of pool1.',
                '14 - 5 + 1 = 10 是 "VALID" 填充下的尺寸。LeNet-5 用的是 "SAME" 填充，'
                "它保持 pool1 的 14x14 不变。",
            )
    if len(shape) == 3 and shape[:2] == expected[:2]:
        return Text(
            "The size is right; the last dimension holds one map per filter of conv2, "
            "and conv2 has 64 filters (32 is the number of maps it reads).",
            "尺寸对了；最后一维是 conv2 每个卷积核各一张特征图，"
            "而 conv2 有 64 个卷积核（32 是它读入的特征图张数）。",
        )
    return differs(shape, expected, Text("the shape of conv2's maps", "conv2 特征图的形状"))


@exercise(
    kind=CODE,
    answer="zero_fraction",
    given="import numpy as np",
    hints=[
        Text(
            "`values == 0` is an array of True and False, one for each value.",
            "`values == 0` 是一个由 True 和 False 组成的数组，每个值对应一个。",
        ),
        Text(
            "The mean of an array of bools is the fraction of Trues.",
            "布尔数组的均值，就是其中 True 所占的比例。",
        ),
        Text(
            "`return float(np.mean(values == 0))`",
            "`return float(np.mean(values == 0))`（等于 0 的值所占的比例）",
        ),
    ],
    solution="""
def zero_fraction(values):
    return float(np.mean(values == 0))
""",
    why=Text(
        "The zeros a ReLU leaves are where a filter found nothing; the fraction of them says "
        "how selective a layer is, and a layer of nothing but zeros has stopped learning.",
        "ReLU 留下的 0，是卷积核什么也没找到的地方；0 所占的比例说明一层有多挑剔，"
        "而全是 0 的层已经停止学习了。",
    ),
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
        return Text(
            f"`zero_fraction` should return one number; it returned {received!r}.",
            f"`zero_fraction` 应当返回一个数；它返回的是 {received!r}。",
        )
    if abs(number - expected) < 1e-6:
        return None
    if number == np.sum(outputs == 0):
        return Text(
            f"{number:g} is a count of zeros, not a fraction: divide by the number of "
            f"values ({outputs.size}), or take the mean of `values == 0`.",
            f"{number:g} 是 0 的个数，不是比例：要除以值的总数（{outputs.size}），"
            "或者取 `values == 0` 的均值。",
        )
    if number == 0 and (outputs < 0).sum() == 0:
        return Text(
            "These values come out of a ReLU, so they are never negative: the ReLU turned "
            "every negative answer into exactly 0. Count the values equal to 0.",
            "这些值是 ReLU 的输出，所以从不为负：ReLU 把每个负的响应都变成了恰好 0。"
            "要数的是等于 0 的值。",
        )
    if abs(number - (1 - expected)) < 1e-6:
        return Text(
            "That is the fraction of values above zero: the other way round. Count the "
            "values equal to 0.",
            "这是大于 0 的值所占的比例：正好反了。要数的是等于 0 的值。",
        )
    if abs(number - float(np.mean(outputs))) < 1e-6:
        return Text(
            "That is the mean value, not the fraction of zeros: compare with 0 first "
            "(`values == 0`), then take the mean of those bools.",
            "这是数值的均值，不是 0 所占的比例：先和 0 比较（`values == 0`），"
            "再对这些布尔值取均值。",
        )
    return differs(number, expected, Text("the fraction of zeros", "0 所占的比例"))


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
        Text(
            "Work backwards from one unit of conv2. It reads a 5x5 square of pool1's units. "
            "How many of conv1's units do those 5 pool1 units cover, along one side?",
            "从 conv2 的一个单元倒推。它读取 pool1 中 5x5 的一块单元。"
            "沿一条边看，这 5 个 pool1 单元覆盖了 conv1 的多少个单元？",
        ),
        Text(
            "Each pool1 unit covers 2 conv1 units, and neighbouring pool1 units are 2 apart: 5 "
            "pool1 units cover 4*2 + 2 = 10 conv1 units along a side.",
            "每个 pool1 单元覆盖 2 个 conv1 单元，相邻的 pool1 单元相隔 2："
            "沿一条边，5 个 pool1 单元覆盖 4*2 + 2 = 10 个 conv1 单元。",
        ),
        Text(
            "Each conv1 unit reads 5 pixels, and neighbouring conv1 units are 1 pixel apart: "
            "10 conv1 units cover 9 + 5 pixels.",
            "每个 conv1 单元读取 5 个像素，相邻的 conv1 单元相隔 1 个像素："
            "10 个 conv1 单元覆盖 9 + 5 个像素。",
        ),
    ],
    solution="receptive_field = 14",
    why=Text(
        "Each layer sees a larger part of the digit than the one below: a first-layer unit "
        "sees a piece of a stroke, a second-layer unit half the digit; that is how a deep "
        "network goes from strokes to shapes.",
        "每一层看到的数字范围都比下面一层大：第一层的单元看到笔画的一小段，"
        "第二层的单元看到半个数字；深度网络正是这样从笔画走向形状的。",
    ),
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
        return Text(
            "5 + 5 - 1 = 9 stacks two 5x5 convolutions directly, as if you ignored the "
            "pooling. Between them, pool1 spreads conv2's 5x5 window over 10 conv1 "
            "units, because neighbouring pool1 units are 2 apart.",
            "5 + 5 - 1 = 9 是把两个 5x5 卷积直接叠在一起，好像没有池化一样。"
            "两者之间的 pool1 把 conv2 的 5x5 窗口铺展到 10 个 conv1 单元上，"
            "因为相邻的 pool1 单元相隔 2。",
        )
    if side == 10:
        return Text(
            "10 is how many conv1 *units* one conv2 unit depends on. Each of those reads "
            "5x5 pixels itself, 1 pixel apart: add conv1's own 5x5, 4 more pixels.",
            "10 是一个 conv2 单元所依赖的 conv1 *单元*数。其中每个单元自己还读取 5x5 个像素，"
            "彼此相隔 1 个像素：再加上 conv1 自身的 5x5，也就是多出 4 个像素。",
        )
    if side == 18:
        return Text(
            "(5 + 5 - 1) * 2 = 18 doubled everything. The pooling spreads only conv2's "
            "window (5 units, 2 apart: 10 conv1 units); conv1's 5x5 is in pixels "
            "already and adds 4.",
            "(5 + 5 - 1) * 2 = 18 把所有东西都翻了倍。池化只铺展 conv2 的窗口"
            "（5 个单元，相隔 2：即 10 个 conv1 单元）；conv1 的 5x5 本来就以像素计，"
            "只多出 4 个像素。",
        )
    if side == 25:
        return Text(
            "Receptive fields do not multiply: windows that overlap share their pixels. "
            "Work backwards: 5 pool1 units, 10 conv1 units, then conv1's 5x5 adds 4 pixels.",
            "感受野不是相乘的：相互重叠的窗口共用它们的像素。倒推一下：5 个 pool1 单元，"
            "10 个 conv1 单元，再加上 conv1 的 5x5 多出的 4 个像素。",
        )
    return differs(side, expected, Text("the receptive field's width", "感受野的宽度"))


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
        Text(
            "Try 0 first, then a few small positive values; use `ex.zeros_at_start(value)` to "
            "measure each.",
            "先试 0，再试几个小的正值；用 `ex.zeros_at_start(value)` 逐个测量。",
        ),
        Text(
            "Most of an MNIST image is blank paper, where the convolution's sum is exactly 0. "
            "What does the ReLU make of 0 + bias?",
            "MNIST 图像的大部分是空白纸面，那里卷积的和恰好为 0。ReLU 会把 0 + 偏置变成什么？",
        ),
        Text(
            "Notebook 8 starts every bias at 0.1. Any small positive value does the job.",
            "第 8 个笔记本把每个偏置都初始化为 0.1。任何一个小的正值都能奏效。",
        ),
    ],
    solution="bias_start = 0.1",
    why=Text(
        "A ReLU that outputs exactly 0 passes no gradient back; a small positive bias keeps "
        "the units alive over blank paper when training begins, without drowning the signal.",
        "输出恰好为 0 的 ReLU 不会往回传任何梯度；一个小的正偏置让单元在训练开始时，"
        "即使面对空白纸面也保持活跃，又不会淹没信号。",
    ),
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
        return Text(
            f"Answer with a number, the value every bias starts at; received {bias_start!r}.",
            f"请用一个数作答，即每个偏置的初始值；你给出的是 {bias_start!r}。",
        )
    zeros = _zeros_at_start(value)
    if 0 < value <= 0.2 and zeros < 0.2:
        return None
    if value == 0:
        return Text(
            f"{zeros:.0%} of the outputs are exactly 0. Over blank paper the convolution's "
            "sum is exactly 0, and relu(0) = 0: most units start silent there, and a "
            "silent ReLU passes no gradient back.",
            f"有 {zeros:.0%} 的输出恰好为 0。在空白纸面上，卷积的和恰好为 0，而 relu(0) = 0："
            "大多数单元一开始在那里都是沉默的，而沉默的 ReLU 不会往回传任何梯度。",
        )
    if value < 0:
        return Text(
            f"{zeros:.0%} zeros: a negative bias pushes even more answers below 0, and the "
            "ReLU silences them. Start the biases a little above 0.",
            f"有 {zeros:.0%} 的输出为 0：负的偏置把更多的响应压到 0 以下，ReLU 让它们沉默。"
            "让偏置从略大于 0 的值开始。",
        )
    if value > 0.2:
        return Text(
            f"{zeros:.0%} zeros, but with a bias of {value:g} the ReLU almost never cuts: "
            "every unit answers everywhere, so the layer is nearly linear and the "
            "filters' own answers are drowned. Keep the bias small (at most 0.2).",
            f"只有 {zeros:.0%} 的输出为 0，但偏置为 {value:g} 时，ReLU 几乎从不截断："
            "每个单元处处都有响应，于是这一层近乎线性，卷积核自身的响应被淹没了。"
            "偏置要小（最多 0.2）。",
        )
    return Text(
        f"{zeros:.0%} of the outputs are still 0 with a bias of {value:g}: try a slightly "
        "larger one.",
        f"偏置为 {value:g} 时，仍有 {zeros:.0%} 的输出为 0：试一个稍大一点的值。",
    )


def zeros_at_start(bias_start: float) -> float:
    """The fraction of exactly-zero outputs of a freshly initialised conv1 (as notebook 8 builds
    it) on 100 test digits, when every bias starts at ``bias_start``: for exercise 10.4."""
    return _zeros_at_start(bias_start)
