"""Exercises of notebook 05, Softmax regression: shapes and parameters of the model, the
cross-entropy and its log(0), accuracy, and a learning rate that fits the loss."""

import math

import numpy as np

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, EXPLORE, PREDICT, Mistake, as_shape, differs, exercise
from ..language import Text


def _model():
    """The notebook's model, built afresh in a graph of its own."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.zeros([784, 10]), name="W")
        b = tf.Variable(tf.zeros([10]), name="b")
        logits = tf.matmul(x, W) + b
        y = tf.nn.softmax(logits)
    return graph, x, logits, y


@exercise(
    kind=PREDICT,
    answer="y_shape",
    hints=[
        Text(
            "`y` has one row per image in the batch. How many images will the batch hold?",
            "批量中的每张图像在 `y` 里占一行。这个批量会有多少张图像？",
        ),
        Text(
            "The batch size is not fixed: `x` was declared with `None` as its first size, and "
            "`y` inherits it. How many numbers does each row of `y` hold?",
            "批量大小并不固定：`x` 声明时第一维的大小写的是 `None`，`y` 也继承了这一点。"
            "`y` 的每一行有多少个数？",
        ),
        Text(
            "Ten probabilities per image, for a number of images left open: `(None, 10)`.",
            "每张图像 10 个概率，图像的个数待定：`(None, 10)`。",
        ),
    ],
    solution="y_shape = (None, 10)",
    why=Text(
        "Leaving the batch size open lets one graph take a batch of 100 for training and all "
        "10,000 test images at once for testing.",
        "批量大小不固定，同一个计算图就既能在训练时接收 100 张图像的批量，"
        "又能在测试时一次接收全部 10,000 张测试图像。",
    ),
    mistakes=[
        Mistake("y_shape = (10,)", "one row per image"),
        Mistake("y_shape = (784, 10)", "shape of `W`"),
        Mistake("y_shape = (100, 10)", "left open"),
    ],
)
def q1(y_shape):
    """What shape will `print(y)` show? Write a size left open as `None`, e.g. `(None, 3)`."""
    graph, x, _, y = _model()
    expected = tuple(y.shape.as_list())
    got = as_shape(y_shape)
    if got == expected:
        return None
    if got == (expected[1],):
        return Text(
            f"{got} is the shape of one image's probabilities (and of the bias `b`). `y` "
            "holds one row per image in the batch, and `+ b` adds `b` to every row, so "
            "there is an axis for the images in front.",
            f"{got} 是一张图像的概率的形状（也是偏置 `b` 的形状）。批量中的每张图像在 `y` "
            "里占一行，`+ b` 把 `b` 加到每一行上，所以最前面还有一个对应各张图像的轴。",
        )
    if got == (784, expected[1]):
        return Text(
            "(784, 10) is the shape of `W`. The product `xW` has as many rows as `x` and "
            "as many columns as `W`.",
            "(784, 10) 是 `W` 的形状。乘积 `xW` 的行数与 `x` 相同，列数与 `W` 相同。",
        )
    if isinstance(got, tuple) and len(got) == 2 and got[1] == expected[1] and got[0] is not None:
        return Text(
            f"The batch size is not {got[0]}: `x` was declared with `None` as its first "
            "size, so it is left open, printed `?`, and `y` inherits it. Write `None`.",
            f"批量大小不是 {got[0]}：`x` 声明时第一维写的是 `None`，所以这一维的大小待定，"
            "打印出来是 `?`，`y` 也继承了这一点。请写 `None`。",
        )
    return differs(got, expected, Text("the shape", "形状"))


@exercise(
    kind=PREDICT,
    answer="n_parameters",
    hints=[
        Text(
            "Count the numbers the model can learn: every entry of `W` and every entry of `b`.",
            "数一数模型能学习的数：`W` 的每个元素，再加上 `b` 的每个元素。",
        ),
        Text(
            "`W` has one weight for every pixel and every digit, and `b` one number per digit.",
            "`W` 为每个像素、每个数字各配一个权重，`b` 则每个数字一个数。",
        ),
        Text("784 x 10 + 10.", "784 × 10 + 10，即 `W` 的元素个数加上偏置的个数。"),
    ],
    solution="n_parameters = 784 * 10 + 10",
    why=Text(
        "Counting parameters tells how much a model can learn (and how much memory it needs); "
        "biases are easy to forget.",
        "数清参数的个数，就知道模型能学多少东西（以及需要多少内存）；偏置很容易被漏掉。",
    ),
    mistakes=[
        Mistake("n_parameters = 7840", "forgot the bias"),
        Mistake("n_parameters = 784", "one weight per digit"),
        Mistake("n_parameters = 794", "multiply"),
    ],
)
def q2(n_parameters):
    """How many numbers do `W` and `b` hold together, the parameters that training adjusts?"""
    graph, *_ = _model()
    with graph.as_default():
        sizes = [int(np.prod(v.shape.as_list())) for v in tf.trainable_variables()]
    expected = sum(sizes)
    weights, biases = sizes
    if n_parameters == weights:
        return Text(
            f"{weights:,} is `W` alone: you forgot the bias `b`, which adds {biases} more, "
            "one per digit.",
            f"{weights:,} 只是 `W` 的参数：你漏掉了偏置 `b`，它还有 {biases} 个，每个数字一个。",
        )
    if n_parameters in (784, 785):
        return Text(
            "784 is one weight per pixel, but each pixel has one weight per digit, "
            "a column of `W` for each of the ten digits.",
            "784 是每个像素一个权重，但其实每个像素对每个数字都有一个权重：十个数字各占 `W` "
            "的一列。",
        )
    if n_parameters == 784 + biases:
        return Text(
            "784 + 10 adds the sizes of the two axes of `W`; multiply them to count its "
            "entries, then add the bias.",
            "784 + 10 是把 `W` 两个轴的大小相加；要数它的元素个数，得把两者相乘，再加上偏置。",
        )
    return differs(n_parameters, expected, Text("the number of parameters", "参数的个数"))


@exercise(
    kind=PREDICT,
    answer="initial_loss",
    hints=[
        Text(
            "With `W` and `b` all zero, what are the ten scores of any image, and what "
            "probabilities does softmax make of them?",
            "`W` 和 `b` 全为零时，任意一张图像的十个分数是多少？softmax 又会把它们变成怎样的概率？",
        ),
        Text(
            "Every score is 0, so softmax gives each digit the same probability. What is the "
            "cross-entropy when the right digit gets that probability?",
            "每个分数都是 0，所以 softmax 给每个数字相同的概率。正确的数字得到这个概率时，"
            "交叉熵是多少？",
        ),
        Text(
            "The cross-entropy is -log(probability of the right digit), with probability 1/10.",
            "交叉熵是 -log(正确数字的概率)，而这个概率是 1/10。",
        ),
    ],
    solution="initial_loss = -np.log(1 / 10)",
    why=Text(
        "Knowing the loss of a model that guesses evenly (log 10 for ten classes) tells you at "
        "the first step whether a training run starts as it should.",
        "知道一个对各类别一视同仁地瞎猜的模型的损失（十个类别时是 log 10），"
        "在第一步就能判断训练的开局是否正常。",
    ),
    mistakes=[
        Mistake("initial_loss = 0", "not a loss of zero"),
        Mistake("initial_loss = 0.1", "probability"),
        Mistake("initial_loss = 10", "log"),
    ],
)
def q3(initial_loss):
    """Before it learns (W and b zero), what cross-entropy does the model get on a batch?"""
    graph, x, logits, _ = _model()
    with graph.as_default():
        y_ = tf.placeholder(tf.float32, [None, 10])
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
        rng = np.random.default_rng(0)
        feed = {x: rng.random((100, 784)), y_: np.eye(10)[rng.integers(0, 10, 100)]}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = float(sess.run(loss, feed))
    try:
        got = float(initial_loss)
    except (TypeError, ValueError):
        return Text(
            "Give a number, such as `1.5` or `np.log(3)`.",
            "请给出一个数，例如 `1.5` 或 `np.log(3)`。",
        )
    if math.isclose(got, expected, rel_tol=0.01):
        return None
    if got == 0:
        return Text(
            "Zero weights are not a loss of zero: they make every score 0, so softmax gives "
            "every digit probability 1/10, and the right digit's 1/10 costs -log(1/10).",
            "权重为零并不意味着损失为零：它们让每个分数都是 0，于是 softmax 给每个数字 1/10 "
            "的概率，而正确数字的这 1/10 带来 -log(1/10) 的损失。",
        )
    if math.isclose(got, 0.1):
        return Text(
            "0.1 is the probability each digit gets. The loss is minus the log of the right "
            "digit's probability.",
            "0.1 是每个数字得到的概率。损失是正确数字的概率取对数后再取负。",
        )
    if math.isclose(got, 10):
        return Text(
            "10 is the number of classes; the loss is the log of it, -log(1/10).",
            "10 是类别数；损失是它的对数，即 -log(1/10)。",
        )
    return differs(got, expected, Text("the loss", "损失"), rtol=0.01)


# Scores of three images (rows) for three classes; the labels say which class is right. The
# last two rows are large: the confident right answer and the confident wrong one of the
# notebook, where a log taken of softmax's output meets a probability rounded down to 0.
_GENTLE = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [0.0, 0.3, 0.2], [1.0, -1.0, 3.0]])
_GENTLE_LABELS = np.eye(3)[[0, 1, 2, 0]]
_EXTREME = np.array([[100.0, 90.0, -100.0], [100.0, 90.0, -100.0], [1.0, 2.0, 3.0]])
_EXTREME_LABELS = np.eye(3)[[0, 2, 2]]


def _losses(function, scores, labels):
    """Runs ``function(logits, labels)`` on placeholders fed ``scores`` and ``labels`` in a
    graph of its own; returns the learner's value and the fused op's loss of each image."""
    with tf.Graph().as_default():
        logits = tf.placeholder(tf.float32, [None, scores.shape[1]])
        targets = tf.placeholder(tf.float32, [None, scores.shape[1]])
        result = function(logits, targets)
        each = tf.nn.softmax_cross_entropy_with_logits(labels=targets, logits=logits)
        twice = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits(labels=targets, logits=tf.nn.softmax(logits))
        )
        if not isinstance(result, tf.Tensor):
            return result, None, None
        with tf.Session() as sess, np.errstate(all="ignore"):
            return sess.run([result, each, twice], {logits: scores, targets: labels})


@exercise(
    kind=CODE,
    answer="mean_cross_entropy",
    hints=[
        Text(
            "Start from the scores (`logits`), not from softmax's output: one op computes "
            "softmax and cross-entropy together.",
            "从分数（`logits`）出发，而不是从 softmax 的输出出发：有一个运算能把 softmax "
            "和交叉熵一起算出来。",
        ),
        Text(
            "`tf.nn.softmax_cross_entropy_with_logits(labels=..., logits=...)` gives one loss "
            "per image; the loss of the batch is their mean.",
            "`tf.nn.softmax_cross_entropy_with_logits(labels=..., logits=...)` "
            "为每张图像给出一个损失；整个批量的损失是它们的平均值。",
        ),
        Text(
            "`return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, "
            "logits=logits))`",
            "函数体就是 `return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits("
            "labels=labels, logits=logits))`。",
        ),
    ],
    solution="""
def mean_cross_entropy(logits, labels):
    losses = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(losses)
""",
    why=Text(
        "The fused op never takes the log of a probability rounded to 0, so one confident "
        "mistake cannot turn the loss, and then every weight, into nan.",
        "融合运算从不对舍入成 0 的概率取对数，因此一个自信的错误不会把损失变成 nan，"
        "也就不会接着把每个权重都变成 nan。",
    ),
    mistakes=[
        Mistake(
            "def mean_cross_entropy(logits, labels):\n"
            "    y = tf.nn.softmax(logits)\n"
            "    return tf.reduce_mean(-tf.reduce_sum(labels * tf.log(y), reduction_indices=[1]))",
            "log(0)",
        ),
        Mistake(
            "def mean_cross_entropy(logits, labels):\n"
            "    return tf.reduce_sum(\n"
            "        tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits))",
            "adds the losses",
        ),
        Mistake(
            "def mean_cross_entropy(logits, labels):\n"
            "    y = tf.nn.softmax(logits)\n"
            "    return tf.reduce_mean(\n"
            "        tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=y))",
            "softmax twice",
        ),
        Mistake(
            "def mean_cross_entropy(logits, labels):\n"
            "    return tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)",
            "one loss per image",
        ),
        Mistake(
            "def mean_cross_entropy(logits, labels):\n"
            "    y = tf.nn.softmax(logits)\n"
            "    return tf.reduce_mean(\n"
            "        -tf.reduce_sum(labels * tf.log(y + 1e-10), reduction_indices=[1]))",
            "hides the nan",
        ),
    ],
)
def q4(mean_cross_entropy):
    """Write `mean_cross_entropy(logits, labels)`: the batch's mean cross-entropy, safe from
    log(0)."""
    for scores, labels in ((_GENTLE, _GENTLE_LABELS), (_EXTREME, _EXTREME_LABELS)):
        got, each, twice = _losses(mean_cross_entropy, scores, labels)
        if each is None:
            return Text(
                f"Your function returned {type(got).__name__} {got!r}; return a tensor of "
                "the graph (the session runs it).",
                f"你的函数返回的是 {type(got).__name__} {got!r}；应当返回计算图中的一个张量"
                "（由会话来运行它）。",
            )
        got = np.asarray(got)
        expected = each.mean()
        if got.shape == each.shape:
            return Text(
                "You returned one loss per image (a vector). The loss of the batch is a "
                "single number: average them with `tf.reduce_mean`.",
                "你返回的是每张图像一个损失（一个向量）。整个批量的损失是单个数："
                "用 `tf.reduce_mean` 求它们的平均值。",
            )
        if got.shape != ():
            return differs(got, expected, Text("the loss", "损失"))
        if not np.isfinite(got):
            return Text(
                f"On scores as large as 100 your loss is {got}: softmax rounds a tiny "
                "probability to exactly 0, `tf.log(0)` is -inf, and 0 x -inf is nan. Use the "
                "fused `tf.nn.softmax_cross_entropy_with_logits` on the logits.",
                f"分数大到 100 时，你的损失是 {got}：softmax 把极小的概率舍入成恰好为 0，"
                "`tf.log(0)` 是 -inf，而 0 × -inf 是 nan。请对 logits 使用融合运算 "
                "`tf.nn.softmax_cross_entropy_with_logits`。",
            )
        if np.isclose(got, expected, rtol=1e-4):
            continue
        if np.isclose(got, each.sum(), rtol=1e-4):
            return Text(
                "Your loss adds the losses of the batch: it grows with the batch size, and "
                "so does every step. Average them with `tf.reduce_mean`.",
                "你的损失把批量中各图像的损失加在了一起：它随批量大小而增长，每一步的步长"
                "也随之增长。请用 `tf.reduce_mean` 求平均。",
            )
        if np.isclose(got, twice, rtol=1e-4):
            return Text(
                "You applied softmax twice: the fused op applies softmax itself, so give it "
                "the scores (`logits`), not probabilities.",
                "你把 softmax 用了两次：融合运算自己会做 softmax，所以要交给它分数"
                "（`logits`），而不是概率。",
            )
        if np.isclose(got, -expected, rtol=1e-4):
            return Text(
                "Your loss has the wrong sign: the cross-entropy is *minus* the log.",
                "你的损失符号反了：交叉熵是对数的*相反数*。",
            )
        if scores is _EXTREME and got < expected:
            return Text(
                f"On scores as large as 100 your loss is {got:.4g}, the fused op's "
                f"{expected:.4g}. Adding a small number inside the log hides the nan but "
                "caps what a confident mistake costs; the fused op needs no such trick.",
                f"分数大到 100 时，你的损失是 {got:.4g}，而融合运算给出 {expected:.4g}。"
                "在对数里加一个小数虽然掩盖了 nan，却也给自信的错误设了代价上限；"
                "融合运算不需要这种技巧。",
            )
        return differs(got, expected, Text("the mean cross-entropy", "平均交叉熵"), rtol=1e-4)
    return None


_ACCURACY_SCORES = np.random.default_rng(5).normal(size=(40, 10))
_ACCURACY_LABELS = np.eye(10)[
    np.where(
        np.arange(40) < 30,
        _ACCURACY_SCORES.argmax(axis=1),
        (_ACCURACY_SCORES.argmax(axis=1) + 1 + np.arange(40) % 9) % 10,
    )
]  # 30 of the 40 rows are right: accuracy 0.75


@exercise(
    kind=CODE,
    answer="batch_accuracy",
    hints=[
        Text(
            "Three steps: the predicted digit of each image, compared with the label's digit, "
            "then the fraction of matches.",
            "分三步：求出每张图像预测的数字，与标签的数字比较，再算出相符的比例。",
        ),
        Text(
            "`tf.argmax(..., 1)` gives each row's digit; `tf.equal` compares; `tf.reduce_mean` "
            "averages numbers, not bools.",
            "`tf.argmax(..., 1)` 给出每一行的数字；`tf.equal` 做比较；`tf.reduce_mean` "
            "只能对数求平均，不能对布尔值求平均。",
        ),
        Text(
            "`correct = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))`, then "
            "`return tf.reduce_mean(tf.cast(correct, tf.float32))`.",
            "先写 `correct = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))`，"
            "再写 `return tf.reduce_mean(tf.cast(correct, tf.float32))`。",
        ),
    ],
    solution="""
def batch_accuracy(logits, labels):
    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))
    return tf.reduce_mean(tf.cast(correct, tf.float32))
""",
    why=Text(
        "Accuracy is what we report, but it has no useful gradient, which is why we train on "
        "the cross-entropy and only watch the accuracy.",
        "我们报告的是准确率，但它没有可用的梯度；所以训练时优化的是交叉熵，准确率只用来观察。",
    ),
    mistakes=[
        Mistake(
            "def batch_accuracy(logits, labels):\n"
            "    correct = tf.equal(tf.argmax(logits, 0), tf.argmax(labels, 0))\n"
            "    return tf.reduce_mean(tf.cast(correct, tf.float32))",
            "axis 0",
        ),
        Mistake(
            "def batch_accuracy(logits, labels):\n"
            "    return tf.reduce_mean(tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1)))",
            "without casting",
        ),
        Mistake(
            "def batch_accuracy(logits, labels):\n"
            "    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))\n"
            "    return tf.reduce_mean(tf.cast(correct, tf.int32))",
            "rounded down",
        ),
        Mistake(
            "def batch_accuracy(logits, labels):\n"
            "    return tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1)), tf.float32)",
            "one number per image",
        ),
    ],
)
def q5(batch_accuracy):
    """Write `batch_accuracy(logits, labels)`: the fraction of images whose most likely digit
    is the label's."""
    with tf.Graph().as_default():
        logits = tf.placeholder(tf.float32, [None, 10])
        labels = tf.placeholder(tf.float32, [None, 10])
        try:
            result = batch_accuracy(logits, labels)
        except TypeError as error:
            if "bool" not in str(error):
                raise
            return Text(
                "`tf.equal` gives bools and you averaged the bools without casting them: "
                f"`tf.reduce_mean` takes numbers only (TypeError: {error}). Turn "
                "True and False into 1.0 and 0.0 with `tf.cast(correct, tf.float32)`.",
                "`tf.equal` 给出的是布尔值，而你没有转换类型就对它们求了平均："
                f"`tf.reduce_mean` 只接受数（TypeError: {error}）。"
                "请用 `tf.cast(correct, tf.float32)` 把 True 和 False 变成 1.0 和 0.0。",
            )
        if not isinstance(result, tf.Tensor):
            return Text(
                f"Your function returned {type(result).__name__} {result!r}; return a tensor "
                "of the graph (the session runs it).",
                f"你的函数返回的是 {type(result).__name__} {result!r}；应当返回计算图中的一个"
                "张量（由会话来运行它）。",
            )
        correct = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))
        expected = tf.reduce_mean(tf.cast(correct, tf.float32))
        across = tf.equal(tf.argmax(logits, 0), tf.argmax(labels, 0))
        across = tf.reduce_mean(tf.cast(across, tf.float32))
        feed = {logits: _ACCURACY_SCORES, labels: _ACCURACY_LABELS}
        with tf.Session() as sess:
            got, expected, across = sess.run([result, expected, across], feed)
    got = np.asarray(got)
    if got.shape == (len(_ACCURACY_SCORES),):
        return Text(
            "You returned one number per image (1 right, 0 wrong); the accuracy is their "
            "mean, a single number: finish with `tf.reduce_mean`.",
            "你返回的是每张图像一个数（对为 1，错为 0）；准确率是它们的平均值，是单个数："
            "最后还要用 `tf.reduce_mean`。",
        )
    if got.shape == () and np.isclose(got, expected):
        return None
    if got.shape == () and np.issubdtype(got.dtype, np.integer):
        return Text(
            f"Your accuracy is the integer {got}: the mean of int32 ones and zeros is "
            "rounded down to a whole number. Cast the bools to `tf.float32` instead.",
            f"你的准确率是整数 {got}：int32 的 1 和 0 求平均，结果会向下取整成整数。"
            "应当把布尔值转换成 `tf.float32`。",
        )
    if got.shape == () and np.isclose(got, across) and not np.isclose(across, expected):
        return Text(
            f"Your accuracy is {float(got):.2f} where it should be {expected:.2f}: argmax "
            "over axis 0 looks down each column, across the images of the batch. Each "
            "image's digit is the argmax along its row: axis 1.",
            f"你的准确率是 {float(got):.2f}，应为 {expected:.2f}：沿轴 0 取 argmax，"
            "是顺着每一列往下看，跨过了批量中的各张图像。每张图像的数字是它那一行的 "
            "argmax：轴 1。",
        )
    return differs(got, expected, Text("the accuracy", "准确率"))


_STEPS, _EVERY, _TARGET = 200, 50, 0.90


def _train(learning_rate):
    """Trains the notebook's model as its ``train_softmax`` does (mean loss, batches of 100 in
    the order of ``seed=0``) for 200 steps; returns the batch losses and the validation
    accuracy measured every 50 steps."""
    data = input_data.read_data_sets("MNIST_data/", one_hot=True, seed=0)
    graph, x, logits, _ = _model()
    with graph.as_default():
        y_ = tf.placeholder(tf.float32, [None, 10])
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
        train_step = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
        correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        validation = {x: data.validation.images, y_: data.validation.labels}
        losses, accuracies = [], []
        with tf.Session() as sess, np.errstate(all="ignore"):
            sess.run(tf.global_variables_initializer())
            for step in range(1, _STEPS + 1):
                batch_xs, batch_ys = data.train.next_batch(100)
                losses.append(sess.run([train_step, loss], {x: batch_xs, y_: batch_ys})[1])
                if step % _EVERY == 0:
                    accuracies.append(float(sess.run(accuracy, validation)))
    return np.array(losses), accuracies


@exercise(
    kind=EXPLORE,
    answer="chosen_rate",
    hints=[
        Text(
            "Try rates ten times apart first (0.01, 0.1, 1, 10) and watch both the accuracy "
            "and the loss: too small creeps, too large jumps around.",
            "先试相差十倍的学习率（0.01、0.1、1、10），同时观察准确率和损失："
            "太小则进展缓慢，太大则来回跳动。",
        ),
        Text(
            "With the mean loss, the tutorial's 0.01 is 100 times smaller than the step it "
            "meant. Look between 0.1 and a few.",
            "用平均损失时，教程里的 0.01 比它原本想要的步长小了 100 倍。"
            "在 0.1 到个位数之间找找看。",
        ),
        Text(
            "Rates around 0.5 to 1 get there; 0.5, the rate the notebook trains with, does.",
            "0.5 到 1 左右的学习率都能达到；本笔记本训练时用的 0.5 就可以。",
        ),
    ],
    solution="chosen_rate = 0.5",
    why=Text(
        "A learning rate only means something together with the scale of the loss; finding "
        "one by a few quick runs, ten times apart and then finer, is a skill used on every "
        "model.",
        "学习率只有结合损失的尺度才有意义；先以十倍为间隔、再逐步细化，"
        "靠几次快速运行找到合适的学习率，这是训练任何模型都用得上的本领。",
    ),
    mistakes=[
        Mistake("chosen_rate = 0.01", "reduce_sum"),
        Mistake("chosen_rate = 0.05", "too small"),
        Mistake("chosen_rate = 5.0", "too large"),
        Mistake("chosen_rate = -0.5", "uphill"),
    ],
)
def q6(chosen_rate):
    """Find a learning rate with which the mean loss reaches 90% validation accuracy within 200
    steps of 100 images."""
    try:
        rate = float(chosen_rate)
    except (TypeError, ValueError):
        return Text(
            "Give the learning rate as a number, such as `0.3`.",
            "请把学习率写成一个数，例如 `0.3`。",
        )
    if not rate > 0:
        return Text(
            "A learning rate must be positive: gradient descent steps against the slope, "
            "and a negative rate steps uphill, making the loss larger at every step.",
            "学习率必须为正：梯度下降逆着斜率往下走，负的学习率则会往上坡走，"
            "每一步都让损失变得更大。",
        )
    losses, accuracies = _train(rate)
    best = max(accuracies) if accuracies else float("nan")
    if best >= _TARGET:
        return None
    if not np.all(np.isfinite(losses)):
        overflow = losses[~np.isfinite(losses)][0]
        return Text(
            f"With {rate:g} the loss became {overflow}: the steps are "
            "far too large and the weights overflowed. Try rates ten times smaller.",
            f"学习率为 {rate:g} 时，损失变成了 {overflow}：步长太大，权重溢出了。"
            "试试小十倍的学习率。",
        )
    if losses.max() > 1.1 * losses[0]:
        return Text(
            f"With {rate:g} the validation accuracy peaked at {best:.1%}, and a batch loss "
            f"jumped to {losses.max():.3g}, above the {losses[0]:.3f} of the untrained "
            "model: the rate is too large, each step overshoots the valley. Try a smaller one.",
            f"学习率为 {rate:g} 时，验证准确率最高只到 {best:.1%}，而且有一个批量的损失"
            f"跳到了 {losses.max():.3g}，比未训练的模型的 {losses[0]:.3f} 还高："
            "学习率太大，每一步都越过了谷底。试试更小的。",
        )
    if math.isclose(rate, 0.01):
        return Text(
            f"0.01, the tutorial's rate, reaches only {best:.1%}. It is too small with "
            "`reduce_mean`: the tutorial first used `reduce_sum`, whose gradient over a batch "
            "of 100 is 100 times larger, so 0.01 on the sum was a step of 1.0 on the mean.",
            f"教程用的 0.01 只能达到 {best:.1%}。配合 `reduce_mean`，它太小了：教程最初用的是 "
            "`reduce_sum`，对 100 张图像的批量，它的梯度是平均损失的梯度的 100 倍，"
            "所以对总和用 0.01，相当于对平均值迈出 1.0 的一步。",
        )
    return Text(
        f"With {rate:g} the validation accuracy reaches only {best:.1%} in {_STEPS} steps, and "
        "the loss is still falling steadily: the rate is too small. Try a larger one.",
        f"学习率为 {rate:g} 时，{_STEPS} 步内验证准确率只达到 {best:.1%}，而损失还在稳步下降："
        "学习率太小。试试更大的。",
    )
