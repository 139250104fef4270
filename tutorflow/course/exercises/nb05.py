"""Exercises of notebook 05, Softmax regression: shapes and parameters of the model, the
cross-entropy and its log(0), accuracy, and a learning rate that fits the loss."""

import math

import numpy as np

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, EXPLORE, PREDICT, Mistake, as_shape, differs, exercise


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
        "`y` has one row per image in the batch. How many images will the batch hold?",
        "The batch size is not fixed: `x` was declared with `None` as its first size, and "
        "`y` inherits it. How many numbers does each row of `y` hold?",
        "Ten probabilities per image, for a number of images left open: `(None, 10)`.",
    ],
    solution="y_shape = (None, 10)",
    why="Leaving the batch size open lets one graph take a batch of 100 for training and all "
    "10,000 test images at once for testing.",
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
        return (
            f"{got} is the shape of one image's probabilities (and of the bias `b`). `y` "
            "holds one row per image in the batch, and `+ b` adds `b` to every row, so "
            "there is an axis for the images in front."
        )
    if got == (784, expected[1]):
        return (
            "(784, 10) is the shape of `W`. The product `xW` has as many rows as `x` and "
            "as many columns as `W`."
        )
    if isinstance(got, tuple) and len(got) == 2 and got[1] == expected[1] and got[0] is not None:
        return (
            f"The batch size is not {got[0]}: `x` was declared with `None` as its first "
            "size, so it is left open, printed `?`, and `y` inherits it. Write `None`."
        )
    return differs(got, expected, "the shape")


@exercise(
    kind=PREDICT,
    answer="n_parameters",
    hints=[
        "Count the numbers the model can learn: every entry of `W` and every entry of `b`.",
        "`W` has one weight for every pixel and every digit, and `b` one number per digit.",
        "784 x 10 + 10.",
    ],
    solution="n_parameters = 784 * 10 + 10",
    why="Counting parameters tells how much a model can learn (and how much memory it needs); "
    "biases are easy to forget.",
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
        return (
            f"{weights:,} is `W` alone: you forgot the bias `b`, which adds {biases} more, "
            "one per digit."
        )
    if n_parameters in (784, 785):
        return (
            "784 is one weight per pixel, but each pixel has one weight per digit, "
            "a column of `W` for each of the ten digits."
        )
    if n_parameters == 784 + biases:
        return (
            "784 + 10 adds the sizes of the two axes of `W`; multiply them to count its "
            "entries, then add the bias."
        )
    return differs(n_parameters, expected, "the number of parameters")


@exercise(
    kind=PREDICT,
    answer="initial_loss",
    hints=[
        "With `W` and `b` all zero, what are the ten scores of any image, and what "
        "probabilities does softmax make of them?",
        "Every score is 0, so softmax gives each digit the same probability. What is the "
        "cross-entropy when the right digit gets that probability?",
        "The cross-entropy is -log(probability of the right digit), with probability 1/10.",
    ],
    solution="initial_loss = -np.log(1 / 10)",
    why="Knowing the loss of a model that guesses evenly (log 10 for ten classes) tells you at "
    "the first step whether a training run starts as it should.",
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
        return "Give a number, such as `1.5` or `np.log(3)`."
    if math.isclose(got, expected, rel_tol=0.01):
        return None
    if got == 0:
        return (
            "Zero weights are not a loss of zero: they make every score 0, so softmax gives "
            "every digit probability 1/10, and the right digit's 1/10 costs -log(1/10)."
        )
    if math.isclose(got, 0.1):
        return (
            "0.1 is the probability each digit gets. The loss is minus the log of the right "
            "digit's probability."
        )
    if math.isclose(got, 10):
        return "10 is the number of classes; the loss is the log of it, -log(1/10)."
    return differs(got, expected, "the loss", rtol=0.01)


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
        "Start from the scores (`logits`), not from softmax's output: one op computes softmax "
        "and cross-entropy together.",
        "`tf.nn.softmax_cross_entropy_with_logits(labels=..., logits=...)` gives one loss per "
        "image; the loss of the batch is their mean.",
        "`return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, "
        "logits=logits))`",
    ],
    solution="""
def mean_cross_entropy(logits, labels):
    losses = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(losses)
""",
    why="The fused op never takes the log of a probability rounded to 0, so one confident "
    "mistake cannot turn the loss, and then every weight, into nan.",
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
            return (
                f"Your function returned {type(got).__name__} {got!r}; return a tensor of "
                "the graph (the session runs it)."
            )
        got = np.asarray(got)
        expected = each.mean()
        if got.shape == each.shape:
            return (
                "You returned one loss per image (a vector). The loss of the batch is a "
                "single number: average them with `tf.reduce_mean`."
            )
        if got.shape != ():
            return differs(got, expected, "the loss")
        if not np.isfinite(got):
            return (
                f"On scores as large as 100 your loss is {got}: softmax rounds a tiny "
                "probability to exactly 0, `tf.log(0)` is -inf, and 0 x -inf is nan. Use the "
                "fused `tf.nn.softmax_cross_entropy_with_logits` on the logits."
            )
        if np.isclose(got, expected, rtol=1e-4):
            continue
        if np.isclose(got, each.sum(), rtol=1e-4):
            return (
                "Your loss adds the losses of the batch: it grows with the batch size, and "
                "so does every step. Average them with `tf.reduce_mean`."
            )
        if np.isclose(got, twice, rtol=1e-4):
            return (
                "You applied softmax twice: the fused op applies softmax itself, so give it "
                "the scores (`logits`), not probabilities."
            )
        if np.isclose(got, -expected, rtol=1e-4):
            return "Your loss has the wrong sign: the cross-entropy is *minus* the log."
        if scores is _EXTREME and got < expected:
            return (
                f"On scores as large as 100 your loss is {got:.4g}, the fused op's "
                f"{expected:.4g}. Adding a small number inside the log hides the nan but "
                "caps what a confident mistake costs; the fused op needs no such trick."
            )
        return differs(got, expected, "the mean cross-entropy", rtol=1e-4)
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
        "Three steps: the predicted digit of each image, compared with the label's digit, "
        "then the fraction of matches.",
        "`tf.argmax(..., 1)` gives each row's digit; `tf.equal` compares; `tf.reduce_mean` "
        "averages numbers, not bools.",
        "`correct = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))`, then "
        "`return tf.reduce_mean(tf.cast(correct, tf.float32))`.",
    ],
    solution="""
def batch_accuracy(logits, labels):
    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))
    return tf.reduce_mean(tf.cast(correct, tf.float32))
""",
    why="Accuracy is what we report, but it has no useful gradient, which is why we train on "
    "the cross-entropy and only watch the accuracy.",
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
            return (
                "`tf.equal` gives bools and you averaged the bools without casting them: "
                "`tf.reduce_mean` takes numbers only (TypeError: " + str(error) + "). Turn "
                "True and False into 1.0 and 0.0 with `tf.cast(correct, tf.float32)`."
            )
        if not isinstance(result, tf.Tensor):
            return (
                f"Your function returned {type(result).__name__} {result!r}; return a tensor "
                "of the graph (the session runs it)."
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
        return (
            "You returned one number per image (1 right, 0 wrong); the accuracy is their "
            "mean, a single number: finish with `tf.reduce_mean`."
        )
    if got.shape == () and np.isclose(got, expected):
        return None
    if got.shape == () and np.issubdtype(got.dtype, np.integer):
        return (
            f"Your accuracy is the integer {got}: the mean of int32 ones and zeros is "
            "rounded down to a whole number. Cast the bools to `tf.float32` instead."
        )
    if got.shape == () and np.isclose(got, across) and not np.isclose(across, expected):
        return (
            f"Your accuracy is {float(got):.2f} where it should be {expected:.2f}: argmax "
            "over axis 0 looks down each column, across the images of the batch. Each "
            "image's digit is the argmax along its row: axis 1."
        )
    return differs(got, expected, "the accuracy")


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
        "Try rates ten times apart first (0.01, 0.1, 1, 10) and watch both the accuracy and the "
        "loss: too small creeps, too large jumps around.",
        "With the mean loss, the tutorial's 0.01 is 100 times smaller than the step it meant. "
        "Look between 0.1 and a few.",
        "Rates around 0.5 to 1 get there; 0.5, the rate the notebook trains with, does.",
    ],
    solution="chosen_rate = 0.5",
    why="A learning rate only means something together with the scale of the loss; finding one "
    "by a few quick runs, ten times apart and then finer, is a skill used on every model.",
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
        return "Give the learning rate as a number, such as `0.3`."
    if not rate > 0:
        return (
            "A learning rate must be positive: gradient descent steps against the slope, "
            "and a negative rate steps uphill, making the loss larger at every step."
        )
    losses, accuracies = _train(rate)
    best = max(accuracies) if accuracies else float("nan")
    if best >= _TARGET:
        return None
    if not np.all(np.isfinite(losses)):
        return (
            f"With {rate:g} the loss became {losses[~np.isfinite(losses)][0]}: the steps are "
            "far too large and the weights overflowed. Try rates ten times smaller."
        )
    if losses.max() > 1.1 * losses[0]:
        return (
            f"With {rate:g} the validation accuracy peaked at {best:.1%}, and a batch loss "
            f"jumped to {losses.max():.3g}, above the {losses[0]:.3f} of the untrained "
            "model: the rate is too large, each step overshoots the valley. Try a smaller one."
        )
    if math.isclose(rate, 0.01):
        return (
            f"0.01, the tutorial's rate, reaches only {best:.1%}. It is too small with "
            "`reduce_mean`: the tutorial first used `reduce_sum`, whose gradient over a batch "
            "of 100 is 100 times larger, so 0.01 on the sum was a step of 1.0 on the mean."
        )
    return (
        f"With {rate:g} the validation accuracy reaches only {best:.1%} in {_STEPS} steps, and "
        "the loss is still falling steadily: the rate is too small. Try a larger one."
    )
