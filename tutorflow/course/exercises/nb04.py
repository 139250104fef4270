"""Exercises of notebook 04, The MNIST data: three splits, rows of 784 pixels in [0, 1],
one-hot labels and the way back to digits."""

import numpy as np

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, PREDICT, Mistake, as_shape, differs, exercise
from ..language import Text


def _mnist(one_hot=True):
    """MNIST as the notebook loads it (read from the cache, a fraction of a second)."""
    return input_data.read_data_sets("MNIST_data/", one_hot=one_hot)


@exercise(
    kind=PREDICT,
    answer="n_train",
    hints=[
        Text(
            "MNIST comes as 60,000 training and 10,000 test images. Does `read_data_sets` hand "
            "all 60,000 training images to `mnist.train`?",
            "MNIST 原本有 60,000 张训练图像和 10,000 张测试图像。`read_data_sets` 会把 "
            "60,000 张训练图像全部交给 `mnist.train` 吗？",
        ),
        Text(
            "Besides `train` and `test`, `mnist` has a third split, `validation`, and its images "
            "are taken from the training file.",
            "除了 `train` 和 `test`，`mnist` 还有第三部分 `validation`（验证集），"
            "它的图像取自训练文件。",
        ),
        Text(
            "`read_data_sets` keeps the first 5,000 training images apart for validation: "
            "60,000 - 5,000.",
            "`read_data_sets` 把前 5,000 张训练图像留出来做验证：60,000 - 5,000。",
        ),
    ],
    solution="n_train = 55000",
    why=Text(
        "The validation images are held back so that we can tune our choices on them without "
        "fitting the weights to them, and without ever peeking at the test set.",
        "留出验证图像，是为了能在它们上面调整我们的各种选择，既不让权重去拟合它们，"
        "也从不偷看测试集。",
    ),
    mistakes=[
        Mistake("n_train = 60000", "keeps 5,000 of them apart"),
        Mistake("n_train = 70000", "test images too"),
    ],
)
def q1(n_train):
    """How many images does `mnist.train` hold?"""
    mnist = _mnist()
    expected = mnist.train.num_examples
    held_back = mnist.validation.num_examples
    if n_train == expected + held_back:
        return Text(
            f"{n_train:,} is the whole training file, but `read_data_sets` keeps "
            f"{held_back:,} of them apart as the validation split, so `mnist.train` holds "
            "the rest.",
            f"{n_train:,} 是整个训练文件的图像数，但 `read_data_sets` 从中留出 "
            f"{held_back:,} 张作为验证集，`mnist.train` 里只有剩下的部分。",
        )
    if n_train in (
        expected + held_back + mnist.test.num_examples,
        expected + mnist.test.num_examples,
    ):
        n_test = mnist.test.num_examples
        return Text(
            f"{n_train:,} counts the {n_test:,} test images too. They are "
            "a split of their own, `mnist.test`, never used for training.",
            f"{n_train:,} 把 {n_test:,} 张测试图像也算进去了。它们自成一部分，"
            "即 `mnist.test`，从不用于训练。",
        )
    return differs(n_train, expected, Text("the number of training images", "训练图像的数量"))


@exercise(
    kind=PREDICT,
    answer="images_shape",
    hints=[
        Text(
            "The shape has one size per axis. The first axis runs over the images: how many are "
            "there in `mnist.train`?",
            "形状为每个轴给出一个大小。第一个轴沿着各张图像排列：`mnist.train` 里有多少张图像？",
        ),
        Text(
            "Each image is 28 x 28 pixels, but `read_data_sets` (with its default "
            "`reshape=True`) flattens it into a single row.",
            "每张图像是 28 x 28 像素，但 `read_data_sets`（默认 `reshape=True`）会把它展平成一行。",
        ),
        Text(
            "55,000 rows of 28 x 28 = 784 numbers each.",
            "55,000 行，每行 28 x 28 = 784 个数。",
        ),
    ],
    solution="images_shape = (55000, 784)",
    why=Text(
        "A model that multiplies the images by a weight matrix wants each image as one row of "
        "numbers; the batch of images is then a matrix.",
        "模型要用权重矩阵去乘图像，就需要每张图像是一行数；这样一批图像就是一个矩阵。",
    ),
    mistakes=[
        Mistake("images_shape = (55000, 28, 28)", "flattened"),
        Mistake("images_shape = (60000, 784)", "validation"),
        Mistake("images_shape = (784, 55000)", "one row per image"),
    ],
)
def q2(images_shape):
    """What is the shape of `mnist.train.images`? Answer with a tuple such as `(3, 4)`."""
    images = _mnist().train.images
    expected, got = images.shape, as_shape(images_shape)
    if got == expected:
        return None
    if isinstance(got, tuple) and len(got) in (3, 4) and got[1:3] == (28, 28):
        return Text(
            f"Each image is 28 x 28, but `read_data_sets` flattened it into one row of "
            f"{expected[1]} numbers (the default `reshape=True`), so the array has two axes.",
            f"每张图像是 28 x 28，但 `read_data_sets` 已把它展平成一行 {expected[1]} 个数"
            "（默认 `reshape=True`），所以这个数组只有两个轴。",
        )
    if isinstance(got, tuple) and len(got) == 2 and got[1] == expected[1] and got[0] > expected[0]:
        return Text(
            f"{got[0]:,} rows would be the whole training file; {got[0] - expected[0]:,} of "
            "its images went to the validation split.",
            f"{got[0]:,} 行是整个训练文件的大小；其中 {got[0] - expected[0]:,} 张图像"
            "分给了验证集。",
        )
    if got == expected[::-1]:
        return Text(
            "The axes are the other way round: one row per image, one column per pixel, so "
            "the number of images comes first.",
            "两个轴的顺序反了：每张图像占一行，每个像素占一列，所以图像数排在前面。",
        )
    return differs(got, expected, Text("the shape", "形状"))


@exercise(
    kind=PREDICT,
    answer="pixel_range",
    hints=[
        Text(
            "The files store every pixel as one byte. Does `read_data_sets` keep the bytes, or "
            "turn them into something else?",
            "文件里每个像素存为一个字节。`read_data_sets` 是保留这些字节，还是把它们变成了"
            "别的东西？",
        ),
        Text(
            "The images come out as `float32`: each byte is divided by 255.",
            "读出的图像是 `float32`：每个字节都除以了 255。",
        ),
        Text("Paper is 0; full ink is 255 / 255.", "白纸是 0；最浓的墨迹是 255 / 255。"),
    ],
    solution="pixel_range = (0.0, 1.0)",
    why=Text(
        "Inputs between 0 and 1 keep the scores of a model, and so its first steps, of a "
        "sensible size; raw bytes would make them 255 times larger.",
        "输入在 0 到 1 之间，模型算出的分数（因而它最初的几步）就能保持在合理的大小；"
        "直接用原始字节，它们会大 255 倍。",
    ),
    mistakes=[
        Mistake("pixel_range = (0, 255)", "divides every byte by 255"),
        Mistake("pixel_range = (-1.0, 1.0)", "not centred"),
        Mistake("pixel_range = (1.0, 0.0)", "smallest first"),
    ],
)
def q3(pixel_range):
    """What are the smallest and the largest pixel values in `mnist.train.images`?"""
    images = _mnist().train.images
    expected = (float(images.min()), float(images.max()))
    try:
        low, high = (float(value) for value in pixel_range)
    except (TypeError, ValueError):
        return Text(
            "Give two numbers, the smallest value first, as a tuple such as `(0.5, 2.0)`.",
            "请给出两个数，较小的在前，写成元组，例如 `(0.5, 2.0)`。",
        )
    if (low, high) == expected:
        return None
    if high == 255:
        return Text(
            "255 is the largest byte in the files, but `read_data_sets` divides every byte "
            "by 255 and hands over float32 values, so full ink is 1.0.",
            "255 是文件中最大的字节值，但 `read_data_sets` 把每个字节都除以 255，"
            "交出的是 float32 值，所以最浓的墨迹是 1.0。",
        )
    if low < 0:
        return Text(
            "The pixels are only scaled, not centred: blank paper stays exactly 0, so "
            "nothing is negative.",
            "像素值只做了缩放，没有做中心化：空白的纸仍然恰好是 0，所以没有负值。",
        )
    if (high, low) == expected:
        return Text(
            "Those are the right two numbers, but put the smallest first: `(smallest, largest)`.",
            "这两个数是对的，但要把较小的放在前面：`(最小值, 最大值)`。",
        )
    return differs((low, high), expected, Text("`(smallest, largest)`", "（最小值，最大值）"))


def _one_hot_of(digit):
    """The one-hot label of ``digit``, read from MNIST itself: the label of the first training
    image of that digit."""
    first = int(np.flatnonzero(_mnist(one_hot=False).train.labels == digit)[0])
    return _mnist().train.labels[first]


@exercise(
    kind=PREDICT,
    answer="one_hot_3",
    hints=[
        Text(
            "How many positions does a one-hot row have, and what number sits at the position "
            "of the digit?",
            "一个独热编码的行有多少个位置？数字所对应的那个位置上是什么数？",
        ),
        Text(
            "Ten positions, one per digit, and a single 1. Which position belongs to the digit 0?",
            "十个位置，每个数字一个，其中只有一个 1。数字 0 对应哪个位置？",
        ),
        Text(
            "Positions are counted from 0, and position k stands for the digit k.",
            "位置从 0 开始数，位置 k 代表数字 k。",
        ),
    ],
    solution="one_hot_3 = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]",
    why=Text(
        "A one-hot label is the probability distribution of a teacher who is certain, the same "
        "kind of thing as the model's ten probabilities, so the two can be compared.",
        "独热标签就是一位十分确定的老师给出的概率分布，和模型输出的十个概率是同一类东西，"
        "所以两者可以直接比较。",
    ),
    mistakes=[
        Mistake("one_hot_3 = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]", "counting from 1"),
        Mistake("one_hot_3 = [0, 0, 0, 3, 0, 0, 0, 0, 0, 0]", "a single 1"),
        Mistake("one_hot_3 = [0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]", "ten positions"),
    ],
)
def q4(one_hot_3):
    """Write the one-hot label of the digit 3 as a list of numbers."""
    expected = _one_hot_of(3)
    try:
        got = np.asarray(one_hot_3, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return Text(
            "Give a list of numbers, such as `[0, 1, 0]`.", "请给出一个数的列表，例如 `[0, 1, 0]`。"
        )
    if len(got) != len(expected):
        more_en, more_zh = (
            (
                " And the position of the digit holds a 1, not the digit.",
                "另外，数字所在的位置上放的是 1，而不是这个数字本身。",
            )
            if 3 in got
            else ("", "")
        )
        return Text(
            f"Your row has {len(got)} numbers. There are ten classes, so a one-hot label "
            f"has ten positions, one per digit 0 to 9.{more_en}",
            f"你的这一行有 {len(got)} 个数。一共有十个类别，所以独热标签有十个位置，"
            f"分别对应数字 0 到 9。{more_zh}",
        )
    if np.array_equal(got, expected):
        return None
    if np.count_nonzero(got) == 1 and got.max() not in (0, 1):
        return Text(
            f"The row holds a {got.max():g}; a one-hot row holds a single 1 at the position "
            "of the digit and 0 everywhere else, whatever the digit.",
            f"这一行里有一个 {got.max():g}；而不论是哪个数字，独热编码的行都只在该数字的位置上"
            "放一个 1，其余位置全是 0。",
        )
    if np.count_nonzero(got) == 1 and int(np.argmax(got)) == 3 - 1:
        return Text(
            "That is counting from 1: the first position stands for the digit 0, so the "
            "digit 3 is at position 3, the fourth one.",
            "这是从 1 开始数的：第一个位置代表数字 0，所以数字 3 在位置 3，也就是第四个位置。",
        )
    return differs(got, expected, Text("the one-hot row", "独热编码的行"))


@exercise(
    kind=CODE,
    answer="to_digits",
    given="import numpy as np",
    hints=[
        Text(
            "In each row the digit is the position of the 1, which is also the position of the "
            "largest value. numpy has a function that finds that position.",
            "每一行中，数字就是 1 所在的位置，也就是最大值所在的位置。numpy 有一个函数"
            "专门找这个位置。",
        ),
        Text(
            "`np.argmax` takes an `axis`. Axis 0 runs down the columns (over the images), "
            "axis 1 along each row (over the ten classes).",
            "`np.argmax` 接受一个参数 `axis`。轴 0 沿列向下（跨各张图像），"
            "轴 1 沿每一行（跨十个类别）。",
        ),
        Text(
            "`return np.argmax(one_hot, axis=1)`",
            "`return np.argmax(one_hot, axis=1)`（沿轴 1 取最大值的位置）",
        ),
    ],
    solution="""
def to_digits(one_hot):
    return np.argmax(one_hot, axis=1)
""",
    why=Text(
        "`argmax` over the classes turns one-hot labels, and later a model's ten "
        "probabilities, into the digit they stand for.",
        "在类别这一维上取 `argmax`，就能把独热标签（以及后面模型输出的十个概率）"
        "变回它们所代表的数字。",
    ),
    mistakes=[
        Mistake("def to_digits(one_hot):\n    return np.argmax(one_hot, axis=0)", "axis 0"),
        Mistake("def to_digits(one_hot):\n    return np.argmax(one_hot)", "without an axis"),
        Mistake(
            "def to_digits(one_hot):\n    return np.argmax(one_hot, axis=1) + 1", "counts from 1"
        ),
    ],
)
def q5(to_digits):
    """Write `to_digits(one_hot)`: from a matrix of one-hot rows, the digit of each row."""
    one_hot = _mnist().train.labels[:25]
    expected = _mnist(one_hot=False).train.labels[:25]
    got = to_digits(one_hot.copy())
    if isinstance(got, tf.Tensor):
        return Text(
            "You returned a tensor, a node of a graph, not the digits. Use numpy here "
            "(`np.argmax`), or run the tensor in a session and return its value.",
            "你返回的是一个张量，即计算图中的一个节点，而不是数字。这里请用 numpy"
            "（`np.argmax`），或者在会话中运行这个张量，返回它的值。",
        )
    got = np.asarray(got)
    if got.shape == (one_hot.shape[1],):
        return Text(
            f"You returned {got.shape[0]} numbers for {len(one_hot)} rows: argmax over axis "
            "0 looks down each column, across the images. Take it over axis 1, along each "
            "row.",
            f"你为 {len(one_hot)} 行返回了 {got.shape[0]} 个数：沿轴 0 取 argmax 是顺着每一列"
            "往下看，跨越各张图像。应该沿轴 1，也就是沿每一行取。",
        )
    if got.shape == ():
        return Text(
            f"You returned the single number {got}: `np.argmax` without an axis looks at "
            "the whole matrix as one flat list. Give it `axis=1` to get one digit per row.",
            f"你只返回了一个数 {got}：不指定轴的 `np.argmax` 会把整个矩阵当成一个展平的列表。"
            "给它加上 `axis=1`，每一行就得到一个数字。",
        )
    if got.shape == expected.shape and np.array_equal(got - 1, expected):
        return Text(
            "Every digit is one too large: your function counts from 1. Position 0 of a "
            "one-hot row stands for the digit 0.",
            "每个数字都大了 1：你的函数是从 1 开始数的。独热编码行的位置 0 代表数字 0。",
        )
    return differs(
        got,
        expected,
        Text("the digits of the first 25 training labels", "前 25 个训练标签对应的数字"),
    )
