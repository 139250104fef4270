"""Exercises of notebook 09, Draw a digit: MNIST's recipe (centre of mass, the 20x20 box, ink
as 1.0 on 0.0) and reading a model's probabilities."""

import numpy as np

import tutorflow as tf
from tutorflow.course.preprocess import ink_intensity, preprocess
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, PREDICT, Mistake, differs, exercise
from ..language import Text


def _mean_centre_of_mass():
    """The mean (row, column) centre of mass of MNIST's test digits, computed from the data."""
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    digits = mnist.test.images.reshape(-1, 28, 28)
    mass = digits.sum(axis=(1, 2))
    index = np.arange(28)
    rows = (digits.sum(axis=2) @ index) / mass
    cols = (digits.sum(axis=1) @ index) / mass
    return float(rows.mean()), float(cols.mean())


@exercise(
    kind=PREDICT,
    answer="centre",
    hints=[
        Text(
            "The recipe pastes the digit so that its centre of mass lands on the centre of the "
            "28x28 field. Count the pixels as numpy does, from 0.",
            "这套流程在粘贴数字时，让它的质心落在 28x28 画面的中心。像 numpy 那样从 0 开始数像素。",
        ),
        Text(
            "Rows and columns are numbered 0 to 27. MNIST's authors put the centre of mass at "
            "the pixel whose index is half the field's size.",
            "行和列的编号都是 0 到 27。MNIST 的作者把质心放在下标等于画面边长一半的那个像素上。",
        ),
    ],
    solution="centre = (14, 14)",
    why=Text(
        "A drawing prepared for the network must land where MNIST's digits land; a digit "
        "shifted by a few pixels is already a picture the models have rarely seen.",
        "为网络准备的手绘数字，必须落在 MNIST 数字所在的位置；"
        "哪怕只偏移几个像素，对模型来说也已经是一张很少见过的图了。",
    ),
    mistakes=[
        Mistake("centre = (10, 10)", "20x20 box"),
        Mistake("centre = (13.5, 13.5)", "middle of the indices 0..27"),
        Mistake("centre = (28, 28)", "corner"),
    ],
)
def q1(centre):
    """At which (row, column) do MNIST's digits have their centre of mass, to the nearest pixel?"""
    expected = _mean_centre_of_mass()
    try:
        row, col = (float(value) for value in centre)
    except (TypeError, ValueError):
        return Text(
            f"Answer with two numbers, (row, column); received {centre!r}.",
            f"请用两个数作答，即 (行, 列)；你给出的是 {centre!r}。",
        )
    if abs(row - expected[0]) < 0.25 and abs(col - expected[1]) < 0.25:
        return None
    if (row, col) == (10, 10):
        return Text(
            "(10, 10) is the middle of the 20x20 box the digit is scaled into. That box is "
            "then pasted into the 28x28 field by its centre of mass, which goes to the "
            "field's centre.",
            "(10, 10) 是数字缩放进去的那个 20x20 方框的中心。这个方框随后按质心粘贴到 "
            "28x28 的画面里，而质心要落在画面的中心。",
        )
    if (row, col) == (13.5, 13.5):
        return Text(
            "13.5 is the middle of the indices 0..27, but MNIST's authors put the centre "
            f"of mass at pixel 14: the test digits' average is ({expected[0]:.2f}, "
            f"{expected[1]:.2f}). Half a pixel matters little to the network; the point is "
            "that every digit sits at the same place.",
            "13.5 是下标 0..27 的正中，但 MNIST 的作者把质心放在第 14 个像素上："
            f"测试集数字的平均质心是 ({expected[0]:.2f}, {expected[1]:.2f})。"
            "半个像素对网络影响不大；关键在于每个数字都位于同一个位置。",
        )
    if max(row, col) >= 28 or min(row, col) < 0:
        return Text(
            "That is at (or beyond) the corner of the field: the rows and columns are "
            "numbered 0 to 27, and the centre of mass is in the middle.",
            "这个位置在画面的角上（甚至超出了画面）：行和列的编号是 0 到 27，而质心在正中间。",
        )
    return differs(
        (row, col),
        tuple(round(value) for value in expected),
        Text("(row, column)", "质心的 (行, 列)"),
    )


def _scaled_shape(height, width):
    """The shape preprocess gives a block of ink ``height`` x ``width`` once it fits 20x20."""
    canvas = np.zeros((280, 280), np.float32)
    canvas[60 : 60 + height, 120 : 120 + width] = 1.0
    return preprocess(canvas).scaled.shape


@exercise(
    kind=PREDICT,
    answer="scaled_shape",
    hints=[
        Text(
            "The recipe scales the crop so that it fits a 20x20 box *keeping its proportions*. "
            "Which side reaches 20?",
            "这套流程缩放裁剪出的图像，使它*保持长宽比*放进 20x20 的方框。哪条边会达到 20？",
        ),
        Text(
            "The taller side becomes 20 pixels; the other side shrinks by the same factor, "
            "20/150, and is rounded to whole pixels.",
            "较长的那条边变成 20 个像素；另一条边按同样的比例 20/150 缩小，再取整到整像素。",
        ),
        Text(
            "The height: 150 * 20/150 = 20. The width: 40 * 20/150 = 5.3, rounded.",
            "高：150 * 20/150 = 20。宽：40 * 20/150 = 5.3，再取整。",
        ),
    ],
    solution="scaled_shape = (20, 5)",
    why=Text(
        "Keeping the proportions keeps a 1 thin and a 0 round; stretching every digit into a "
        "square would make digits look alike that MNIST keeps apart.",
        "保持长宽比，1 才会依旧细长，0 才会依旧浑圆；把每个数字都拉成正方形，"
        "会让 MNIST 中本来分得开的数字变得相像。",
    ),
    mistakes=[
        Mistake("scaled_shape = (20, 20)", "into a square"),
        Mistake("scaled_shape = (28, 7)", "28x28 field"),
        Mistake("scaled_shape = (5, 20)", "(rows, columns)"),
    ],
)
def q2(scaled_shape):
    """A "1" is cropped to 150 rows by 40 columns of ink: what shape is it once scaled?"""
    expected = _scaled_shape(150, 40)
    shape = tuple(scaled_shape) if isinstance(scaled_shape, (tuple, list)) else scaled_shape
    if shape == expected:
        return None
    if shape == (20, 20):
        return Text(
            "That stretches the digit into a square: a thin 1 would become a fat block. "
            "The recipe keeps the proportions: the taller side becomes 20 pixels and the "
            "other shrinks by the same factor.",
            "这样会把数字拉成正方形：细长的 1 会变成一个粗方块。这套流程保持长宽比："
            "较长的边变成 20 个像素，另一条边按同样的比例缩小。",
        )
    if shape in [(28, round(40 * 28 / 150)), (28, 28)]:
        return Text(
            "The digit is scaled into a 20x20 box, not into the whole 28x28 field: the "
            "box leaves a margin of four pixels around every MNIST digit.",
            "数字被缩放进的是 20x20 的方框，而不是整个 28x28 的画面："
            "这个方框让每个 MNIST 数字四周都留出四个像素的边距。",
        )
    if shape == expected[::-1]:
        return Text(
            "Right sizes, wrong order: numpy's shapes are (rows, columns), and the 1 is "
            "tall, so it has more rows.",
            "尺寸对了，顺序反了：numpy 的形状是 (行, 列)，而 1 是竖长的，所以行数更多。",
        )
    return differs(shape, expected, Text("the scaled shape", "缩放后的形状"))


@exercise(
    kind=CODE,
    answer="to_ink",
    given="import numpy as np",
    hints=[
        Text(
            "MNIST's digits hold ink as 1.0 and paper as 0.0. On a scanned page, ink is dark "
            "(0) and paper is white (255).",
            "MNIST 的数字里，墨迹是 1.0，纸面是 0.0。而在扫描的纸页上，墨迹是暗的（0），"
            "纸面是白的（255）。",
        ),
        Text(
            "Two steps: scale the bytes to [0, 1] by dividing by 255 (as floats), then turn "
            "dark into ink by taking 1 minus that.",
            "分两步：先（以浮点数）除以 255，把字节值缩放到 [0, 1]；"
            "再用 1 减去它，把暗处变成墨迹。",
        ),
        Text(
            "`return 1 - page.astype(np.float32) / 255`",
            "`return 1 - page.astype(np.float32) / 255`（先转成浮点数，再缩放并反转）",
        ),
    ],
    solution="""
def to_ink(page):
    return 1 - page.astype(np.float32) / 255
""",
    why=Text(
        "A network reads numbers, not pictures: dark-on-light and light-on-dark look alike to "
        "us, but to LeNet-5 an inverted digit is a white sheet with a dark hole.",
        "网络读的是数字，不是图画：浅底深字和深底浅字在我们看来差不多，"
        "但对 LeNet-5 来说，反色的数字是一张白纸上挖了个黑洞。",
    ),
    mistakes=[
        Mistake("def to_ink(page):\n    return page / 255", "inverted"),
        Mistake("def to_ink(page):\n    return 255 - page", "divide by 255"),
        Mistake("def to_ink(page):\n    return (page < 128).astype(np.float32)", "grey edges"),
        Mistake("def to_ink(page):\n    return 1 - page", "wraps around"),
    ],
)
def q3(to_ink):
    """Write `to_ink(page)`: a uint8 scan, dark ink on white paper, as MNIST's ink 1.0 on 0.0."""
    rng = np.random.default_rng(9)
    page = rng.integers(0, 256, size=(12, 16)).astype(np.uint8)
    page[0, :4] = [0, 255, 128, 64]  # full ink, bare paper, and greys
    expected = ink_intensity(page, ink="dark")
    received = to_ink(page.copy())
    if not isinstance(received, np.ndarray):
        return Text(
            f"`to_ink` should return a numpy array; it returned {type(received).__name__}.",
            f"`to_ink` 应当返回一个 numpy 数组；它返回的是 {type(received).__name__}。",
        )
    if received.shape != expected.shape:
        return differs(received, expected, Text("`to_ink(page)`", "`to_ink(page)` 返回数组"))
    got = received.astype(np.float64)
    if np.allclose(got, expected, atol=1e-3):
        return None
    if np.allclose(got, 1 - expected, atol=1e-3):
        return Text(
            "The colours are inverted: paper comes out as 1.0 and ink as 0.0. MNIST's "
            "digits are light ink (1.0) on a dark field (0.0); take 1 minus the scaled "
            "value. An inverted digit is a bright page with a dark hole to the network.",
            "颜色反了：纸面成了 1.0，墨迹成了 0.0。MNIST 的数字是暗底（0.0）上的亮墨迹（1.0）；"
            "要用 1 减去缩放后的值。对网络来说，反色的数字是一张亮纸上挖了个黑洞。",
        )
    if np.issubdtype(received.dtype, np.integer):
        if np.array_equal(received, 255 - page.astype(np.int64)):
            return Text(
                "The colours are right, but the values run up to 255. The network was "
                "trained on values between 0 and 1: divide by 255.",
                "颜色对了，但数值最大到 255。网络是用 0 到 1 之间的值训练的：要除以 255。",
            )
        return Text(
            "Your result is an array of integers: arithmetic on uint8 wraps around "
            "(1 - 255 gives 2, not -254). Convert with `.astype(np.float32)` first.",
            "你的结果是整数数组：uint8 的算术会溢出回绕（1 - 255 得到 2，而不是 -254）。"
            "先用 `.astype(np.float32)` 转换类型。",
        )
    if set(np.unique(got)) <= {0.0, 1.0}:
        return Text(
            "Only 0 and 1: a threshold throws the grey edges away. MNIST's digits keep "
            "their grey levels, so keep every value between 0 and 1.",
            "只有 0 和 1：阈值化把灰色的边缘丢掉了。MNIST 的数字保留了灰度，"
            "所以要保留 0 到 1 之间的每一个值。",
        )
    return differs(got, expected, Text("`to_ink(page)`", "`to_ink(page)` 返回数组"), rtol=1e-3)


def _probabilities():
    """Ten probabilities computed afresh by softmax, all different."""
    logits = np.random.default_rng(99).standard_normal(10).astype(np.float32) * 2
    with tf.Graph().as_default(), tf.Session() as sess:
        return sess.run(tf.nn.softmax(tf.constant(logits[None, :])))[0]


@exercise(
    kind=CODE,
    answer="top3",
    given="import numpy as np",
    hints=[
        Text(
            "You need the *positions* of the three largest probabilities: the position is the "
            "digit. Which numpy function gives the positions that would sort an array?",
            "你需要的是三个最大概率的*位置*：位置就是数字。"
            "哪个 numpy 函数给出把数组排好序所需的位置？",
        ),
        Text(
            "`np.argsort` sorts from smallest to largest. Take the last three positions and "
            "put the largest first.",
            "`np.argsort` 从小到大排序。取最后三个位置，并把最大的放在最前面。",
        ),
        Text(
            "`return list(np.argsort(probabilities)[::-1][:3])`",
            "`return list(np.argsort(probabilities)[::-1][:3])`（倒序后取前三个）",
        ),
    ],
    solution="""
def top3(probabilities):
    return list(np.argsort(probabilities)[::-1][:3])
""",
    why=Text(
        "A model's second guess says as much as its first: a 4 with a 9 close behind is a "
        "4 whose top is nearly closed.",
        "模型的第二个猜测和第一个同样说明问题：判为 4、而 9 紧随其后，"
        "说明这个 4 的顶部几乎合上了。",
    ),
    mistakes=[
        Mistake(
            "def top3(probabilities):\n    return list(np.argsort(probabilities)[:3])",
            "*least* likely",
        ),
        Mistake(
            "def top3(probabilities):\n    return list(np.argsort(probabilities)[-3:])",
            "most likely first",
        ),
        Mistake(
            "def top3(probabilities):\n    return list(np.sort(probabilities)[::-1][:3])",
            "not the digits",
        ),
    ],
)
def q4(top3):
    """Write `top3(probabilities)`: the three most likely digits, most likely first."""
    probabilities = _probabilities()
    expected = [int(digit) for digit in np.argsort(probabilities)[::-1][:3]]
    received = top3(probabilities.copy())
    try:
        values = [value.item() if hasattr(value, "item") else value for value in received]
    except TypeError:
        return Text(
            f"`top3` should return three digits; it returned {received!r}.",
            f"`top3` 应当返回三个数字；它返回的是 {received!r}。",
        )
    if values == expected:
        return None
    if any(isinstance(value, float) and not float(value).is_integer() for value in values):
        return Text(
            "Those are probabilities, not the digits: you need the *positions* of the "
            "largest ones (`np.argsort`), not their values (`np.sort`).",
            "这些是概率，不是数字：你需要的是最大概率的*位置*（`np.argsort`），"
            "而不是它们的值（`np.sort`）。",
        )
    if len(values) != 3:
        return Text(
            f"Return exactly three digits; received {len(values)}.",
            f"请恰好返回三个数字；你给出的是 {len(values)} 个。",
        )
    ascending = [int(digit) for digit in np.argsort(probabilities)]
    if values == ascending[:3]:
        return Text(
            "Those are the three *least* likely digits: `np.argsort` sorts from the "
            "smallest to the largest. Take the end of it, reversed.",
            "这是可能性*最小*的三个数字：`np.argsort` 是从小到大排序的。要取它的末尾，并倒过来。",
        )
    if values == expected[::-1]:
        return Text(
            "The right three digits, in the wrong order: put the most likely first "
            "(reverse the end of `np.argsort`).",
            "三个数字对了，顺序错了：把可能性最大的放在最前面（把 `np.argsort` 的末尾倒过来）。",
        )
    return differs(values, expected, Text("the three guesses", "三个猜测"))
