"""Exercises of notebook 06, How learning works: gradients, checking them, and the optimizers
that follow them."""

import numpy as np

import tutorflow as tf

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise


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
        "`z` is a square of something that itself depends on `x`. What does the chain rule say "
        "about the derivative of f(g(x))?",
        "d/dx (u²) = 2u · du/dx, with u = 2x + 1.",
        "At x = 1, u = 3 and du/dx = 2.",
    ],
    solution="dz_dx = 12.0",
    why="`tf.gradients` applies the chain rule op by op, from the output back to each input: "
    "that walk is backpropagation.",
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
        return "That is a tensor; give the number a session would compute for it."
    if _is_number(dz_dx) and np.isclose(dz_dx, value):
        return (
            f"{value:g} is the value of `z` at x = 1. The gradient is its slope: how fast z "
            "changes when x moves a little."
        )
    if _is_number(dz_dx) and np.isclose(dz_dx, slope / 2):
        return (
            "You differentiated the square, 2·(2x + 1) = 6, but not what is inside it. The "
            "chain rule multiplies by the inner derivative too: d(2x + 1)/dx = 2."
        )
    if _is_number(dz_dx) and np.isclose(dz_dx, 2.0):
        return (
            "2 is the derivative of only the inner part, 2x + 1. The chain rule multiplies "
            "it by the outer derivative, 2·(2x + 1), taken at x = 1."
        )
    return differs(dz_dx, slope, "dz/dx at x = 1")


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
        "Evaluate `f` a little to the right of `x` and a little to the left, and divide the "
        "change by the distance between the two points.",
        "That distance is 2h, not h. Choose h small, such as 1e-5: a large h measures the "
        "slope of a chord, not of the curve.",
        "`return (f(x + h) - f(x - h)) / (2 * h)` with `h = 1e-5`.",
    ],
    solution="""
def slope(f, x):
    h = 1e-5
    return (f(x + h) - f(x - h)) / (2 * h)
""",
    why="A central difference needs no calculus and is obviously right, so it is the standard "
    "test of any gradient code, tutorflow's included.",
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
        expected = _run(gradient, {x: point}, graph)
    f, calls = _recording(lambda v: v**3 - 2 * v)
    received = slope(f, point)
    if isinstance(received, tf.Tensor) or not _is_number(received):
        return f"`slope` should return a number; it returned {received!r}."
    offsets = sorted({round(call - point, 12) for call in calls})
    if len(offsets) == 2 and 0.0 in offsets:
        return (
            "You evaluated f at x and on one side of it only: a one-sided difference. Its "
            "error shrinks only in proportion to h; stepping to both sides, x - h and x + "
            "h, cancels that error and leaves one proportional to h²."
        )
    accurate = np.isclose(received, expected, rtol=1e-6, atol=0)
    if not accurate and np.isclose(received, 2 * expected, rtol=1e-4):
        return (
            "Your slope is twice too large: f(x + h) and f(x - h) are 2h apart, so the "
            "change must be divided by 2h, not by h."
        )
    step = max((abs(offset) for offset in offsets), default=0.0)
    if not accurate and step > 1e-3:
        return (
            f"Close, but not close enough: {received!r} instead of {expected!r}. Your h is "
            f"too large ({step:g}): the difference then measures the slope of a chord "
            "across the curve. Try h = 1e-5."
        )
    if not accurate and 0 < step < 1e-9:
        return (
            f"Your h ({step:g}) is so small that f(x + h) and f(x - h) differ only in their "
            "last few digits, and rounding dominates. Try h = 1e-5."
        )
    return differs(received, expected, "the slope of x³ - 2x at x = 2", rtol=1e-6)


@exercise(
    kind=CODE,
    answer="bias_gradient",
    hints=[
        "`b` has 10 entries but is added to every one of the N rows. How many of the N × 10 "
        "gradient values reach each entry of `b`?",
        "Each entry of `b` affects one column of every row, so its gradient collects that "
        "whole column: sum over the batch axis, axis 0.",
        "`return tf.reduce_sum(grad_logits, axis=0)`.",
    ],
    solution="""
def bias_gradient(grad_logits):
    return tf.reduce_sum(grad_logits, axis=0)
""",
    why="A variable used many times collects the gradient of every use: that is why a "
    "broadcast add sums its gradient back to the bias's shape.",
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
        return (
            f"Shape {received.shape} vs {expected.shape}: that is one row per example, the "
            "gradient arriving at `logits`. `b` is one vector shared by every row, so each "
            "of its entries collects the gradients of all the rows: sum over axis 0."
        )
    if received.shape == (upstream.shape[0],):
        return (
            f"Shape {received.shape} vs {expected.shape}: you summed over the classes (axis "
            "1), giving one number per example. `b` has one entry per class; sum over the "
            "batch, axis 0."
        )
    if received.shape == expected.shape and np.allclose(received, upstream.mean(axis=0)):
        return (
            "You averaged over the batch. Each example's use of `b` adds its own gradient, "
            "so they add up: sum over axis 0. (A mean belongs in the loss, where "
            "`reduce_mean` already divides by N.)"
        )
    if received.shape == ():
        return (
            f"Shape () vs {expected.shape}: you summed everything. `b` has one entry per "
            "class, so keep that axis: sum over axis 0 only."
        )
    return differs(received, expected, "the gradient of b")


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
        "Start from the race's (0.02, 0.8) and change one number at a time in the try cell "
        "(or call `ex.valley_loss(rate, momentum)`, which returns the first and last loss).",
        "With momentum 0.8 the ball swings from wall to wall for a long time. Less momentum "
        "damps the swings sooner, and a somewhat larger learning rate then moves it faster "
        "along the floor.",
        "Try momentum between 0.5 and 0.7 with a learning rate between 0.03 and 0.06.",
    ],
    solution="valley_learning_rate, valley_momentum = 0.05, 0.6",
    why="Learning rate and momentum work together: momentum multiplies the effective step, so "
    "the two are tuned as a pair.",
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
        return "Give two numbers: a learning rate and a momentum."
    if valley_learning_rate <= 0:
        return "The learning rate must be positive: a step goes *against* the gradient."
    start, final = valley_loss(valley_learning_rate, valley_momentum)
    if final < VALLEY_TARGET:
        return None
    result = f"After {VALLEY_STEPS} steps the loss is {final:.3g} (the target is below 1e-4)."
    if valley_momentum >= 1:
        return (
            f"{result} Momentum {valley_momentum:g} never forgets: the velocity keeps every "
            "past gradient at full weight, so the ball never settles. Keep it below 1."
        )
    if not np.isfinite(final) or final > start:
        return (
            f"{result} It blew up: across the steep walls the steps grow instead of "
            "shrinking. Lower the learning rate (or the momentum)."
        )
    if valley_momentum == 0:
        return (
            f"{result} With momentum 0 this is plain gradient descent, which the steep walls "
            "hold to a small step along the valley; it cannot get there in 40 steps. Give "
            "it some momentum."
        )
    if valley_momentum >= 0.75 and valley_learning_rate >= 0.01:
        return (
            f"{result} It is still swinging from wall to wall: with this much momentum the "
            "velocity forgets slowly. Lower the momentum a little and raise the learning "
            "rate."
        )
    return (
        f"{result} Too slow: raise the learning rate (or the momentum) a little, and watch "
        "that it does not blow up."
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
        "`beta1_power` is a variable. What is its value before the first step, and what does "
        "each step do to it?",
        "It starts at β₁ = 0.9, the power that step 1 needs for its correction, and each step "
        "multiplies it by β₁ once it has used it.",
        "So after t steps it holds β₁ to the power t + 1.",
    ],
    solution="beta1_power_after_3 = 0.9 ** 4",
    why="Adam keeps, between steps, the correction that the next step will use; reading an "
    "optimizer's slots shows what it really remembers.",
    mistakes=[
        Mistake("beta1_power_after_3 = 0.9 ** 3", "the next step"),
        Mistake("beta1_power_after_3 = 0.9", "multiplies it by β₁"),
        Mistake("beta1_power_after_3 = 1 - 0.9 ** 3", "correction divides by"),
    ],
)
def q5(beta1_power_after_3):
    """After 3 steps of Adam with β₁ = 0.9, what does the variable `beta1_power` hold?"""
    expected = _adam_powers(3)
    if not _is_number(beta1_power_after_3):
        return differs(beta1_power_after_3, expected, "beta1_power after 3 steps")
    answer = float(beta1_power_after_3)
    if np.isclose(answer, _adam_powers(2)):
        return (
            "0.9³ is the power that step 3 used. `beta1_power` starts at β₁ (for step 1) "
            "and is multiplied by β₁ after each step, so it always holds the power for the "
            "next step."
        )
    if np.isclose(answer, 0.9):
        return (
            "0.9 is β₁ itself, the value `beta1_power` starts with. Each step multiplies it "
            "by β₁ after using it."
        )
    if np.isclose(answer, 1 - 0.9**3) or np.isclose(answer, 1 - expected):
        return (
            "1 − β₁ᵗ is what the correction divides by; the variable holds the power "
            "itself, β₁ to some exponent."
        )
    return differs(answer, expected, "beta1_power after 3 steps")
