"""Exercises of notebook 07, Convolution and pooling: filters, output sizes, parameter counts
and pooling."""

import numpy as np

import tutorflow as tf

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise
from ..language import Text


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
        Text(
            "A layer's parameters are its filter's weights plus its biases, one bias per filter.",
            "一层的参数就是它的卷积核权重加上偏置，每个卷积核一个偏置。",
        ),
        Text(
            "The filter of shape [5, 5, in_channels, out_channels] holds 5 · 5 · in · out "
            "weights. The second layer reads the first layer's 32 channels.",
            "形状为 [5, 5, in_channels, out_channels] 的卷积核有 5 · 5 · in · out 个权重。"
            "第二层读取的是第一层的 32 个通道。",
        ),
        Text(
            "conv1: 5·5·1·32 + 32. conv2: 5·5·32·64 + 64.",
            "conv1 的参数：5·5·1·32 + 32。conv2 的参数：5·5·32·64 + 64。",
        ),
    ],
    solution="conv1_params = 5 * 5 * 1 * 32 + 32\nconv2_params = 5 * 5 * 32 * 64 + 64",
    why=Text(
        "Counting parameters tells you where a network's size lies: in a convolution it grows "
        "with input channels × output channels, not with the image.",
        "数一数参数，就知道网络的体量在哪里：卷积层的参数随 输入通道数 × 输出通道数 增长，"
        "而与图像大小无关。",
    ),
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
        return Text(
            "You counted the filter weights but not the biases: every filter also has one "
            "bias, so add 32 for conv1 and 64 for conv2.",
            "你数了卷积核的权重，却没数偏置：每个卷积核还有一个偏置，所以 conv1 要加 32，"
            "conv2 要加 64。",
        )
    if conv2_params in (5 * 5 * 64 + 64, 5 * 5 * 64):
        return Text(
            "Each of conv2's 64 filters reads all 32 input channels, so it is 5 × 5 × 32 "
            "weights, not 5 × 5: the filter's shape is [5, 5, 32, 64].",
            "conv2 的 64 个卷积核每个都读取全部 32 个输入通道，所以每个有 5 × 5 × 32 个权重，"
            "而不是 5 × 5 个：卷积核的形状是 [5, 5, 32, 64]。",
        )
    if conv1_params in (28 * 28 * 32, 28 * 28 * 32 + 32, 24 * 24 * 32):
        return Text(
            "That counts outputs, not parameters. The weights are shared across the image, "
            "so a convolution's parameter count does not depend on the image size: only on "
            "the filter's shape [5, 5, 1, 32], plus a bias per filter.",
            "这数的是输出，不是参数。权重在整张图像上共享，所以卷积层的参数个数与图像大小"
            "无关：只取决于卷积核的形状 [5, 5, 1, 32]，再加上每个卷积核一个偏置。",
        )
    return differs(
        conv1_params, expected1, Text("conv1's parameter count", "conv1 的参数个数")
    ) or differs(conv2_params, expected2, Text("conv2's parameter count", "conv2 的参数个数"))


def _conv_size(size, stride, padding):
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, 28, 28, 1])
        out = tf.nn.conv2d(images, tf.zeros([size, size, 1, 1]), [1, stride, stride, 1], padding)
    return out.shape.as_list()[1]


@exercise(
    kind=PREDICT,
    answer=("valid_size", "same_stride2_size"),
    hints=[
        Text(
            'With "VALID" the 5x5 filter must fit inside the image. Along one row of 28 '
            "pixels, how many positions can its left edge take?",
            '用 "VALID" 时，5x5 的卷积核必须完全落在图像之内。沿着一行 28 个像素，'
            "它的左边缘可以放在多少个位置上？",
        ),
        Text(
            "VALID: the filter's left edge can sit at pixels 0 to 23. SAME pads the image so "
            "that every pixel is a position; the stride then keeps every other one.",
            "VALID：卷积核的左边缘可以放在第 0 到第 23 个像素。SAME 会填充图像，"
            "让每个像素都是一个位置；步幅再隔一个取一个。",
        ),
        Text(
            "VALID, stride 1: 28 − 5 + 1. SAME, stride 2: 28 / 2, rounded up.",
            "VALID、步幅 1：28 − 5 + 1。SAME、步幅 2：28 / 2，向上取整。",
        ),
    ],
    solution="valid_size = 24\nsame_stride2_size = 14",
    why=Text(
        "Every layer's output size follows from these two rules, and the first fully "
        "connected layer needs the exact size of what reaches it.",
        "每一层的输出大小都由这两条规则得出，而第一个全连接层需要准确知道传到它那里的数据有多大。",
    ),
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
        return Text(
            "Off by one: the filter fits at positions 0 to 23, which is 24 positions, 28 − 5 "
            "+ 1. (28 − 5 counts the moves between positions, not the positions.)",
            "差了一个：卷积核能放在位置 0 到 23，共 24 个位置，即 28 − 5 + 1。"
            "（28 − 5 数的是位置之间移动的次数，而不是位置的个数。）",
        )
    if valid_size == 28:
        return Text(
            '28 is what "SAME" gives. "VALID" pads nothing: it keeps only positions '
            "where the whole 5x5 filter lies inside the image, so the output shrinks by 4.",
            '28 是 "SAME" 的结果。"VALID" 不做任何填充：它只保留整个 5x5 卷积核都落在图像'
            "之内的位置，所以输出缩小 4。",
        )
    if same_stride2_size == _conv_size(5, 2, "VALID"):
        return Text(
            '12 is VALID with stride 2 (24 positions, every other one). With "SAME" '
            "every one of the 28 pixels is a position, and stride 2 keeps half of them.",
            '12 是 VALID 加步幅 2 的结果（24 个位置，隔一个取一个）。用 "SAME" 时，28 个'
            "像素每个都是一个位置，步幅 2 保留其中的一半。",
        )
    if same_stride2_size == 28:
        return Text(
            "SAME keeps the size only with stride 1. A stride of 2 keeps every other "
            "position, halving the size.",
            "只有步幅为 1 时，SAME 才保持大小不变。步幅为 2 时隔一个位置取一个，大小减半。",
        )
    return differs(valid_size, valid, Text("the VALID output size", "VALID 的输出大小")) or differs(
        same_stride2_size,
        same2,
        Text("the SAME, stride 2 output size", "SAME、步幅 2 的输出大小"),
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
        Text(
            'Start from the "vertical edges" preset in the editor. Where does it respond '
            "positively: where ink turns to paper going right, or where paper turns to ink?",
            "从编辑器里的“竖直边缘”预设开始。它在哪里给出正的响应：向右看时由墨迹变为纸面"
            "的地方，还是由纸面变为墨迹的地方？",
        ),
        Text(
            "The preset subtracts the left column from the right one. To respond to ink on "
            "the left and paper on the right, subtract the right column from the left one "
            "instead.",
            "这个预设是用右边一列减去左边一列。要对左边是墨迹、右边是纸面的地方产生响应，"
            "就反过来，用左边一列减去右边一列。",
        ),
        Text(
            "Flip the preset's signs: `[[1, 0, -1], [2, 0, -2], [1, 0, -1]]`.",
            "把预设的正负号反过来：`[[1, 0, -1], [2, 0, -2], [1, 0, -1]]`。",
        ),
    ],
    solution="ink_to_paper = [[1, 0, -1],\n"
    "                [2, 0, -2],\n"
    "                [1, 0, -1]]",
    why=Text(
        "A filter is a pattern the layer looks for; its signs say which way the change must "
        "go, and weights that sum to 0 ignore flat areas.",
        "卷积核就是这一层要寻找的图案：它的正负号规定了变化的方向，"
        "而总和为 0 的权重对平坦区域不起反应。",
    ),
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
        return Text(
            f"The filter should be a 3x3 grid of weights; yours has shape {weights.shape}.",
            f"卷积核应当是 3x3 的权重网格；你的形状是 {weights.shape}。",
        )
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
        return Text(
            f"On a flat area your filter gives {flat.max():g}, not 0: its weights sum to "
            f"{weights.sum():g}. An edge detector's weights must sum to 0, so that only "
            "changes give a response.",
            f"在平坦区域上，你的卷积核给出 {flat.max():g}，而不是 0：它的权重总和是 "
            f"{weights.sum():g}。边缘检测器的权重总和必须为 0，这样只有变化才会引起响应。",
        )
    if np.abs(vertical).max() <= tolerance:
        return Text(
            "Your filter gives 0 on a vertical edge. Does it compare left with right? One "
            "that compares rows (top with bottom) finds horizontal edges instead.",
            "你的卷积核在竖直边缘上给出 0。它比较的是左和右吗？比较行（上和下）的卷积核"
            "找到的是水平边缘。",
        )
    if vertical.max() <= tolerance:
        return Text(
            f"Where ink turns to paper your filter gives {vertical.min():g}, a negative "
            "response: it detects paper to ink, going right (a stroke's left side). Flip "
            "its signs.",
            f"在墨迹变为纸面的地方，你的卷积核给出 {vertical.min():g}，是负的响应：它检测的"
            "是向右由纸面变为墨迹（笔画的左侧）。把它的正负号反过来。",
        )
    if vertical.min() < -tolerance:
        return Text(
            "Your filter responds positively at the edge but negatively just beside it: "
            "it outlines the edge instead of marking its direction. Compare a left column "
            "with a right column only.",
            "你的卷积核在边缘处响应为正，紧挨着它却为负：它勾勒出了边缘的轮廓，却没有标出"
            "变化的方向。只拿左边一列和右边一列作比较。",
        )
    if np.abs(horizontal).max() > tolerance:
        return Text(
            "It finds the vertical edge, but also responds to a horizontal one. Give every "
            "row the same pattern, so that a change from row to row does not matter.",
            "它找到了竖直边缘，但对水平边缘也有响应。让每一行的图案都相同，"
            "这样行与行之间的变化就不起作用了。",
        )
    return None


@exercise(
    kind=CODE,
    answer="max_pool_2x2",
    hints=[
        Text(
            "Cut each image into 2x2 blocks. With numpy, a reshape can give each block axes "
            "of its own, without any loop.",
            "把每张图像切成 2x2 的小块。在 numpy 里，一次 reshape 就能让每个小块拥有自己的轴，"
            "不需要任何循环。",
        ),
        Text(
            "`images.reshape(n, h // 2, 2, w // 2, 2, c)`: axis 2 is the row inside a block "
            "and axis 4 the column inside it. Take the largest value over those two axes.",
            "`images.reshape(n, h // 2, 2, w // 2, 2, c)`：轴 2 是小块内的行，"
            "轴 4 是小块内的列。沿这两个轴取最大值。",
        ),
        Text(
            "`return images.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))` after "
            "`n, h, w, c = images.shape`.",
            "先写 `n, h, w, c = images.shape`，再写 "
            "`return images.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))`。",
        ),
    ],
    solution="""
def max_pool_2x2(images):
    n, h, w, c = images.shape
    blocks = images.reshape(n, h // 2, 2, w // 2, 2, c)
    return blocks.max(axis=(2, 4))
""",
    why=Text(
        "Max pooling is nothing more than a maximum over small blocks, applied to each "
        "channel separately.",
        "最大池化不过是在一个个小块上取最大值，并且对每个通道分别进行。",
    ),
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
        return Text(
            "That returns a tensor, built with tutorflow. Write the pooling yourself in "
            "numpy, so you see what `tf.nn.max_pool` computes.",
            "这返回的是用 tutorflow 构建的张量。请自己用 numpy 写出池化，"
            "这样才能看清 `tf.nn.max_pool` 算的是什么。",
        )
    received = np.asarray(received)
    n, h, w, c = images.shape
    if received.shape == (n, h - 1, w - 1, c):
        return Text(
            f"Shape {received.shape}: your windows overlap, a stride of 1. With stride 2 "
            "the 2x2 blocks sit side by side and the output is half as high and wide.",
            f"形状是 {received.shape}：你的窗口互相重叠，步幅是 1。步幅为 2 时，"
            "2x2 的小块一个挨一个地排列，输出的高和宽都减半。",
        )
    if received.shape == (n, h // 2, w // 2):
        return Text(
            "You took the maximum across the channels too. Pooling works on each channel "
            "separately, so the channel axis stays.",
            "你把通道之间也取了最大值。池化对每个通道分别进行，所以通道轴要保留。",
        )
    if received.shape == expected.shape:
        blocks = images.reshape(n, h // 2, 2, w // 2, 2, c)
        if np.allclose(received, blocks.mean(axis=(2, 4))):
            return Text(
                "Those are the blocks' means: average pooling. Max pooling keeps the "
                "largest value of each block.",
                "这是各个小块的平均值：平均池化。最大池化保留的是每个小块中的最大值。",
            )
        if np.allclose(received, images.reshape(n, h // 2, w // 2, 2, 2, c).max(axis=(3, 4))):
            return Text(
                "The shape is right but the values are not: `reshape(n, h // 2, w // 2, 2, "
                "2, c)` groups pixels that are not 2x2 blocks, because numpy fills the new "
                "axes in row order. Each 2 must follow the axis it splits: (n, h // 2, 2, "
                "w // 2, 2, c).",
                "形状对了，数值却不对：`reshape(n, h // 2, w // 2, 2, 2, c)` 分到一组的像素"
                "并不是 2x2 的小块，因为 numpy 按行优先的顺序填充新的轴。每个 2 都必须紧跟在"
                "它所拆分的那个轴后面：(n, h // 2, 2, w // 2, 2, c)。",
            )
    return differs(received, expected, Text("the pooled batch", "池化后的这批图像"))


@exercise(
    kind=PREDICT,
    answer="shape_after_two",
    hints=[
        Text(
            "Follow one image through: a SAME convolution with stride 1 keeps its height and "
            "width, and each 2x2 max pool halves them. What sets the number of channels?",
            "跟着一张图像走一遍：步幅为 1 的 SAME 卷积保持高和宽不变，每个 2x2 最大池化把它们"
            "减半。通道数又由什么决定？",
        ),
        Text(
            "The channels are the number of filters of the last convolution.",
            "通道数就是最后一个卷积层的卷积核个数。",
        ),
        Text(
            "28 → 14 → 7, with 64 channels, and the batch size still unknown: None.",
            "28 → 14 → 7，64 个通道，批量大小仍然未知：None。",
        ),
    ],
    solution="shape_after_two = (None, 7, 7, 64)",
    why=Text(
        "7 × 7 × 64 = 3136 is exactly the number of inputs LeNet-5's first fully connected "
        "layer needs; get it wrong and the reshape fails.",
        "7 × 7 × 64 = 3136 正是 LeNet-5 第一个全连接层所需的输入个数；算错了，reshape 就会失败。",
    ),
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
            return Text(
                "3136 is the number of values per image once you flatten them, for the "
                "fully connected layer. Give the shape before flattening, batch axis "
                "included.",
                "3136 是为全连接层展平之后每张图像的数值个数。请给出展平之前的形状，包括批量轴。",
            )
        return differs(shape_after_two, expected, Text("the shape", "形状"))
    try:
        answer = tuple(shape_after_two)
    except TypeError:
        return differs(shape_after_two, expected, Text("the shape", "形状"))
    if answer == expected:
        return None
    if len(answer) == 3 and answer == expected[1:]:
        return Text(
            "The batch axis comes first and stays: the placeholder's `None` (any number of "
            "images) is still there after every layer.",
            "批量轴排在最前面，而且一直都在：占位符的 `None`（图像张数任意）经过每一层之后都还在。",
        )
    if answer == expected[:3] + (32,):
        return Text(
            "The channels come from the *last* convolution: conv2 has 64 filters, so 64 "
            "channels, whatever it read.",
            "通道数来自*最后一个*卷积层：conv2 有 64 个卷积核，所以是 64 个通道，"
            "不管它读进来的是多少。",
        )
    if answer == (None, 14, 14, 64):
        return Text(
            "14x14 is after one pooling. The image is pooled twice, once after each "
            "convolution: 28 → 14 → 7.",
            "14x14 是一次池化之后的大小。图像要池化两次，每个卷积层之后一次：28 → 14 → 7。",
        )
    if answer == (None, 4, 4, 64):
        return Text(
            "4x4 would come from VALID convolutions (28 → 24 → 12 → 8 → 4). LeNet-5's "
            "convolutions use SAME padding, which keeps the size; only pooling shrinks it.",
            "4x4 是 VALID 卷积的结果（28 → 24 → 12 → 8 → 4）。LeNet-5 的卷积用 SAME 填充，"
            "保持大小不变；只有池化才会缩小它。",
        )
    return differs(answer, expected, Text("the shape", "形状"))
