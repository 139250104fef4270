"""Exercises of notebook 06, How learning works: gradients, checking them, and the optimizers
that follow them."""

import numpy as np

import tutorflow as tf

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise
from ..language import Text


def _run(fetch, feed=None, graph=None):
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetch, feed)


def _is_number(value) -> bool:
    return np.ndim(value) == 0 and np.issubdtype(np.asarray(value).dtype, np.number)


@exercise(
    kind=PREDICT,
    answer="dz_dx",
    hints=[
        Text(
            "`z` is a square of something that itself depends on `x`. What does the chain "
            "rule say about the derivative of f(g(x))?",
            "`z` 是某个量的平方，而这个量本身又依赖于 `x`。对 f(g(x)) 求导，链式法则怎么说？",
        ),
        Text(
            "d/dx (u²) = 2u · du/dx, with u = 2x + 1.",
            "d/dx (u²) = 2u · du/dx，其中 u = 2x + 1。",
        ),
        Text("At x = 1, u = 3 and du/dx = 2.", "在 x = 1 处，u = 3，du/dx = 2。"),
    ],
    solution="dz_dx = 12.0",
    why=Text(
        "`tf.gradients` applies the chain rule op by op, from the output back to each input: "
        "that walk is backpropagation.",
        "`tf.gradients` 逐个运算地应用链式法则，从输出一路往回走到每个输入："
        "这一趟回溯就是反向传播。",
    ),
    mistakes=[
        Mistake("dz_dx = 9.0", "the value of `z`"),
        Mistake("dz_dx = 6.0", "chain rule"),
        Mistake("dz_dx = 2.0", "only the inner"),
    ],
)
def q1(dz_dx):
    """What does `tf.gradients(z, x)` compute for `z = (2 * x + 1) ** 2` at `x = 1`?"""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, shape=[])
        z = (2 * x + 1) ** 2
        value, (slope,) = _run([z, tf.gradients(z, [x])], {x: 1.0}, graph)
    if isinstance(dz_dx, tf.Tensor):
        return Text(
            "That is a tensor; give the number a session would compute for it.",
            "这是一个张量；请给出会话为它算出的那个数。",
        )
    if _is_number(dz_dx) and np.isclose(dz_dx, value):
        return Text(
            f"{value:g} is the value of `z` at x = 1. The gradient is its slope: how fast z "
            "changes when x moves a little.",
            f"{value:g} 是 `z` 在 x = 1 处的值。梯度是它的斜率：x 稍稍变动时，z 变化得有多快。",
        )
    if _is_number(dz_dx) and np.isclose(dz_dx, slope / 2):
        return Text(
            "You differentiated the square, 2·(2x + 1) = 6, but not what is inside it. The "
            "chain rule multiplies by the inner derivative too: d(2x + 1)/dx = 2.",
            "你对平方求了导，2·(2x + 1) = 6，却没有对括号里面的部分求导。链式法则还要乘上"
            "内层的导数：d(2x + 1)/dx = 2。",
        )
    if _is_number(dz_dx) and np.isclose(dz_dx, 2.0):
        return Text(
            "2 is the derivative of only the inner part, 2x + 1. The chain rule multiplies "
            "it by the outer derivative, 2·(2x + 1), taken at x = 1.",
            "2 只是内层 2x + 1 的导数。链式法则还要把它乘上外层的导数 2·(2x + 1)，"
            "并在 x = 1 处取值。",
        )
    return differs(dz_dx, slope, Text("dz/dx at x = 1", "x = 1 处的 dz/dx"))


def _recording(function):
    """``function``, and the list of points it is called at."""
    calls = []

    def recorded(point):
        calls.append(float(point))
        return function(point)

    return recorded, calls


@exercise(
    kind=CODE,
    answer="slope",
    hints=[
        Text(
            "Evaluate `f` a little to the right of `x` and a little to the left, and divide "
            "the change by the distance between the two points.",
            "在 `x` 右边一点和左边一点各算一次 `f`，再用变化量除以这两点之间的距离。",
        ),
        Text(
            "That distance is 2h, not h. Choose h small, such as 1e-5: a large h measures the "
            "slope of a chord, not of the curve.",
            "这个距离是 2h，不是 h。h 要取得小一些，例如 1e-5：h 太大，量出的是一条弦的"
            "斜率，而不是曲线的斜率。",
        ),
        Text(
            "`return (f(x + h) - f(x - h)) / (2 * h)` with `h = 1e-5`.",
            "取 `h = 1e-5`，`return (f(x + h) - f(x - h)) / (2 * h)`。",
        ),
    ],
    solution="""
def slope(f, x):
    h = 1e-5
    return (f(x + h) - f(x - h)) / (2 * h)
""",
    why=Text(
        "A central difference needs no calculus and is obviously right, so it is the standard "
        "test of any gradient code, tutorflow's included.",
        "中心差分用不着微积分，而且显然正确，所以它是检验一切梯度代码"
        "（包括 tutorflow 自己的）的标准方法。",
    ),
    mistakes=[
        Mistake("def slope(f, x):\n    h = 1e-5\n    return (f(x + h) - f(x)) / h", "one-sided"),
        Mistake("def slope(f, x):\n    h = 1e-5\n    return (f(x + h) - f(x - h)) / h", "2h apart"),
        Mistake(
            "def slope(f, x):\n    h = 0.5\n    return (f(x + h) - f(x - h)) / (2 * h)",
            "h is too large",
        ),
    ],
)
def q2(slope):
    """Write `slope(f, x)`: the derivative of a function of one number, by central difference."""
    point = 2.0
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, shape=[])
        (gradient,) = tf.gradients(x**3 - 2 * x, [x])
        expected = float(_run(gradient, {x: point}, graph))  # 10.0, not np.float64(10.0)
    f, calls = _recording(lambda v: v**3 - 2 * v)
    received = slope(f, point)
    if isinstance(received, tf.Tensor) or not _is_number(received):
        return Text(
            f"`slope` should return a number; it returned {received!r}.",
            f"`slope` 应当返回一个数；它返回的是 {received!r}。",
        )
    offsets = sorted({round(call - point, 12) for call in calls})
    if len(offsets) == 2 and 0.0 in offsets:
        return Text(
            "You evaluated f at x and on one side of it only: a one-sided difference. Its "
            "error shrinks only in proportion to h; stepping to both sides, x - h and x + "
            "h, cancels that error and leaves one proportional to h².",
            "你只在 x 处和它的一侧算了 f：这是单侧差分。它的误差只与 h 成正比地缩小；"
            "向两侧各走一步，即 x - h 和 x + h，就能抵消这部分误差，剩下的误差与 h² 成正比。",
        )
    accurate = np.isclose(received, expected, rtol=1e-6, atol=0)
    if not accurate and np.isclose(received, 2 * expected, rtol=1e-4):
        return Text(
            "Your slope is twice too large: f(x + h) and f(x - h) are 2h apart, so the "
            "change must be divided by 2h, not by h.",
            "你的斜率大了一倍：f(x + h) 和 f(x - h) 相距 2h，所以变化量要除以 2h，而不是 h。",
        )
    step = max((abs(offset) for offset in offsets), default=0.0)
    if not accurate and step > 1e-3:
        return Text(
            f"Close, but not close enough: {received!r} instead of {expected!r}. Your h is "
            f"too large ({step:g}): the difference then measures the slope of a chord "
            "across the curve. Try h = 1e-5.",
            f"接近了，但还不够：你得到 {received!r}，应为 {expected!r}。你的 h 太大"
            f"（{step:g}）：这样差分量出的是横跨曲线的一条弦的斜率。试试 h = 1e-5。",
        )
    if not accurate and 0 < step < 1e-9:
        return Text(
            f"Your h ({step:g}) is so small that f(x + h) and f(x - h) differ only in their "
            "last few digits, and rounding dominates. Try h = 1e-5.",
            f"你的 h（{step:g}）太小，f(x + h) 和 f(x - h) 只在最后几位数字上有差别，"
            "舍入误差占了上风。试试 h = 1e-5。",
        )
    what = Text("the slope of x³ - 2x at x = 2", "x³ - 2x 在 x = 2 处的斜率")
    return differs(received, expected, what, rtol=1e-6)


@exercise(
    kind=CODE,
    answer="bias_gradient",
    hints=[
        Text(
            "`b` has 10 entries but is added to every one of the N rows. How many of the "
            "N × 10 gradient values reach each entry of `b`?",
            "`b` 只有 10 个元素，却被加到了 N 行中的每一行上。N × 10 个梯度值中，"
            "有多少个会传到 `b` 的每个元素？",
        ),
        Text(
            "Each entry of `b` affects one column of every row, so its gradient collects that "
            "whole column: sum over the batch axis, axis 0.",
            "`b` 的每个元素都影响每一行中的同一列，所以它的梯度要收集这一整列："
            "沿批量轴（轴 0）求和。",
        ),
        Text(
            "`return tf.reduce_sum(grad_logits, axis=0)`.",
            "函数体就是 `return tf.reduce_sum(grad_logits, axis=0)`。",
        ),
    ],
    solution="""
def bias_gradient(grad_logits):
    return tf.reduce_sum(grad_logits, axis=0)
""",
    why=Text(
        "A variable used many times collects the gradient of every use: that is why a "
        "broadcast add sums its gradient back to the bias's shape.",
        "一个变量被使用多次，就要收集每一次使用带来的梯度：这正是广播加法要把梯度求和、"
        "还原成偏置形状的原因。",
    ),
    mistakes=[
        Mistake("def bias_gradient(grad_logits):\n    return grad_logits", "one row per example"),
        Mistake(
            "def bias_gradient(grad_logits):\n    return tf.reduce_mean(grad_logits, axis=0)",
            "averaged",
        ),
        Mistake(
            "def bias_gradient(grad_logits):\n    return tf.reduce_sum(grad_logits, axis=1)",
            "over the classes",
        ),
    ],
)
def q3(bias_gradient):
    """`logits = tf.matmul(x, W) + b`: given the gradient arriving at `logits`, build `b`'s."""
    rng = np.random.default_rng(6)
    upstream = rng.normal(size=(5, 10)).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.constant(rng.normal(size=(5, 4)).astype(np.float32))
        W = tf.Variable(rng.normal(size=(4, 10)).astype(np.float32))
        b = tf.Variable(np.zeros(10, np.float32))
        logits = tf.matmul(x, W) + b
        # a loss whose gradient with respect to logits is exactly `upstream`
        loss = tf.reduce_sum(logits * tf.constant(upstream))
        (expected,) = tf.gradients(loss, [b])
        received = bias_gradient(tf.constant(upstream))
        fetch = [expected, received] if isinstance(received, tf.Tensor) else [expected]
        values = _run(fetch, graph=graph)
    expected = values[0]
    received = values[1] if len(values) == 2 else np.asarray(received)
    if received.shape == upstream.shape:
        return Text(
            f"Shape {received.shape} vs {expected.shape}: that is one row per example, the "
            "gradient arriving at `logits`. `b` is one vector shared by every row, so each "
            "of its entries collects the gradients of all the rows: sum over axis 0.",
            f"形状是 {received.shape}，应为 {expected.shape}：这是每个样本一行，也就是到达 "
            "`logits` 的梯度。`b` 是所有行共用的一个向量，所以它的每个元素要收集所有行的"
            "梯度：沿轴 0 求和。",
        )
    if received.shape == (upstream.shape[0],):
        return Text(
            f"Shape {received.shape} vs {expected.shape}: you summed over the classes (axis "
            "1), giving one number per example. `b` has one entry per class; sum over the "
            "batch, axis 0.",
            f"形状是 {received.shape}，应为 {expected.shape}：你沿类别（轴 1）求了和，"
            "得到每个样本一个数。`b` 每个类别一个元素；应当沿批量（轴 0）求和。",
        )
    if received.shape == expected.shape and np.allclose(received, upstream.mean(axis=0)):
        return Text(
            "You averaged over the batch. Each example's use of `b` adds its own gradient, "
            "so they add up: sum over axis 0. (A mean belongs in the loss, where "
            "`reduce_mean` already divides by N.)",
            "你对批量求了平均。每个样本对 `b` 的使用都贡献自己的一份梯度，这些梯度要累加："
            "沿轴 0 求和。（求平均是损失的事，那里的 `reduce_mean` 已经除过 N 了。）",
        )
    if received.shape == ():
        return Text(
            f"Shape () vs {expected.shape}: you summed everything. `b` has one entry per "
            "class, so keep that axis: sum over axis 0 only.",
            f"形状是 ()，应为 {expected.shape}：你把所有元素都加在了一起。`b` 每个类别一个"
            "元素，所以要保留这个轴：只沿轴 0 求和。",
        )
    return differs(received, expected, Text("the gradient of b", "`b` 的梯度"))


VALLEY_SCALE = (1.0, 40.0)
VALLEY_START = (-4.0, 1.2)
VALLEY_STEPS = 40
VALLEY_TARGET = 1e-4


def valley_loss(learning_rate, momentum, num_steps=VALLEY_STEPS):
    """The valley's loss after ``num_steps`` steps of momentum from the notebook's start."""
    graph = tf.Graph()
    with graph.as_default():
        p = tf.Variable(np.array(VALLEY_START, np.float32))
        scale = tf.constant(np.array(VALLEY_SCALE, np.float32))
        loss = 0.5 * tf.reduce_sum(scale * tf.square(p))
        step = tf.train.MomentumOptimizer(learning_rate, momentum=momentum).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            start = sess.run(loss)
            for _ in range(num_steps):
                sess.run(step)
            return float(start), float(sess.run(loss))


@exercise(
    kind=EXPLORE,
    answer=("valley_learning_rate", "valley_momentum"),
    hints=[
        Text(
            "Start from the race's (0.02, 0.8) and change one number at a time in the try "
            "cell (or call `ex.valley_loss(rate, momentum)`, which returns the first and last "
            "loss).",
            "从比赛中用的 (0.02, 0.8) 出发，在试验单元格里每次只改一个数（也可以调用 "
            "`ex.valley_loss(rate, momentum)`，它返回最初和最后的损失）。",
        ),
        Text(
            "With momentum 0.8 the ball swings from wall to wall for a long time. Less "
            "momentum damps the swings sooner, and a somewhat larger learning rate then moves "
            "it faster along the floor.",
            "动量为 0.8 时，小球会在两侧谷壁之间来回摆动很久。动量小一些，摆动就衰减得"
            "快一些；再把学习率调大一点，它就能沿着谷底走得更快。",
        ),
        Text(
            "Try momentum between 0.5 and 0.7 with a learning rate between 0.03 and 0.06.",
            "试试 0.5 到 0.7 之间的动量，配上 0.03 到 0.06 之间的学习率。",
        ),
    ],
    solution="valley_learning_rate, valley_momentum = 0.05, 0.6",
    why=Text(
        "Learning rate and momentum work together: momentum multiplies the effective step, so "
        "the two are tuned as a pair.",
        "学习率和动量共同起作用：动量会成倍放大实际的步长，所以两者要成对地调。",
    ),
    mistakes=[
        Mistake("valley_learning_rate, valley_momentum = 0.1, 0.8", "blew up"),
        Mistake("valley_learning_rate, valley_momentum = 0.045, 0.0", "plain gradient descent"),
        Mistake("valley_learning_rate, valley_momentum = 0.02, 1.0", "never forgets"),
        Mistake("valley_learning_rate, valley_momentum = 0.02, 0.8", "still swinging"),
    ],
)
def q4(valley_learning_rate, valley_momentum):
    """Find a learning rate and momentum that take the valley's loss below 1e-4 in 40 steps."""
    if not (_is_number(valley_learning_rate) and _is_number(valley_momentum)):
        return Text(
            "Give two numbers: a learning rate and a momentum.",
            "请给出两个数：一个学习率和一个动量。",
        )
    if valley_learning_rate <= 0:
        return Text(
            "The learning rate must be positive: a step goes *against* the gradient.",
            "学习率必须为正：每一步都是*逆着*梯度走的。",
        )
    start, final = valley_loss(valley_learning_rate, valley_momentum)
    if final < VALLEY_TARGET:
        return None
    result = Text(
        f"After {VALLEY_STEPS} steps the loss is {final:.3g} (the target is below 1e-4).",
        f"{VALLEY_STEPS} 步之后损失为 {final:.3g}（目标是低于 1e-4）。",
    )
    if valley_momentum >= 1:
        return Text(
            f"{result.en} Momentum {valley_momentum:g} never forgets: the velocity keeps every "
            "past gradient at full weight, so the ball never settles. Keep it below 1.",
            f"{result.zh}动量为 {valley_momentum:g} 时永远不会遗忘：速度以十足的权重保留"
            "过去的每一个梯度，所以小球永远停不下来。请让动量小于 1。",
        )
    if not np.isfinite(final) or final > start:
        return Text(
            f"{result.en} It blew up: across the steep walls the steps grow instead of "
            "shrinking. Lower the learning rate (or the momentum).",
            f"{result.zh}它发散了：在陡峭的两侧谷壁之间，步子不是越来越小，而是越来越大。"
            "请调低学习率（或动量）。",
        )
    if valley_momentum == 0:
        return Text(
            f"{result.en} With momentum 0 this is plain gradient descent, which the steep "
            "walls hold to a small step along the valley; it cannot get there in 40 steps. "
            "Give it some momentum.",
            f"{result.zh}动量为 0 就是普通的梯度下降：陡峭的谷壁限制了它的学习率，"
            "它沿山谷方向只能迈小步，40 步走不到谷底。给它加一些动量。",
        )
    if valley_momentum >= 0.75 and valley_learning_rate >= 0.01:
        return Text(
            f"{result.en} It is still swinging from wall to wall: with this much momentum the "
            "velocity forgets slowly. Lower the momentum a little and raise the learning "
            "rate.",
            f"{result.zh}它还在两侧谷壁之间来回摆动：动量这么大，速度遗忘得很慢。"
            "把动量调低一点，把学习率调高一点。",
        )
    return Text(
        f"{result.en} Too slow: raise the learning rate (or the momentum) a little, and watch "
        "that it does not blow up.",
        f"{result.zh}太慢了：把学习率（或动量）调高一点，同时留意别让它发散。",
    )


def _adam_powers(num_steps):
    """Runs ``num_steps`` steps of Adam on a small loss and reads ``beta1_power``."""
    graph = tf.Graph()
    with graph.as_default():
        p = tf.Variable(np.array([-4.0, 1.2], np.float32))
        adam = tf.train.AdamOptimizer(0.2, beta1=0.9)
        step = adam.minimize(tf.reduce_sum(tf.square(p)))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(num_steps):
                sess.run(step)
            return float(sess.run(graph.get_tensor_by_name("beta1_power:0")))


@exercise(
    kind=PREDICT,
    answer="beta1_power_after_3",
    hints=[
        Text(
            "`beta1_power` is a variable. What is its value before the first step, and what "
            "does each step do to it?",
            "`beta1_power` 是一个变量。第一步之前它的值是多少？每一步又对它做了什么？",
        ),
        Text(
            "It starts at β₁ = 0.9, the power that step 1 needs for its correction, and each "
            "step multiplies it by β₁ once it has used it.",
            "它的初值是 β₁ = 0.9，即第 1 步做修正时需要的那个幂；每一步用过它之后，"
            "都会把它乘以 β₁。",
        ),
        Text(
            "So after t steps it holds β₁ to the power t + 1.",
            "所以 t 步之后，它保存的是 β₁ 的 t + 1 次幂。",
        ),
    ],
    solution="beta1_power_after_3 = 0.9 ** 4",
    why=Text(
        "Adam keeps, between steps, the correction that the next step will use; reading an "
        "optimizer's slots shows what it really remembers.",
        "Adam 在两步之间保存着下一步要用的修正量；读一读优化器的槽变量（slot），"
        "就能看到它真正记住了什么。",
    ),
    mistakes=[
        Mistake("beta1_power_after_3 = 0.9 ** 3", "the next step"),
        Mistake("beta1_power_after_3 = 0.9", "multiplies it by β₁"),
        Mistake("beta1_power_after_3 = 1 - 0.9 ** 3", "correction divides by"),
    ],
)
def q5(beta1_power_after_3):
    """After 3 steps of Adam with β₁ = 0.9, what does the variable `beta1_power` hold?"""
    expected = _adam_powers(3)
    what = Text("beta1_power after 3 steps", "3 步之后的 `beta1_power`")
    if not _is_number(beta1_power_after_3):
        return differs(beta1_power_after_3, expected, what)
    answer = float(beta1_power_after_3)
    if np.isclose(answer, _adam_powers(2)):
        return Text(
            "0.9³ is the power that step 3 used. `beta1_power` starts at β₁ (for step 1) "
            "and is multiplied by β₁ after each step, so it always holds the power for the "
            "next step.",
            "0.9³ 是第 3 步用的幂。`beta1_power` 的初值是 β₁（供第 1 步使用），每一步之后"
            "都乘以 β₁，所以它保存的总是下一步要用的幂。",
        )
    if np.isclose(answer, 0.9):
        return Text(
            "0.9 is β₁ itself, the value `beta1_power` starts with. Each step multiplies it "
            "by β₁ after using it.",
            "0.9 就是 β₁ 本身，即 `beta1_power` 的初值。每一步用过它之后，都会把它乘以 β₁。",
        )
    if np.isclose(answer, 1 - 0.9**3) or np.isclose(answer, 1 - expected):
        return Text(
            "1 − β₁ᵗ is what the correction divides by; the variable holds the power "
            "itself, β₁ to some exponent.",
            "1 − β₁ᵗ 是修正时的除数；这个变量保存的是幂本身，即 β₁ 的某次幂。",
        )
    return differs(answer, expected, what)
