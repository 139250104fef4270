"""Exercises of notebook 11, When training goes wrong: overfitting and dropout, all-zero weights,
a learning rate that makes the loss NaN, and ReLU units that never fire again."""

import numpy as np

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise
from ..language import Text


def _values(answer):
    """The distinct numbers of an answer given as a set, list, tuple or array, sorted."""
    return sorted({round(float(value), 6) for value in np.ravel(np.asarray(list(answer), float))})


@exercise(
    kind=PREDICT,
    answer="dropout_values",
    hints=[
        Text(
            "Dropout keeps some units and sets the others to zero. What happens to the ones it "
            "keeps?",
            "丢弃法保留一部分单元，把其余的置零。被保留的那些单元会怎样？",
        ),
        Text(
            "To keep the expected sum of the layer the same, each kept unit is divided by "
            "`keep_prob`.",
            "为了让这一层输出之和的期望保持不变，每个被保留的单元都要除以 `keep_prob`。",
        ),
        Text(
            "A unit that is 1.0 either becomes 0.0 (dropped) or 1.0 / 0.5 (kept).",
            "一个值为 1.0 的单元，要么变成 0.0（被丢弃），要么变成 1.0 / 0.5（被保留）。",
        ),
    ],
    solution="dropout_values = {0.0, 2.0}",
    why=Text(
        "Dropout scales the units it keeps by 1/keep_prob, so a layer's expected output is the "
        "same with and without it, and the network can be evaluated with keep_prob 1.0 "
        "unchanged.",
        "丢弃法把保留下来的单元放大为原来的 1/keep_prob 倍，所以无论用不用丢弃法，"
        "一层输出的期望都相同；评估时只需把 keep_prob 设为 1.0，网络无须任何改动。",
    ),
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
        return Text(
            "Some units are zeroed, yes, but the kept ones are not left at 1.0: they are "
            "divided by `keep_prob`, so that the layer's expected sum stays the same.",
            "没错，有些单元被置零了；但保留下来的单元并不停留在 1.0：它们要除以 "
            "`keep_prob`，这样这一层输出之和的期望才保持不变。",
        )
    if got == [0.5]:
        return Text(
            "Dropout does not shrink every unit to half: it sets some units to exactly zero "
            "and leaves the others alive (and larger).",
            "丢弃法并不是把每个单元都缩小一半：它把一部分单元精确地置为零，"
            "其余单元保持激活（而且变大了）。",
        )
    if got == [0.0, 0.5]:
        return Text(
            "The dropped units are 0.0, right; the kept ones are divided by `keep_prob`, "
            "not multiplied by it, so they grow.",
            "被丢弃的单元是 0.0，这没错；但保留下来的单元是除以 `keep_prob`，"
            "而不是乘以它，所以它们会变大。",
        )
    return differs(got, expected, Text("the distinct values", "不同取值"))


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
        Text(
            "At the start every hidden unit computes the same thing. Is there anything that "
            "could make the gradient of one unit differ from another's?",
            "一开始，每个隐藏单元算的都是同一个东西。有什么能让某个单元的梯度和另一个单元的"
            "不一样吗？",
        ),
        Text(
            "Same weights, same inputs: same outputs. Same outputs and same outgoing weights: "
            "same gradients. Same gradients: the same update, so the weights stay equal after "
            "every step.",
            "权重相同、输入相同，输出就相同；输出相同、输出端的权重也相同，梯度就相同；"
            "梯度相同，更新就相同，所以每一步之后权重依然彼此相等。",
        ),
        Text(
            "They do change (they are not zero after training), but all 32 columns change in "
            "the same way. Count them as one.",
            "它们确实会变（训练后不再是零），但 32 列全都以同样的方式变化。把它们算作一个。",
        ),
    ],
    solution="n_distinct = 1",
    why=Text(
        "Random starting weights are what lets hidden units become different features; the "
        "seed's `truncated_normal(stddev=0.1)` is there to break this symmetry.",
        "正是随机的初始权重让各个隐藏单元能够学成不同的特征；原教程中的 "
        "`truncated_normal(stddev=0.1)` 就是为了打破这种对称性。",
    ),
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
        return Text(
            f"{n_distinct} would be one per unit, but the units never get a reason to "
            "become different: equal weights give equal outputs, equal gradients and equal "
            "updates, step after step.",
            f"{n_distinct} 意味着每个单元各不相同，可这些单元从来没有理由变得不同："
            "权重相等，输出就相等、梯度就相等、更新就相等，一步接一步，始终如此。",
        )
    if n_distinct == 10:
        return Text(
            "10 is the number of output classes; the question is about the 32 hidden "
            "units' incoming weights, the columns of `W1`.",
            "10 是输出类别的个数；问题问的是 32 个隐藏单元的输入权重，即 `W1` 的各列。",
        )
    if n_distinct == 0:
        return Text(
            "The weights are not zero after training: once `W2` has moved, `W1` gets a "
            "gradient too. But it is the same gradient for every unit, so how many "
            "different columns can there be?",
            "训练后权重并不是零：`W2` 一旦变化，`W1` 也会得到梯度。但每个单元得到的梯度"
            "都一样，那么不同的列能有几列？",
        )
    return differs(n_distinct, expected, Text("the number of distinct columns", "不同列的个数"))


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
        Text(
            "A NaN is sneaky: `nan == nan` is False. numpy has a function that says whether a "
            "number is an ordinary, finite one.",
            "NaN 很狡猾：`nan == nan` 的结果是 False。numpy 有个函数能判断一个数是不是普通的"
            "有限数。",
        ),
        Text(
            "`np.isfinite(value)` is False for NaN, for inf and for -inf. Walk through the "
            "losses with `enumerate` and return the index of the first one that is not finite.",
            "对 NaN、inf 和 -inf，`np.isfinite(value)` 都是 False。用 `enumerate` 逐个遍历"
            "损失，返回第一个非有限值的下标。",
        ),
        Text(
            "`for step, loss in enumerate(losses): if not np.isfinite(loss): return step`, and "
            "after the loop `return None`.",
            "`for step, loss in enumerate(losses): if not np.isfinite(loss): return step`，"
            "循环结束后 `return None`。",
        ),
    ],
    solution="""
def first_bad_step(losses):
    for step, loss in enumerate(losses):
        if not np.isfinite(loss):
            return step
    return None
""",
    why=Text(
        "A NaN spreads to every weight within a step or two; the first step where the loss "
        "stops being finite is where to start looking for the cause.",
        "NaN 在一两步之内就会扩散到每个权重；损失第一次不再有限的那一步，就是开始追查原因的地方。",
    ),
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
            return Text(
                f"On {shown} your function found nothing, but step {expected} is nan. NaN "
                "is not even equal to itself, so `loss == nan` is always False: test with "
                "`np.isnan` or, better, `np.isfinite`.",
                f"对 {shown}，你的函数什么也没找到，但第 {expected} 步是 nan。NaN "
                "连自己都不等于，所以 `loss == nan` 永远是 False：请用 `np.isnan` "
                "来判断，更好的是用 `np.isfinite`。",
            )
        if (
            expected is not None
            and got is not None
            and got > expected
            and np.isinf(losses[expected])
        ):
            return Text(
                f"On {shown} you returned {got}, but step {expected} is already inf. inf is "
                "not finite either (and usually comes first): test with `np.isfinite`.",
                f"对 {shown}，你返回了 {got}，但第 {expected} 步已经是 inf 了。inf "
                "同样不是有限值（而且通常先于 nan 出现）：请用 `np.isfinite` 来判断。",
            )
        if expected is not None and got == expected + 1:
            return Text(
                f"On {shown} you returned {got}; the first bad loss is at index "
                f"{expected}. Steps are counted from 0, as the list's indices are.",
                f"对 {shown}，你返回了 {got}；第一个出问题的损失下标是 {expected}。"
                "步数和列表下标一样，从 0 开始计。",
            )
        if expected is None:
            return Text(
                f"On {shown}, where every loss is finite, you returned {got!r}: return "
                "`None` when there is no bad step.",
                f"{shown} 中的每个损失都是有限的，你却返回了 {got!r}：没有出问题的步时，"
                "应当返回 `None`。",
            )
        return differs(
            got,
            expected,
            Text(f"`first_bad_step({shown})`", f"`first_bad_step({shown})` 的返回值"),
        )
    return None


@exercise(
    kind=EXPLORE,
    answer="learning_rate",
    hints=[
        Text(
            "Try a few values with `diverges_within(learning_rate, 100)` and halve or double.",
            "用 `diverges_within(learning_rate, 100)` 试几个值，每次减半或加倍。",
        ),
        Text(
            "0.5 is safe and 10 blows up at once. Bisect between them: if a value is safe, try "
            "a larger one; if it diverges, a smaller one.",
            "0.5 是安全的，10 则立刻发散。在两者之间二分查找：某个值安全，就试更大的；"
            "发散了，就试更小的。",
        ),
        Text(
            "The edge lies between 2 and 3. Any safe value whose double diverges is accepted.",
            "临界点在 2 和 3 之间。任何本身安全、而两倍之后发散的值都算对。",
        ),
    ],
    solution="learning_rate = 2.0",
    why=Text(
        "The largest stable learning rate is where training is fastest; the usual practice is "
        "to find where it diverges and stay a factor of two or so below that.",
        "能保持稳定的最大学习率，训练得最快；通常的做法是先找到开始发散的位置，"
        "再退到它的一半左右。",
    ),
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
        return Text(
            "A learning rate must be positive: with a negative one gradient descent climbs "
            "the loss instead of descending it.",
            "学习率必须是正数：学习率为负时，梯度下降不是沿损失往下走，而是往上爬。",
        )
    step = _first_bad(_by_hand_losses(learning_rate, 100))
    if step is not None:
        return Text(
            f"With {learning_rate} the loss is not finite at step {step}. Try a smaller "
            "learning rate.",
            f"学习率为 {learning_rate} 时，损失在第 {step} 步就不再是有限值了。"
            "试一个更小的学习率。",
        )
    if _first_bad(_by_hand_losses(2 * learning_rate, 100)) is None:
        return Text(
            f"{learning_rate} is safe, but {2 * learning_rate} is still safe too: you can "
            "go larger.",
            f"{learning_rate} 是安全的，但 {2 * learning_rate} 也依然安全：还可以再大些。",
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
        Text(
            "A unit is one column of the activations; it is dead when it is zero for every "
            "image of the batch.",
            "一个单元就是激活值中的一列；如果它对批量中的每张图像都是零，它就死了。",
        ),
        Text(
            "`activations == 0` gives bools; `np.all(..., axis=0)` asks, for each column, "
            "whether it is zero all the way down.",
            "`activations == 0` 得到一组布尔值；`np.all(..., axis=0)` 对每一列判断它是否"
            "从上到下全是零。",
        ),
        Text(
            "`np.mean(np.all(activations == 0, axis=0))`: averaging the bools gives the fraction.",
            "`np.mean(np.all(activations == 0, axis=0))`：对布尔值求平均，得到的就是比例。",
        ),
    ],
    solution="""
def dead_fraction(activations):
    return np.mean(np.all(activations == 0, axis=0))
""",
    why=Text(
        "A dead ReLU gets no gradient, so it stays dead: measuring the fraction is how to "
        "notice that a network is quietly using only part of itself.",
        "死掉的 ReLU 得不到梯度，所以会一直死下去：测量死亡单元的比例，"
        "才能发现网络正悄悄地只用着自己的一部分。",
    ),
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
        return Text(
            f"You returned a tensor, {got}. `activations` is a numpy array (what "
            "`sess.run` gives back): compute with numpy and return a number.",
            f"你返回了一个张量：{got}。`activations` 是 numpy 数组（即 `sess.run` "
            "返回的东西）：用 numpy 计算，返回一个数。",
        )
    try:
        got = float(got)
    except (TypeError, ValueError):
        return differs(got, expected, Text("the dead fraction", "死亡单元的比例"))
    if np.isclose(got, expected):
        return None
    n_units = activations.shape[1]
    if np.isclose(got, np.mean(activations == 0)):
        return Text(
            f"{got:.3f} is the fraction of zero values. A live unit is zero for some images "
            "too; a dead one is zero for all of them: test each column with `np.all(..., "
            "axis=0)` first.",
            f"{got:.3f} 是零值所占的比例。活着的单元对某些图像也会输出零；死掉的单元"
            "则对所有图像都是零：先用 `np.all(..., axis=0)` 逐列判断。",
        )
    if np.isclose(got, np.mean(np.all(activations == 0, axis=1))):
        return Text(
            "Along axis 1 you asked, for each image, whether all its units are zero. A unit "
            "is a column: reduce over the images, axis 0.",
            "沿轴 1 判断，问的是每张图像的所有单元是否都为零。而一个单元是一列："
            "应沿图像方向、即轴 0 归约。",
        )
    if np.isclose(got, expected * n_units):
        return Text(
            f"{got:g} is the number of dead units; the fraction divides it by the number of "
            f"units ({n_units}), or take `np.mean` of the bools.",
            f"{got:g} 是死亡单元的个数；比例要再除以单元总数（{n_units}），"
            "或者直接对布尔值取 `np.mean`。",
        )
    if got == 0 and expected > 0:
        return Text(
            "A ReLU's output is never negative, so `< 0` finds nothing: a dead unit is one "
            "whose output is exactly 0 for every image.",
            "ReLU 的输出从不为负，所以 `< 0` 什么也找不到：死亡单元是对每张图像的输出"
            "都恰好为 0 的单元。",
        )
    return differs(got, expected, Text("the dead fraction", "死亡单元的比例"))
