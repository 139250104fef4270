"""Exercises of notebook 11, When training goes wrong: overfitting and dropout, all-zero weights,
a learning rate that makes the loss NaN, and ReLU units that never fire again."""

import numpy as np

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise


def _values(answer):
    """The distinct numbers of an answer given as a set, list, tuple or array, sorted."""
    return sorted({round(float(value), 6) for value in np.ravel(np.asarray(list(answer), float))})


@exercise(
    kind=PREDICT,
    answer="dropout_values",
    hints=[
        "Dropout keeps some units and sets the others to zero. What happens to the ones it keeps?",
        "To keep the expected sum of the layer the same, each kept unit is divided by `keep_prob`.",
        "A unit that is 1.0 either becomes 0.0 (dropped) or 1.0 / 0.5 (kept).",
    ],
    solution="dropout_values = {0.0, 2.0}",
    why="Dropout scales the units it keeps by 1/keep_prob, so a layer's expected output is the "
    "same with and without it, and the network can be evaluated with keep_prob 1.0 unchanged.",
    mistakes=[
        Mistake("dropout_values = {0.0, 1.0}", "divided by `keep_prob`"),
        Mistake("dropout_values = {0.5}", "does not shrink every unit"),
        Mistake("dropout_values = {0.0, 0.5}", "divided by `keep_prob`, not multiplied"),
    ],
)
def q1(dropout_values):
    """Which values appear in `tf.nn.dropout(tf.ones([1000]), keep_prob=0.5)`? Give a set."""
    with tf.Graph().as_default(), tf.Session() as sess:
        expected = _values(sess.run(tf.nn.dropout(tf.ones([1000]), keep_prob=0.5)))
    got = _values(dropout_values)
    if got == expected:
        return None
    if got == [0.0, 1.0]:
        return (
            "Some units are zeroed, yes, but the kept ones are not left at 1.0: they are "
            "divided by `keep_prob`, so that the layer's expected sum stays the same."
        )
    if got == [0.5]:
        return (
            "Dropout does not shrink every unit to half: it sets some units to exactly zero "
            "and leaves the others alive (and larger)."
        )
    if got == [0.0, 0.5]:
        return (
            "The dropped units are 0.0, right; the kept ones are divided by `keep_prob`, "
            "not multiplied by it, so they grow."
        )
    return differs(got, expected, "the distinct values")


def _zero_init_hidden_weights(hidden=32, n_steps=10):
    """The notebook's two-layer network, 784 -> `hidden` sigmoid units -> 10, every weight and
    bias zero, trained a few steps; returns the first layer's weights (784, hidden)."""
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.placeholder(tf.float32, [None, 784])
        y_ = tf.placeholder(tf.float32, [None, 10])
        W1 = tf.Variable(tf.zeros([784, hidden]))
        b1 = tf.Variable(tf.zeros([hidden]))
        W2 = tf.Variable(tf.zeros([hidden, 10]))
        b2 = tf.Variable(tf.zeros([10]))
        logits = tf.matmul(tf.nn.sigmoid(tf.matmul(x, W1) + b1), W2) + b2
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
        train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        sess.run(tf.global_variables_initializer())
        for step in range(n_steps):
            batch = slice(100 * step, 100 * step + 100)
            sess.run(train_step, {x: mnist.train.images[batch], y_: mnist.train.labels[batch]})
        return sess.run(W1)


def _distinct_columns(weights):
    scale = np.abs(weights).max() or 1.0
    return len(np.unique(np.round(weights / scale, 5), axis=1).T)


@exercise(
    kind=PREDICT,
    answer="n_distinct",
    hints=[
        "At the start every hidden unit computes the same thing. Is there anything that could "
        "make the gradient of one unit differ from another's?",
        "Same weights, same inputs: same outputs. Same outputs and same outgoing weights: same "
        "gradients. Same gradients: the same update, so the weights stay equal after every step.",
        "They do change (they are not zero after training), but all 32 columns change in the "
        "same way. Count them as one.",
    ],
    solution="n_distinct = 1",
    why="Random starting weights are what lets hidden units become different features; the "
    "seed's `truncated_normal(stddev=0.1)` is there to break this symmetry.",
    mistakes=[
        Mistake("n_distinct = 32", "never get a reason to become different"),
        Mistake("n_distinct = 10", "number of output classes"),
        Mistake("n_distinct = 0", "not zero after training"),
    ],
)
def q2(n_distinct):
    """After training the all-zero two-layer network, how many distinct hidden-unit weight
    vectors (columns of `W1`) are there?"""
    weights = _zero_init_hidden_weights()
    expected = _distinct_columns(weights)
    if n_distinct == weights.shape[1]:
        return (
            f"{n_distinct} would be one per unit, but the units never get a reason to "
            "become different: equal weights give equal outputs, equal gradients and equal "
            "updates, step after step."
        )
    if n_distinct == 10:
        return (
            "10 is the number of output classes; the question is about the 32 hidden "
            "units' incoming weights, the columns of `W1`."
        )
    if n_distinct == 0:
        return (
            "The weights are not zero after training: once `W2` has moved, `W1` gets a "
            "gradient too. But it is the same gradient for every unit, so how many "
            "different columns can there be?"
        )
    return differs(n_distinct, expected, "the number of distinct columns")


def _by_hand_losses(learning_rate, n_steps, first_image=0):
    """Softmax regression with the seed's hand-written cross-entropy, trained by gradient
    descent on MNIST's training images taken in order, 100 a step: each step's loss."""
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.placeholder(tf.float32, [None, 784])
        y_ = tf.placeholder(tf.float32, [None, 10])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y = tf.nn.softmax(tf.matmul(x, W) + b)
        loss = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
        train_step = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
        sess.run(tf.global_variables_initializer())
        losses = []
        with np.errstate(all="ignore"):
            for step in range(n_steps):
                batch = slice(first_image + 100 * step, first_image + 100 * step + 100)
                feed = {x: mnist.train.images[batch], y_: mnist.train.labels[batch]}
                losses.append(sess.run([train_step, loss], feed)[1])
    return losses


def _first_bad(losses):
    bad = np.flatnonzero(~np.isfinite(np.asarray(losses, float)))
    return int(bad[0]) if len(bad) else None


@exercise(
    kind=CODE,
    answer="first_bad_step",
    hints=[
        "A NaN is sneaky: `nan == nan` is False. numpy has a function that says whether a "
        "number is an ordinary, finite one.",
        "`np.isfinite(value)` is False for NaN, for inf and for -inf. Walk through the losses "
        "with `enumerate` and return the index of the first one that is not finite.",
        "`for step, loss in enumerate(losses): if not np.isfinite(loss): return step`, and "
        "after the loop `return None`.",
    ],
    solution="""
def first_bad_step(losses):
    for step, loss in enumerate(losses):
        if not np.isfinite(loss):
            return step
    return None
""",
    why="A NaN spreads to every weight within a step or two; the first step where the loss stops "
    "being finite is where to start looking for the cause.",
    mistakes=[
        Mistake(
            "def first_bad_step(losses):\n"
            "    for step, loss in enumerate(losses):\n"
            "        if loss == float('nan'):\n"
            "            return step\n"
            "    return None",
            "not even equal to itself",
        ),
        Mistake(
            "def first_bad_step(losses):\n"
            "    for step, loss in enumerate(losses):\n"
            "        if np.isnan(loss):\n"
            "            return step\n"
            "    return None",
            "inf is not finite either",
        ),
        Mistake(
            "def first_bad_step(losses):\n"
            "    for step, loss in enumerate(losses, 1):\n"
            "        if not np.isfinite(loss):\n"
            "            return step\n"
            "    return None",
            "counted from 0",
        ),
        Mistake(
            "def first_bad_step(losses):\n"
            "    for step, loss in enumerate(losses):\n"
            "        if not np.isfinite(loss):\n"
            "            return step\n"
            "    return -1",
            "return `None`",
        ),
    ],
)
def q3(first_bad_step):
    """Write `first_bad_step(losses)`: the index of the first loss that is NaN or infinite, or
    None when every loss is finite."""
    diverging = _by_hand_losses(10.0, 6)  # the notebook's too-large learning rate, live
    cases = [
        diverging,
        np.array(diverging),
        [2.3, 1.7, float("inf"), float("nan")],
        [2.3, 1.2, 0.9, 0.7],
    ]
    for losses in cases:
        expected, got = _first_bad(losses), first_bad_step(losses)
        if got == expected and (got is None) == (expected is None):
            continue
        shown = np.round(np.asarray(losses, float), 2).tolist()
        if expected is not None and got is None and np.isnan(losses[expected]):
            return (
                f"On {shown} your function found nothing, but step {expected} is nan. NaN "
                "is not even equal to itself, so `loss == nan` is always False: test with "
                "`np.isnan` or, better, `np.isfinite`."
            )
        if (
            expected is not None
            and got is not None
            and got > expected
            and np.isinf(losses[expected])
        ):
            return (
                f"On {shown} you returned {got}, but step {expected} is already inf. inf is "
                "not finite either (and usually comes first): test with `np.isfinite`."
            )
        if expected is not None and got == expected + 1:
            return (
                f"On {shown} you returned {got}; the first bad loss is at index "
                f"{expected}. Steps are counted from 0, as the list's indices are."
            )
        if expected is None:
            return (
                f"On {shown}, where every loss is finite, you returned {got!r}: return "
                "`None` when there is no bad step."
            )
        return differs(got, expected, f"first_bad_step({shown})")
    return None


@exercise(
    kind=EXPLORE,
    answer="learning_rate",
    hints=[
        "Try a few values with `diverges_within(learning_rate, 100)` and halve or double.",
        "0.5 is safe and 10 blows up at once. Bisect between them: if a value is safe, try "
        "a larger one; if it diverges, a smaller one.",
        "The edge lies between 2 and 3. Any safe value whose double diverges is accepted.",
    ],
    solution="learning_rate = 2.0",
    why="The largest stable learning rate is where training is fastest; the usual practice is "
    "to find where it diverges and stay a factor of two or so below that.",
    mistakes=[
        Mistake("learning_rate = 10.0", "is not finite at step"),
        Mistake("learning_rate = 0.5", "still safe"),
        Mistake("learning_rate = -1.0", "climbs"),
    ],
)
def q4(learning_rate):
    """Find a learning rate that keeps the seed's hand-written loss finite for 100 steps, while
    twice that learning rate makes it NaN within 100 steps."""
    if learning_rate <= 0:
        return (
            "A learning rate must be positive: with a negative one gradient descent climbs "
            "the loss instead of descending it."
        )
    step = _first_bad(_by_hand_losses(learning_rate, 100))
    if step is not None:
        return (
            f"With {learning_rate} the loss is not finite at step {step}. Try a smaller "
            "learning rate."
        )
    if _first_bad(_by_hand_losses(2 * learning_rate, 100)) is None:
        return (
            f"{learning_rate} is safe, but {2 * learning_rate} is still safe too: you can "
            "go larger."
        )
    return None


def _activations():
    """A ReLU layer of 20 units over a batch of 64 images: 5 units have a bias that kills
    them, and the first 4 images are blank, so that no unit fires for them."""
    rng = np.random.RandomState(11)
    bias = np.zeros(20, np.float32)
    bias[[2, 7, 8, 13, 19]] = -100.0
    images = rng.uniform(0, 1, (64, 30)).astype(np.float32)
    images[:4] = 0.0
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(images)
        W = tf.constant(rng.normal(0, 0.3, (30, 20)).astype(np.float32))
        return sess.run(tf.nn.relu(tf.matmul(x, W) + bias))


@exercise(
    kind=CODE,
    answer="dead_fraction",
    hints=[
        "A unit is one column of the activations; it is dead when it is zero for every image "
        "of the batch.",
        "`activations == 0` gives bools; `np.all(..., axis=0)` asks, for each column, whether "
        "it is zero all the way down.",
        "`np.mean(np.all(activations == 0, axis=0))`: averaging the bools gives the fraction.",
    ],
    solution="""
def dead_fraction(activations):
    return np.mean(np.all(activations == 0, axis=0))
""",
    why="A dead ReLU gets no gradient, so it stays dead: measuring the fraction is how to notice "
    "that a network is quietly using only part of itself.",
    mistakes=[
        Mistake(
            "def dead_fraction(activations):\n    return np.mean(activations == 0)",
            "fraction of zero values",
        ),
        Mistake(
            "def dead_fraction(activations):\n    return np.mean(np.all(activations == 0, axis=1))",
            "axis 1",
        ),
        Mistake(
            "def dead_fraction(activations):\n    return np.sum(np.all(activations == 0, axis=0))",
            "number of dead units",
        ),
        Mistake(
            "def dead_fraction(activations):\n    return np.mean(np.all(activations < 0, axis=0))",
            "never negative",
        ),
    ],
)
def q5(dead_fraction):
    """Write `dead_fraction(activations)`: given ReLU outputs over a batch, shape
    (images, units), the fraction of units that are zero for every image."""
    activations = _activations()
    expected = float(np.mean(np.all(activations == 0, axis=0)))
    got = dead_fraction(activations.copy())
    if isinstance(got, tf.Tensor):
        return (
            f"You returned a tensor, {got}. `activations` is a numpy array (what "
            "`sess.run` gives back): compute with numpy and return a number."
        )
    try:
        got = float(got)
    except (TypeError, ValueError):
        return differs(got, expected, "the dead fraction")
    if np.isclose(got, expected):
        return None
    n_units = activations.shape[1]
    if np.isclose(got, np.mean(activations == 0)):
        return (
            f"{got:.3f} is the fraction of zero values. A live unit is zero for some images "
            "too; a dead one is zero for all of them: test each column with `np.all(..., "
            "axis=0)` first."
        )
    if np.isclose(got, np.mean(np.all(activations == 0, axis=1))):
        return (
            "Along axis 1 you asked, for each image, whether all its units are zero. A unit "
            "is a column: reduce over the images, axis 0."
        )
    if np.isclose(got, expected * n_units):
        return (
            f"{got:g} is the number of dead units; the fraction divides it by the number of "
            f"units ({n_units}), or take `np.mean` of the bools."
        )
    if got == 0 and expected > 0:
        return (
            "A ReLU's output is never negative, so `< 0` finds nothing: a dead unit is one "
            "whose output is exactly 0 for every image."
        )
    return differs(got, expected, "the dead fraction")
