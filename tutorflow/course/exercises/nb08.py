"""Exercises of notebook 08, LeNet-5: the shapes through the network, where its parameters are,
a convolution layer written by hand, and dropout switched off for evaluation."""

import numpy as np

import tutorflow as tf
from tutorflow.course import models

from ..kit import CODE, PREDICT, Mistake, as_shape, differs, exercise
from ..language import Text


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
        Text(
            "Follow the height and width through the four layers: conv1, pool1, conv2, pool2. "
            "Which of them change the size?",
            "沿着 conv1、pool1、conv2、pool2 这四层跟踪高和宽的变化：哪几层会改变大小？",
        ),
        Text(
            '`padding="SAME"` with stride 1 keeps the size; a 2x2 max pool with stride 2 halves '
            "it. The last number is the number of filters of the last convolution.",
            '步幅为 1、`padding="SAME"` 的卷积保持大小不变；步幅为 2 的 2x2 最大池化把它减半。'
            "最后一个数是最后一个卷积层的卷积核个数。",
        ),
        Text(
            "28 → 28 → 14 → 14 → 7, with 64 channels at the end; the batch size stays `None`.",
            "28 → 28 → 14 → 14 → 7，最后有 64 个通道；批量大小仍然是 `None`。",
        ),
    ],
    solution="pool2_shape = (None, 7, 7, 64)",
    why=Text(
        "The shape of h_pool2 fixes the size of the fully connected layer after it: get it "
        "wrong and fc1's weights no longer fit.",
        "h_pool2 的形状决定了其后全连接层的大小：算错了，fc1 的权重就对不上了。",
    ),
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
        return Text(
            "Those are the sizes of one image's maps; the tensor also has the batch "
            "dimension first, which is `None` (any number of images).",
            "这是一张图像的特征图的大小；张量最前面还有批量维度，它是 `None`（图像张数任意）。",
        )
    if shape == _pool2_shape(pool=False):
        return Text(
            'A convolution with `padding="SAME"` and stride 1 keeps 28x28, but each max '
            "pool halves the height and the width, and there are two of them.",
            '步幅为 1、`padding="SAME"` 的卷积确实保持 28x28，但每个最大池化层都会把高和宽'
            "减半，而这里有两个池化层。",
        )
    if shape == expected[:1] + (2 * expected[1], 2 * expected[2]) + expected[3:]:
        return Text(
            "14x14x64 is `h_conv2`, after one pooling. `pool2` halves once more.",
            "14x14x64 是 `h_conv2`，只经过了一次池化。`pool2` 还要再减半一次。",
        )
    if shape == _pool2_shape(padding="VALID"):
        return Text(
            "You shrank the maps at each convolution (28 → 24 → 12 → 8 → 4), as "
            '"VALID" padding would. These convolutions use "SAME" padding, which keeps '
            "the size; only the pooling halves it.",
            '你让特征图在每次卷积时都缩小了（28 → 24 → 12 → 8 → 4），那是 "VALID" 填充的'
            '结果。这里的卷积用 "SAME" 填充，保持大小不变；只有池化才把它减半。',
        )
    if isinstance(shape, tuple) and len(shape) == 4 and shape[1:3] == expected[1:3]:
        return Text(
            "The height and width are right. The channels are the filters of the last "
            "convolution, conv2: it has 64 filters.",
            "高和宽都对了。通道数等于最后一个卷积层 conv2 的卷积核个数：它有 64 个卷积核。",
        )
    return differs(shape, expected, Text("the shape of h_pool2", "h_pool2 的形状"))


@exercise(
    kind=CODE,
    answer="conv_relu",
    hints=[
        Text(
            "Three steps, as in the conv1 cell: the convolution, plus the bias, through a ReLU.",
            "和 conv1 那个单元格一样分三步：卷积，加上偏置，再经过 ReLU。",
        ),
        Text(
            '`tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")` is the convolution; '
            "the bias is added to its output, one per output channel, by broadcasting.",
            '`tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")` 就是卷积；'
            "偏置通过广播加到它的输出上，每个输出通道一个。",
        ),
        Text(
            '`return tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME") + b)`',
            '写 `return tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME") + b)`',
        ),
    ],
    solution="""
def conv_relu(x, W, b):
    return tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME") + b)
""",
    why=Text(
        "One small helper per kind of layer turns a page of repeated graph code into a "
        "readable list of layers, which is how larger networks are written.",
        "每种层写一个小辅助函数，一整页重复的计算图代码就变成了一份清晰的层列表；"
        "更大的网络正是这样写出来的。",
    ),
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
            return Text(
                f"`conv_relu` returned {type(received).__name__}, not a tensor: it should "
                "build the layer in the graph and return its output tensor.",
                f"`conv_relu` 返回的是 {type(received).__name__}，不是张量：它应该在计算图里"
                "构建这一层，并返回该层的输出张量。",
            )
        got = sess.run(received)
    if got.shape != expected.shape:
        if got.shape[1:3] == (7, 7):
            return Text(
                f'The output is {got.shape[1]}x{got.shape[2]}, not 9x9: "VALID" padding '
                'drops the border where the filter does not fit. LeNet-5 uses "SAME", '
                "which keeps the size.",
                f'输出是 {got.shape[1]}x{got.shape[2]}，而不是 9x9："VALID" 填充会丢掉'
                '卷积核放不下的边缘。LeNet-5 用的是 "SAME"，它保持大小不变。',
            )
        if got.shape[1:3] == (5, 5):
            return Text(
                "The output is 5x5, not 9x9: a stride of 2 moves the filter two pixels at a "
                "time. The convolutions of LeNet-5 use strides=[1, 1, 1, 1]; only the "
                "pooling shrinks the maps.",
                "输出是 5x5，而不是 9x9：步幅为 2 时，卷积核每次移动两个像素。LeNet-5 的"
                "卷积用 strides=[1, 1, 1, 1]；只有池化才缩小特征图。",
            )
        return differs(got, expected, Text("the layer's output", "这一层的输出"))
    if np.allclose(got, expected, atol=1e-4):
        return None
    if (got < 0).any():
        if np.allclose(got, plain + biases, atol=1e-4):
            return Text(
                "Your layer has negative outputs: there is no ReLU. Wrap the sum in "
                "`tf.nn.relu(...)`.",
                "你的层有负的输出：少了 ReLU。把求和的结果包进 `tf.nn.relu(...)`。",
            )
        if np.allclose(got, np.maximum(plain, 0) + biases, atol=1e-4):
            return Text(
                "You added the bias after the ReLU. The bias shifts the filter's answer "
                "*before* the ReLU decides what to keep: `tf.nn.relu(conv + b)`.",
                "你在 ReLU 之后才加偏置。偏置应当在 ReLU 决定保留什么*之前*平移卷积核的"
                "响应：`tf.nn.relu(conv + b)`。",
            )
    if np.allclose(got, np.maximum(plain, 0), atol=1e-4):
        return Text(
            "The bias is missing: add `b` to the convolution's output, inside the ReLU.",
            "漏了偏置：在 ReLU 里面，把 `b` 加到卷积的输出上。",
        )
    return differs(got, expected, Text("the layer's output", "这一层的输出"))


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
        Text(
            "Count each layer's weights and biases separately, then add them up. A convolution "
            "filter has height x width x input channels weights.",
            "分别数出每一层的权重和偏置，再加起来。一个卷积核有 高 x 宽 x 输入通道数 个权重。",
        ),
        Text(
            "conv1: 5*5*1*32 + 32; conv2: 5*5*32*64 + 64. fc1 reads the flattened h_pool2: how "
            "many numbers does one image have there?",
            "conv1：5*5*1*32 + 32；conv2：5*5*32*64 + 64。fc1 读取展平后的 h_pool2："
            "在那里一张图像有多少个数？",
        ),
        Text(
            "fc1: 7*7*64*1024 + 1024; fc2: 1024*10 + 10. Add the four layers.",
            "fc1：7*7*64*1024 + 1024；fc2：1024*10 + 10。把这四层加起来。",
        ),
    ],
    solution="n_params = (5*5*1*32 + 32) + (5*5*32*64 + 64) + (7*7*64*1024 + 1024) "
    "+ (1024*10 + 10)",
    why=Text(
        "Counting parameters shows where a network's size lives: here 98% in one fully "
        "connected layer, while the convolutions share a few weights over the whole image.",
        "数一数参数，就能看出网络的体量集中在哪里：这里 98% 都在一个全连接层里，"
        "而卷积层只用少量权重，在整张图像上共享。",
    ),
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
        return Text(
            f"You counted the weights only. Every filter and every unit also has a bias: "
            f"{biases:,} of them here (32 + 64 + 1024 + 10).",
            f"你只数了权重。每个卷积核、每个单元还各有一个偏置：这里共有 {biases:,} 个"
            "（32 + 64 + 1024 + 10）。",
        )
    for side, what, what_zh in [
        (28, "never pooled", "一次都没有池化"),
        (14, "pooled only once", "只池化了一次"),
    ]:
        if n_params == expected + (side * side * channels - fc1_rows) * 1024:
            return Text(
                f"fc1 as {side}*{side}*{channels} inputs: you {what}. Each 2x2 max pool "
                f"with stride 2 halves the maps, 28 → 14 → 7, so fc1 reads "
                f"7*7*{channels} = {fc1_rows:,} numbers per image.",
                f"你把 fc1 的输入算成了 {side}*{side}*{channels} 个：你{what_zh}。每个步幅"
                f"为 2 的 2x2 最大池化都把特征图减半，28 → 14 → 7，所以 fc1 每张图像读取 "
                f"7*7*{channels} = {fc1_rows:,} 个数。",
            )
    if n_params == expected - sizes["conv2/W"] + sizes["conv2/W"] // 32:
        return Text(
            "conv2's filters are 5x5, but each one reads all 32 maps of the layer below, "
            "so it has 5*5*32 weights, not 5*5.",
            "conv2 的卷积核是 5x5 的，但每个卷积核都要读取下面一层的全部 32 张特征图，"
            "所以它有 5*5*32 个权重，而不是 5*5 个。",
        )
    with_slots = sum(_count(shape) for _, shape in everything)
    if n_params in (with_slots, 3 * expected):
        return Text(
            "That counts Adam's two slots for every weight too (and its two scalars). They "
            "are variables of the graph, but not parameters of the model: only the "
            "trainable variables are.",
            "这把 Adam 为每个权重保存的两个槽（以及它自己的两个标量）也算进去了。它们是"
            "计算图里的变量，却不是模型的参数：只有可训练的变量才是参数。",
        )
    return differs(n_params, expected, Text("the number of parameters", "参数个数"))


@exercise(
    kind=PREDICT,
    answer="eval_keep_prob",
    hints=[
        Text(
            "`keep_prob` is the probability that a unit is *kept*. When you measure the "
            "network, do you want units switched off at random?",
            "`keep_prob` 是一个单元被*保留*的概率。在测量网络的表现时，你希望有单元被随机关掉吗？",
        ),
        Text(
            "Dropout is a training device. At test time the whole network should answer, the "
            "same way every time.",
            "丢弃法是训练时用的手段。测试时应当由整个网络来作答，而且每次的答案都一样。",
        ),
    ],
    solution="eval_keep_prob = 1.0",
    why=Text(
        "With dropout left on, the test accuracy is lower than the network's real one and "
        "changes from run to run; keep_prob 1.0 gives the full, repeatable network.",
        "如果不关掉丢弃法，测得的测试准确率会低于网络的真实水平，而且每次运行都不一样；"
        "keep_prob 取 1.0 才得到完整、可复现的网络。",
    ),
    mistakes=[
        Mistake("eval_keep_prob = 0.5", "at random"),
        Mistake("eval_keep_prob = 0.0", "probability of keeping"),
        Mistake("eval_keep_prob = 2", "a probability"),
    ],
)
def q4(eval_keep_prob):
    """What value do you feed `keep_prob` when measuring the test accuracy?"""
    if not isinstance(eval_keep_prob, (int, float)) or isinstance(eval_keep_prob, bool):
        return Text(
            f"Answer with a number, the value to feed `keep_prob`; received {eval_keep_prob!r}.",
            f"请用一个数作答，即要喂入 `keep_prob` 的值；你给出的是 {eval_keep_prob!r}。",
        )
    if eval_keep_prob == 0:
        return Text(
            "`keep_prob` is the probability of keeping a unit, not of dropping it: 0 would "
            "switch every unit off (tutorflow refuses it).",
            "`keep_prob` 是保留一个单元的概率，而不是丢弃它的概率：取 0 会关掉所有单元"
            "（tutorflow 会拒绝这个值）。",
        )
    if not 0 < eval_keep_prob <= 1:
        return Text(
            f"`keep_prob` is a probability, between 0 and 1; received {eval_keep_prob}.",
            f"`keep_prob` 是概率，在 0 到 1 之间；你给出的是 {eval_keep_prob}。",
        )
    units = np.ones(1024, np.float32)
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.set_random_seed(8)
        dropped = tf.nn.dropout(tf.constant(units), eval_keep_prob)
        first, second = sess.run(dropped), sess.run(dropped)
    if np.array_equal(first, units) and np.array_equal(second, units):
        return None
    zeroed = int((first == 0).sum())
    changed = int((first != second).sum())
    return Text(
        f"With keep_prob {eval_keep_prob:g}, dropout switches units off at random at test "
        f"time too: here {zeroed} of fc1's 1,024 units were zeroed in one run, and "
        f"{changed} of them differed in the next. The accuracy would be lower than the "
        "network's own and change each time. Dropout is for training only.",
        f"keep_prob 为 {eval_keep_prob:g} 时，丢弃法在测试时也会随机关掉单元：这里一次运行"
        f"把 fc1 的 1,024 个单元中的 {zeroed} 个置零，再运行一次，又有 {changed} 个"
        "与上一次不同。测得的准确率会低于网络本身的水平，而且每次都变。丢弃法只用于训练。",
    )
