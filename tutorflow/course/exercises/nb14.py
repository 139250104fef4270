"""Exercises of notebook 14, Write your own op: a kernel in numpy, a gradient built from ops,
checked by tf.test.compute_gradient_error, and a leaky ReLU where plain ReLUs die."""

import functools

import numpy as np

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise

# Values on both sides of 0, none closer to it than the checker's step (1e-3): at 0 itself the
# kink of a leaky ReLU makes central differences meaningless.
_X = np.array([[-1.5, -0.3, 0.4], [0.7, -2.0, 1.1]])


def _reference_leaky_relu(op, x):
    return np.where(x > 0, x, op.get_attr("alpha") * x)


def _reference_leaky_relu_grad(op, grad):
    return [tf.where(op.inputs[0] > 0, grad, op.get_attr("alpha") * grad)]


def _an_op(op_type, kernel, gradient, x_value, **attrs):
    """Registers ``op_type`` (replacing the last check's) and builds one on ``x_value``, in a
    new default graph; returns the op and its input and output tensors."""
    build = tf.register_op(op_type, kernel, gradient, replace=True)
    x = tf.constant(x_value)
    y = build(x, **attrs)
    return y.op, x, y


# -- 14.1: the kernel ------------------------------------------------------------------------


@exercise(
    kind=CODE,
    answer="my_leaky_relu_kernel",
    hints=[
        "A kernel gets numpy arrays and returns one. Which numpy function picks, element by "
        "element, between two arrays according to a condition?",
        "`np.where(condition, a, b)` takes `a` where the condition holds and `b` elsewhere. "
        "The slope is `op.get_attr('alpha')`.",
        "`return np.where(x > 0, x, op.get_attr('alpha') * x)`: a new array, x's dtype.",
    ],
    solution="""
def my_leaky_relu_kernel(op, x):
    alpha = op.get_attr("alpha")
    return np.where(x > 0, x, alpha * x)
""",
    why="A kernel is plain array code: it never sees the graph, only its input values and "
    "the settings of its op, and it returns a new value without touching its inputs.",
    mistakes=[
        Mistake(
            "def my_leaky_relu_kernel(op, x):\n"
            "    return np.where(x > 0, op.get_attr('alpha') * x, x)",
            "slope on the positive side",
        ),
        Mistake(
            "def my_leaky_relu_kernel(op, x):\n"
            "    out = np.zeros(x.shape)\n"
            "    out[x > 0] = x[x > 0]\n"
            "    out[x <= 0] = op.get_attr('alpha') * x[x <= 0]\n"
            "    return out",
            "float64",
        ),
        Mistake(
            "def my_leaky_relu_kernel(op, x):\n    x[x < 0] *= op.get_attr('alpha')\n    return x",
            "changed its input",
        ),
        Mistake(
            "def my_leaky_relu_kernel(op, x):\n    return np.where(x > 0, x, 0.01 * x)",
            "op.get_attr('alpha')",
        ),
    ],
)
def q1(my_leaky_relu_kernel):
    """Write the leaky ReLU's kernel in numpy."""
    x_value = _X.astype(np.float32)
    for alpha in (0.2, 0.05):
        with tf.Graph().as_default():
            op, _, _ = _an_op(
                "LeakyReluKernelExercise", my_leaky_relu_kernel, None, x_value, alpha=alpha
            )
            given = x_value.copy()
            result = my_leaky_relu_kernel(op, given)
        if result is None:
            return "Your kernel returned None: end it with `return` and the new array."
        if not np.array_equal(given, x_value):
            return (
                "Your kernel changed its input array in place. That array belongs to the "
                "session: it may be a value you fed, or another op's output that other ops "
                "still read. Compute a new array (np.where does) and return it."
            )
        result = np.asarray(result)
        expected = np.where(x_value > 0, x_value, np.float32(alpha) * x_value)
        if np.allclose(result, expected) and result.dtype != np.float32:
            return (
                f"The values are right, but your kernel returns {result.dtype} for a float32 "
                "input: np.zeros(shape) and np.array of Python floats default to float64. The "
                "graph says this tensor is float32, so every op after it would compute in "
                "double precision (twice the memory, slower), and tutorflow refuses such a "
                "value at run time, as TF's py_func does. Use np.zeros_like(x) or np.where."
            )
        if np.allclose(result, np.where(x_value > 0, alpha * x_value, x_value)):
            return (
                "You put the slope on the positive side: positive values must pass unchanged "
                "and negative ones be multiplied by alpha. Swap the two branches."
            )
        if np.allclose(result, np.maximum(x_value, 0)):
            return "That is ReLU: negative values must become alpha * x, not 0."
        for fixed in (0.01, 0.1, 0.2, 0.3):
            if fixed != alpha and np.allclose(
                result, np.where(x_value > 0, x_value, fixed * x_value)
            ):
                return (
                    f"Your kernel used a slope of {fixed} where the op asked for {alpha}: read "
                    "it with op.get_attr('alpha'), which holds what the builder was given "
                    "(leaky_relu(x, alpha=...))."
                )
        mismatch = differs(result, expected, f"the kernel's value with alpha={alpha}")
        if mismatch:
            return mismatch
    return None


# -- 14.2: the gradient -----------------------------------------------------------------------


@exercise(
    kind=CODE,
    answer="my_leaky_relu_grad",
    hints=[
        "The derivative of a leaky ReLU is 1 where x > 0 and alpha elsewhere. The gradient "
        "function gets `grad`, dLoss/dy, and must return dLoss/dx for each input.",
        "Chain rule: dLoss/dx = grad * dy/dx. `tf.where(condition, a, b)` builds that choice "
        "in the graph; the input is `op.inputs[0]`.",
        "`return [tf.where(op.inputs[0] > 0, grad, op.get_attr('alpha') * grad)]`: a list, "
        "one gradient per input.",
    ],
    solution="""
def my_leaky_relu_grad(op, grad):
    x = op.inputs[0]
    return [tf.where(x > 0, grad, op.get_attr("alpha") * grad)]
""",
    why="A gradient function builds more graph: the chain rule multiplies the incoming grad by "
    "the op's own derivative, and tf.gradients strings these pieces together.",
    mistakes=[
        Mistake(
            "def my_leaky_relu_grad(op, grad):\n"
            "    return tf.where(op.inputs[0] > 0, grad, op.get_attr('alpha') * grad)",
            "not a list",
        ),
        Mistake(
            "def my_leaky_relu_grad(op, grad):\n"
            "    x = op.inputs[0]\n"
            "    ones = tf.ones_like(x)\n"
            "    return [tf.where(x > 0, ones, op.get_attr('alpha') * ones)]",
            "chain rule: multiply by grad",
        ),
        Mistake(
            "def my_leaky_relu_grad(op, grad):\n"
            "    return [tf.where(op.inputs[0] > 0, op.get_attr('alpha') * grad, grad)]",
            "slope on the positive side",
        ),
        Mistake(
            "def my_leaky_relu_grad(op, grad):\n"
            "    return [tf.where(op.inputs[0] > 0, grad, tf.zeros_like(grad))]",
            "ReLU's gradient",
        ),
    ],
)
def q2(my_leaky_relu_grad):
    """Write the leaky ReLU's gradient as a function that builds graph."""
    alpha, incoming = 0.2, np.full(_X.shape, 3.0)
    with tf.Graph().as_default(), tf.Session() as sess:
        op, x, y = _an_op(
            "LeakyReluGradExercise", _reference_leaky_relu, my_leaky_relu_grad, _X, alpha=alpha
        )
        result = my_leaky_relu_grad(op, tf.constant(incoming))
        if isinstance(result, tf.Tensor):
            return (
                "Your function returns a Tensor, not a list: a gradient function returns one "
                "gradient per input of the op, in a list, even when there is only one. Wrap "
                "it: `return [ ... ]`."
            )
        if result is None or len(result) != 1:
            return "Return a list with one gradient: the op has one input, x."
        value = sess.run(result[0])
        error = tf.test.compute_gradient_error(x, list(_X.shape), y, list(_X.shape), _X)
    slope = np.where(_X > 0, 1.0, alpha)
    if np.allclose(value, slope):
        return (
            "Your gradient gives dy/dx alone, whatever flows in: chain rule: multiply by "
            "grad, the gradient of the loss with respect to this op's output."
        )
    if np.allclose(value, incoming * np.where(_X > 0, alpha, 1.0)):
        return (
            "You put the slope on the positive side: the gradient passes unchanged where "
            "x > 0 and is multiplied by alpha where x <= 0."
        )
    if np.allclose(value, incoming * (_X > 0)):
        return (
            "That is ReLU's gradient, zero for negative x. A leaky ReLU lets alpha * grad "
            "through there: that trickle is the whole point of it."
        )
    mismatch = differs(value, incoming * slope, "the gradient for an incoming grad of 3")
    if mismatch:
        return mismatch
    if error > 1e-4:
        return f"compute_gradient_error reports {error:.3g}: the gradient is wrong somewhere."
    return None


# -- 14.3: what the checker reports for a wrong gradient -----------------------------------------


def _wrong_leaky_relu_grad(op, grad):
    return [grad]  # forgets the slope on the negative side


@exercise(
    kind=PREDICT,
    answer="predicted_error",
    hints=[
        "compute_gradient_error is the largest absolute difference between one entry of the "
        "Jacobian your gradient builds and the same entry measured by central differences.",
        "For a negative x, what does the wrong gradient say dy/dx is, and what is it really?",
        "It says 1; the truth is alpha = 0.2. Central differences measure the truth to about "
        "1e-6, so the error is close to 1 - 0.2.",
    ],
    solution="predicted_error = 0.8",
    why="A right gradient is off by rounding (around 1e-6 in float64); a wrong one by as "
    "much as its derivative is wrong, so the two are orders of magnitude apart.",
    mistakes=[
        Mistake("predicted_error = 1e-6", "size for a right gradient"),
        Mistake("predicted_error = 0.2", "alpha itself"),
        Mistake("predicted_error = -0.8", "never negative"),
    ],
)
def q3(predicted_error):
    """Predict what compute_gradient_error reports for a leaky ReLU whose gradient forgets alpha."""
    shape = list(_X.shape)
    with tf.Graph().as_default(), tf.Session():
        build = tf.register_op(
            "LeakyReluWrongGradExercise",
            _reference_leaky_relu,
            _wrong_leaky_relu_grad,
            replace=True,
        )
        x = tf.placeholder(tf.float64, shape)
        expected = tf.test.compute_gradient_error(x, shape, build(x, alpha=0.2), shape, _X)
    if not isinstance(predicted_error, (int, float, np.number)):
        return "Answer with one number, such as 1e-3."
    if predicted_error < 0:
        return (
            "An error here is an absolute difference, so it is never negative: how far is "
            "the wrong derivative from the true one?"
        )
    if predicted_error <= 0.01:
        return (
            f"{predicted_error:g} is the size for a right gradient: only the rounding of "
            "central differences. Here the gradient says dy/dx = 1 where the truth is 0.2, "
            "and the checker sees that whole difference."
        )
    if np.isclose(predicted_error, 0.2):
        return (
            "0.2 is alpha itself, the true slope on the negative side. The error is how far "
            "the wrong gradient's slope (1) is from it."
        )
    if expected / 2 <= predicted_error <= expected * 2:
        return None
    return differs(predicted_error, expected, "the error, to within a factor of two")


# -- 14.4: a swish op -------------------------------------------------------------------------


@exercise(
    kind=CODE,
    answer=("swish_kernel", "swish_grad"),
    hints=[
        "swish(x) = x * sigmoid(x), with sigmoid(x) = 1 / (1 + exp(-x)). Its derivative, by "
        "the product rule: sigmoid(x) + x * sigmoid'(x), and sigmoid' = s * (1 - s).",
        "The kernel is numpy: `x / (1 + np.exp(-x))`. The gradient builds ops on "
        "`x = op.inputs[0]`: `s = tf.sigmoid(x)`.",
        "`return [grad * (s + x * s * (1 - s))]`",
    ],
    solution="""
def swish_kernel(op, x):
    return x / (1 + np.exp(-x))

def swish_grad(op, grad):
    x = op.inputs[0]
    s = tf.sigmoid(x)
    return [grad * (s + x * s * (1 - s))]
""",
    why="Any smooth function can become an op: a forward in numpy and a derivative built "
    "from ops that already have theirs.",
    mistakes=[
        Mistake(
            "def swish_kernel(op, x):\n    return x / (1 + np.exp(-x))\n"
            "def swish_grad(op, grad):\n    s = tf.sigmoid(op.inputs[0])\n"
            "    return [s + op.inputs[0] * s * (1 - s)]",
            "multiply by grad",
        ),
        Mistake(
            "def swish_kernel(op, x):\n    return x / (1 + np.exp(-x))\n"
            "def swish_grad(op, grad):\n    y = op.outputs[0]\n    s = tf.sigmoid(y)\n"
            "    return [grad * (s + y * s * (1 - s))]",
            "op.outputs[0]",
        ),
        Mistake(
            "def swish_kernel(op, x):\n    return x / (1 + np.exp(-x))\n"
            "def swish_grad(op, grad):\n    return [grad * tf.sigmoid(op.inputs[0])]",
            "product rule",
        ),
        Mistake(
            "def swish_kernel(op, x):\n    return 1 / (1 + np.exp(-x))\n"
            "def swish_grad(op, grad):\n    s = tf.sigmoid(op.inputs[0])\n"
            "    return [grad * (s + op.inputs[0] * s * (1 - s))]",
            "the sigmoid alone",
        ),
    ],
)
def q4(swish_kernel, swish_grad):
    """Write a swish op, x * sigmoid(x): its kernel and its gradient."""
    x_value = _X.astype(np.float32)
    with tf.Graph().as_default():
        op, _, _ = _an_op("SwishKernelExercise", swish_kernel, None, x_value)
        forward = np.asarray(swish_kernel(op, x_value.copy()))
    s = 1 / (1 + np.exp(-_X))
    if np.allclose(forward, s, rtol=1e-4):
        return "Your kernel computes the sigmoid alone: swish multiplies it by x."
    mismatch = differs(forward, _X * s, "the kernel's value", rtol=1e-4)
    if mismatch:
        return mismatch
    if forward.dtype != np.float32:
        return f"Your kernel returns {forward.dtype} for a float32 input: keep x's dtype."
    incoming = np.full(_X.shape, 3.0)
    with tf.Graph().as_default(), tf.Session() as sess:
        op, x, y = _an_op("SwishGradExercise", swish_kernel, swish_grad, _X)
        result = swish_grad(op, tf.constant(incoming))
        if isinstance(result, tf.Tensor):
            return "Your gradient returns a Tensor, not a list: wrap it, `return [ ... ]`."
        value = sess.run(result[0])
        error = tf.test.compute_gradient_error(x, list(_X.shape), y, list(_X.shape), _X)
    derivative = s + _X * s * (1 - s)
    y_value = _X * s
    s_of_y = 1 / (1 + np.exp(-y_value))
    if np.allclose(value, derivative):
        return "Your gradient gives dy/dx alone, whatever flows in: chain rule: multiply by grad."
    if np.allclose(value, incoming * (s_of_y + y_value * s_of_y * (1 - s_of_y))):
        return (
            "Your gradient is built on op.outputs[0], the swish's value, where the formula "
            "needs its input x: use op.inputs[0]. (ReLU's gradient may use its output, since "
            "y > 0 exactly where x > 0; swish's may not.)"
        )
    if np.allclose(value, incoming * s):
        return (
            "grad * sigmoid(x) forgets half of the product rule: d(x * s)/dx = s + x * s'. "
            "The sigmoid's own derivative is s * (1 - s)."
        )
    mismatch = differs(value, incoming * derivative, "the gradient for an incoming grad of 3")
    if mismatch:
        return mismatch
    if error > 1e-4:
        return f"compute_gradient_error reports {error:.3g}: the gradient is wrong somewhere."
    return None


# -- 14.5: leaky ReLU against dying units ----------------------------------------------------------


@functools.cache
def silent_start(alpha: float | None, n_steps: int = 200):
    """The small network of notebook 11 that kills its ReLUs: 784 -> 32 -> 10, hidden biases
    -2, rate 0.5, batches of 100 in order. ``alpha`` None for ReLU, else leaky ReLU
    ``max(z, alpha * z)``. Returns (validation accuracy, fraction of hidden units negative
    for every one of 1,000 validation images)."""
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    images, labels = mnist.train.images, mnist.train.labels
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, 784])
        y_ = tf.placeholder(tf.float32, [None, 10])
        W1 = tf.Variable(tf.truncated_normal([784, 32], stddev=0.1))
        b1 = tf.Variable(tf.constant(-2.0, shape=[32]))
        W2 = tf.Variable(tf.truncated_normal([32, 10], stddev=0.1))
        b2 = tf.Variable(tf.zeros([10]))
        z = tf.matmul(x, W1) + b1
        h = tf.nn.relu(z) if alpha is None else tf.maximum(z, alpha * z)
        logits = tf.matmul(h, W2) + b2
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
        train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        with tf.Session() as sess, np.errstate(all="ignore"):
            sess.run(tf.global_variables_initializer())
            for step in range(n_steps):
                batch = slice(100 * step, 100 * step + 100)
                sess.run(train_step, {x: images[batch], y_: labels[batch]})
            feed = {x: mnist.validation.images[:1000], y_: mnist.validation.labels[:1000]}
            accuracy_value, z_value = sess.run([accuracy, z], feed)
    return float(accuracy_value), float(np.mean(np.all(z_value <= 0, axis=0)))


@exercise(
    kind=EXPLORE,
    answer="alpha",
    hints=[
        "Try a few slopes with `train_silent_start` and watch both numbers: the silent "
        "fraction and the accuracy.",
        "0.01, the usual default, lets only 1% of the gradient through; 1 makes the network "
        "linear. Look in between.",
        "Somewhere around 0.2 to 0.5 the silent units wake up.",
    ],
    solution="alpha = 0.3",
    why="A leaky ReLU keeps a little gradient flowing through a unit that is switched off, so "
    "a unit pushed into the negative can come back; a plain ReLU's cannot.",
    mistakes=[
        Mistake("alpha = 0.01", "too little gradient"),
        Mistake("alpha = 1.0", "linear"),
        Mistake("alpha = 0", "plain ReLU"),
    ],
)
def q5(alpha):
    """Find a slope with which the leaky ReLU network of silent units learns better than ReLU."""
    if not isinstance(alpha, (int, float, np.number)):
        return "Answer with one number: the slope alpha."
    if alpha == 0:
        return "With alpha = 0 the leaky ReLU is the plain ReLU, whose silent units stay silent."
    if alpha < 0:
        return (
            "A negative slope folds the negative side up: that is no leaky ReLU. Try 0 < alpha < 1."
        )
    if alpha >= 1:
        return (
            "With alpha = 1 (or more) the activation is (nearly) linear: the whole network is "
            "one matrix product, which learns no better than softmax regression, and at this "
            "learning rate it diverges."
        )
    relu_accuracy, relu_silent = silent_start(None)
    accuracy, silent = silent_start(float(alpha))
    if silent > 0.1:
        return (
            f"With alpha = {alpha:g}, {silent:.0%} of the hidden units are still negative for "
            f"every validation image (ReLU: {relu_silent:.0%}): too little gradient flows "
            "through them to bring them back within 200 steps. Try a larger slope."
        )
    if accuracy < relu_accuracy + 0.02:
        return (
            f"The units are awake ({silent:.0%} silent), but the accuracy, {accuracy:.1%}, is "
            f"not clearly above ReLU's {relu_accuracy:.1%}: at a slope this close to 1 the "
            "network is nearly linear, and may diverge. Try a smaller one."
        )
    return None
