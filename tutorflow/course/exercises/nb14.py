"""Exercises of notebook 14, Write your own op: a kernel in numpy, a gradient built from ops,
checked by tf.test.compute_gradient_error, and a leaky ReLU where plain ReLUs die."""

import functools

import numpy as np

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise
from ..language import Text

# Values on both sides of 0, none closer to it than the checker's step (1e-3): at 0 itself the
# kink of a leaky ReLU makes central differences meaningless.
_X = np.array([[-1.5, -0.3, 0.4], [0.7, -2.0, 1.1]])

# What a diagnosis calls the gradient the learner's function built for an incoming grad of 3.
_GRADIENT_FOR_3 = Text("the gradient for an incoming grad of 3", "传入的 grad 为 3 时的梯度")


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
        Text(
            "A kernel gets numpy arrays and returns one. Which numpy function picks, element by "
            "element, between two arrays according to a condition?",
            "内核接收 numpy 数组，也返回一个 numpy 数组。哪个 numpy 函数能按一个条件，"
            "逐元素地在两个数组之间挑选？",
        ),
        Text(
            "`np.where(condition, a, b)` takes `a` where the condition holds and `b` elsewhere. "
            "The slope is `op.get_attr('alpha')`.",
            "`np.where(condition, a, b)` 在条件成立处取 `a`，其余处取 `b`。"
            "斜率是 `op.get_attr('alpha')`。",
        ),
        Text(
            "`return np.where(x > 0, x, op.get_attr('alpha') * x)`: a new array, x's dtype.",
            "`return np.where(x > 0, x, op.get_attr('alpha') * x)`：一个新数组，"
            "数据类型和 x 相同。",
        ),
    ],
    solution="""
def my_leaky_relu_kernel(op, x):
    alpha = op.get_attr("alpha")
    return np.where(x > 0, x, alpha * x)
""",
    why=Text(
        "A kernel is plain array code: it never sees the graph, only its input values and "
        "the settings of its op, and it returns a new value without touching its inputs.",
        "内核就是普通的数组代码：它从不接触计算图，只看到输入的值和所属运算的设置，"
        "并返回一个新值，不改动它的输入。",
    ),
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
            return Text(
                "Your kernel returned None: end it with `return` and the new array.",
                "你的内核返回了 None：在末尾用 `return` 返回新数组。",
            )
        if not np.array_equal(given, x_value):
            return Text(
                "Your kernel changed its input array in place. That array belongs to the "
                "session: it may be a value you fed, or another op's output that other ops "
                "still read. Compute a new array (np.where does) and return it.",
                "你的内核原地修改了它的输入数组。那个数组属于会话：它可能是你喂入的值，"
                "也可能是另一个运算的输出，还有别的运算要读它。算出一个新数组"
                "（np.where 就是这样做的）并返回它。",
            )
        result = np.asarray(result)
        expected = np.where(x_value > 0, x_value, np.float32(alpha) * x_value)
        if np.allclose(result, expected) and result.dtype != np.float32:
            return Text(
                f"The values are right, but your kernel returns {result.dtype} for a float32 "
                "input: np.zeros(shape) and np.array of Python floats default to float64. The "
                "graph says this tensor is float32, so every op after it would compute in "
                "double precision (twice the memory, slower), and tutorflow refuses such a "
                "value at run time, as TF's py_func does. Use np.zeros_like(x) or np.where.",
                f"值是对的，但输入是 float32 时你的内核返回的是 {result.dtype}："
                "np.zeros(shape) 和由 Python 浮点数构成的 np.array 默认都是 float64。"
                "计算图声明这个张量是 float32，否则它之后的每个运算都会以双精度计算"
                "（内存翻倍，速度更慢）；因此 tutorflow 和 TF 的 py_func 一样，"
                "在运行时拒绝这样的值。请用 np.zeros_like(x) 或 np.where。",
            )
        if np.allclose(result, np.where(x_value > 0, alpha * x_value, x_value)):
            return Text(
                "You put the slope on the positive side: positive values must pass unchanged "
                "and negative ones be multiplied by alpha. Swap the two branches.",
                "你把斜率放到了正的一侧：正值应当原样通过，负值才乘以 alpha。把两个分支对调一下。",
            )
        if np.allclose(result, np.maximum(x_value, 0)):
            return Text(
                "That is ReLU: negative values must become alpha * x, not 0.",
                "这是 ReLU：负值应当变成 alpha * x，而不是 0。",
            )
        for fixed in (0.01, 0.1, 0.2, 0.3):
            if fixed != alpha and np.allclose(
                result, np.where(x_value > 0, x_value, fixed * x_value)
            ):
                return Text(
                    f"Your kernel used a slope of {fixed} where the op asked for {alpha}: read "
                    "it with op.get_attr('alpha'), which holds what the builder was given "
                    "(leaky_relu(x, alpha=...)).",
                    f"运算要求的斜率是 {alpha}，你的内核却用了 {fixed}：用 "
                    "op.get_attr('alpha') 读取它，其中存的是构建这个运算时传入的值"
                    "（leaky_relu(x, alpha=...)）。",
                )
        mismatch = differs(
            result,
            expected,
            Text(f"the kernel's value with alpha={alpha}", f"alpha={alpha} 时内核的输出"),
        )
        if mismatch:
            return mismatch
    return None


# -- 14.2: the gradient -----------------------------------------------------------------------


@exercise(
    kind=CODE,
    answer="my_leaky_relu_grad",
    hints=[
        Text(
            "The derivative of a leaky ReLU is 1 where x > 0 and alpha elsewhere. The gradient "
            "function gets `grad`, dLoss/dy, and must return dLoss/dx for each input.",
            "leaky ReLU 的导数在 x > 0 处为 1，其余处为 alpha。梯度函数收到 `grad`，"
            "即 dLoss/dy，它必须为每个输入返回 dLoss/dx。",
        ),
        Text(
            "Chain rule: dLoss/dx = grad * dy/dx. `tf.where(condition, a, b)` builds that choice "
            "in the graph; the input is `op.inputs[0]`.",
            "链式法则：dLoss/dx = grad * dy/dx。`tf.where(condition, a, b)` "
            "在计算图中构建这个选择；输入是 `op.inputs[0]`。",
        ),
        Text(
            "`return [tf.where(op.inputs[0] > 0, grad, op.get_attr('alpha') * grad)]`: a list, "
            "one gradient per input.",
            "`return [tf.where(op.inputs[0] > 0, grad, op.get_attr('alpha') * grad)]`："
            "一个列表，每个输入一个梯度。",
        ),
    ],
    solution="""
def my_leaky_relu_grad(op, grad):
    x = op.inputs[0]
    return [tf.where(x > 0, grad, op.get_attr("alpha") * grad)]
""",
    why=Text(
        "A gradient function builds more graph: the chain rule multiplies the incoming grad by "
        "the op's own derivative, and tf.gradients strings these pieces together.",
        "梯度函数构建的是更多的计算图：链式法则把传入的 grad 乘以该运算自身的导数，"
        "tf.gradients 再把这些片段串联起来。",
    ),
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
            return Text(
                "Your function returns a Tensor, not a list: a gradient function returns one "
                "gradient per input of the op, in a list, even when there is only one. Wrap "
                "it: `return [ ... ]`.",
                "你的函数返回的是一个 Tensor，而不是列表：梯度函数要为运算的每个输入各返回"
                "一个梯度，放在列表里，即使只有一个输入也是如此。把它包起来："
                "`return [ ... ]`。",
            )
        if result is None or len(result) != 1:
            return Text(
                "Return a list with one gradient: the op has one input, x.",
                "返回一个只含一个梯度的列表：这个运算只有一个输入 x。",
            )
        value = sess.run(result[0])
        error = tf.test.compute_gradient_error(x, list(_X.shape), y, list(_X.shape), _X)
    slope = np.where(_X > 0, 1.0, alpha)
    if np.allclose(value, slope):
        return Text(
            "Your gradient gives dy/dx alone, whatever flows in: chain rule: multiply by "
            "grad, the gradient of the loss with respect to this op's output.",
            "不管传进来的是什么，你的梯度都只给出 dy/dx。按链式法则，还要乘以 grad，"
            "即损失对这个运算输出的梯度。",
        )
    if np.allclose(value, incoming * np.where(_X > 0, alpha, 1.0)):
        return Text(
            "You put the slope on the positive side: the gradient passes unchanged where "
            "x > 0 and is multiplied by alpha where x <= 0.",
            "你把斜率放到了正的一侧：梯度在 x > 0 处原样通过，在 x <= 0 处才乘以 alpha。",
        )
    if np.allclose(value, incoming * (_X > 0)):
        return Text(
            "That is ReLU's gradient, zero for negative x. A leaky ReLU lets alpha * grad "
            "through there: that trickle is the whole point of it.",
            "这是 ReLU 的梯度，x 为负时为零。leaky ReLU 在那里会放过 alpha * grad："
            "这一丝细流正是它存在的全部意义。",
        )
    mismatch = differs(value, incoming * slope, _GRADIENT_FOR_3)
    if mismatch:
        return mismatch
    if error > 1e-4:
        return Text(
            f"compute_gradient_error reports {error:.3g}: the gradient is wrong somewhere.",
            f"compute_gradient_error 报告的误差是 {error:.3g}：梯度在某处有错。",
        )
    return None


# -- 14.3: what the checker reports for a wrong gradient -----------------------------------------


def _wrong_leaky_relu_grad(op, grad):
    return [grad]  # forgets the slope on the negative side


@exercise(
    kind=PREDICT,
    answer="predicted_error",
    hints=[
        Text(
            "compute_gradient_error is the largest absolute difference between one entry of "
            "the Jacobian your gradient builds and the same entry measured by central "
            "differences.",
            "compute_gradient_error 是你的梯度构建出的雅可比矩阵与用中心差分测得的雅可比"
            "矩阵之间，对应元素绝对差的最大值。",
        ),
        Text(
            "For a negative x, what does the wrong gradient say dy/dx is, and what is it really?",
            "对于负的 x，错误的梯度说 dy/dx 是多少？它实际上又是多少？",
        ),
        Text(
            "It says 1; the truth is alpha = 0.2. Central differences measure the truth to "
            "about 1e-6, so the error is close to 1 - 0.2.",
            "它说是 1，真实值是 alpha = 0.2。中心差分测出真实值的精度约为 1e-6，"
            "所以误差接近 1 - 0.2。",
        ),
    ],
    solution="predicted_error = 0.8",
    why=Text(
        "A right gradient is off by rounding (around 1e-6 in float64); a wrong one by as "
        "much as its derivative is wrong, so the two are orders of magnitude apart.",
        "正确的梯度只差舍入误差（float64 下约 1e-6）；错误的梯度差的则是它的导数错了多少，"
        "所以两者相差好几个数量级。",
    ),
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
        return Text("Answer with one number, such as 1e-3.", "请用一个数作答，例如 1e-3。")
    if predicted_error < 0:
        return Text(
            "An error here is an absolute difference, so it is never negative: how far is "
            "the wrong derivative from the true one?",
            "这里的误差是绝对差，所以它从不为负：错误的导数离真实的导数有多远？",
        )
    if predicted_error <= 0.01:
        return Text(
            f"{predicted_error:g} is the size for a right gradient: only the rounding of "
            "central differences. Here the gradient says dy/dx = 1 where the truth is 0.2, "
            "and the checker sees that whole difference.",
            f"{predicted_error:g} 是正确梯度才有的大小：只有中心差分的舍入误差。"
            "这里的梯度说 dy/dx = 1，而真实值是 0.2，检查器会看到这整个差值。",
        )
    if np.isclose(predicted_error, 0.2):
        return Text(
            "0.2 is alpha itself, the true slope on the negative side. The error is how far "
            "the wrong gradient's slope (1) is from it.",
            "0.2 是 alpha 本身，即负的一侧的真实斜率。误差是错误梯度的斜率（1）离它有多远。",
        )
    if expected / 2 <= predicted_error <= expected * 2:
        return None
    return differs(
        predicted_error,
        expected,
        Text("the error, to within a factor of two", "误差（相差两倍以内都算对）"),
    )


# -- 14.4: a swish op -------------------------------------------------------------------------


@exercise(
    kind=CODE,
    answer=("swish_kernel", "swish_grad"),
    hints=[
        Text(
            "swish(x) = x * sigmoid(x), with sigmoid(x) = 1 / (1 + exp(-x)). Its derivative, by "
            "the product rule: sigmoid(x) + x * sigmoid'(x), and sigmoid' = s * (1 - s).",
            "swish(x) = x * sigmoid(x)，其中 sigmoid(x) = 1 / (1 + exp(-x))。由乘积法则，"
            "它的导数是 sigmoid(x) + x * sigmoid'(x)，而 sigmoid' = s * (1 - s)。",
        ),
        Text(
            "The kernel is numpy: `x / (1 + np.exp(-x))`. The gradient builds ops on "
            "`x = op.inputs[0]`: `s = tf.sigmoid(x)`.",
            "内核用 numpy 写：`x / (1 + np.exp(-x))`。梯度在 `x = op.inputs[0]` 上"
            "构建运算：`s = tf.sigmoid(x)`。",
        ),
        Text(
            "`return [grad * (s + x * s * (1 - s))]`",
            "梯度函数最后是 `return [grad * (s + x * s * (1 - s))]`。",
        ),
    ],
    solution="""
def swish_kernel(op, x):
    return x / (1 + np.exp(-x))

def swish_grad(op, grad):
    x = op.inputs[0]
    s = tf.sigmoid(x)
    return [grad * (s + x * s * (1 - s))]
""",
    why=Text(
        "Any smooth function can become an op: a forward in numpy and a derivative built "
        "from ops that already have theirs.",
        "任何光滑函数都可以变成一个运算：前向计算用 numpy 写，导数则用那些已经有各自"
        "梯度的运算来构建。",
    ),
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
        return Text(
            "Your kernel computes the sigmoid alone: swish multiplies it by x.",
            "你的内核只算了 sigmoid：swish 还要再乘以 x。",
        )
    mismatch = differs(forward, _X * s, Text("the kernel's value", "内核的输出"), rtol=1e-4)
    if mismatch:
        return mismatch
    if forward.dtype != np.float32:
        return Text(
            f"Your kernel returns {forward.dtype} for a float32 input: keep x's dtype.",
            f"输入是 float32 时你的内核返回的是 {forward.dtype}：请保持 x 的数据类型。",
        )
    incoming = np.full(_X.shape, 3.0)
    with tf.Graph().as_default(), tf.Session() as sess:
        op, x, y = _an_op("SwishGradExercise", swish_kernel, swish_grad, _X)
        result = swish_grad(op, tf.constant(incoming))
        if isinstance(result, tf.Tensor):
            return Text(
                "Your gradient returns a Tensor, not a list: wrap it, `return [ ... ]`.",
                "你的梯度函数返回的是一个 Tensor，而不是列表：把它包起来，`return [ ... ]`。",
            )
        value = sess.run(result[0])
        error = tf.test.compute_gradient_error(x, list(_X.shape), y, list(_X.shape), _X)
    derivative = s + _X * s * (1 - s)
    y_value = _X * s
    s_of_y = 1 / (1 + np.exp(-y_value))
    if np.allclose(value, derivative):
        return Text(
            "Your gradient gives dy/dx alone, whatever flows in: chain rule: multiply by grad.",
            "不管传进来的是什么，你的梯度都只给出 dy/dx。按链式法则，还要乘以 grad。",
        )
    if np.allclose(value, incoming * (s_of_y + y_value * s_of_y * (1 - s_of_y))):
        return Text(
            "Your gradient is built on op.outputs[0], the swish's value, where the formula "
            "needs its input x: use op.inputs[0]. (ReLU's gradient may use its output, since "
            "y > 0 exactly where x > 0; swish's may not.)",
            "你的梯度是在 op.outputs[0]（swish 的输出值）上构建的，而公式需要的是它的输入 "
            "x：请用 op.inputs[0]。（ReLU 的梯度可以用它的输出，因为 y > 0 恰好就是 x > 0 "
            "的地方；swish 的梯度却不行。）",
        )
    if np.allclose(value, incoming * s):
        return Text(
            "grad * sigmoid(x) forgets half of the product rule: d(x * s)/dx = s + x * s'. "
            "The sigmoid's own derivative is s * (1 - s).",
            "grad * sigmoid(x) 漏掉了乘积法则的一半：d(x * s)/dx = s + x * s'。"
            "sigmoid 自身的导数是 s * (1 - s)。",
        )
    mismatch = differs(value, incoming * derivative, _GRADIENT_FOR_3)
    if mismatch:
        return mismatch
    if error > 1e-4:
        return Text(
            f"compute_gradient_error reports {error:.3g}: the gradient is wrong somewhere.",
            f"compute_gradient_error 报告的误差是 {error:.3g}：梯度在某处有错。",
        )
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
        Text(
            "Try a few slopes with `train_silent_start` and watch both numbers: the silent "
            "fraction and the accuracy.",
            "用 `train_silent_start` 试几个斜率，同时盯住两个数：沉默单元的比例和准确率。",
        ),
        Text(
            "0.01, the usual default, lets only 1% of the gradient through; 1 makes the network "
            "linear. Look in between.",
            "常用的默认值 0.01 只放过 1% 的梯度；1 则让网络变成线性的。在两者之间找。",
        ),
        Text(
            "Somewhere around 0.2 to 0.5 the silent units wake up.",
            "大约在 0.2 到 0.5 之间，沉默的单元会醒过来。",
        ),
    ],
    solution="alpha = 0.3",
    why=Text(
        "A leaky ReLU keeps a little gradient flowing through a unit that is switched off, so "
        "a unit pushed into the negative can come back; a plain ReLU's cannot.",
        "leaky ReLU 让一点梯度继续流过已经关闭的单元，所以被推到负区的单元还能回来；"
        "普通 ReLU 的单元则回不来。",
    ),
    mistakes=[
        Mistake("alpha = 0.01", "too little gradient"),
        Mistake("alpha = 1.0", "linear"),
        Mistake("alpha = 0", "plain ReLU"),
    ],
)
def q5(alpha):
    """Find a slope with which the leaky ReLU network of silent units learns better than ReLU."""
    if not isinstance(alpha, (int, float, np.number)):
        return Text("Answer with one number: the slope alpha.", "请用一个数作答：斜率 alpha。")
    if alpha == 0:
        return Text(
            "With alpha = 0 the leaky ReLU is the plain ReLU, whose silent units stay silent.",
            "alpha = 0 时，leaky ReLU 就是普通的 ReLU，它沉默的单元会一直沉默下去。",
        )
    if alpha < 0:
        return Text(
            "A negative slope folds the negative side up: that is no leaky ReLU. Try "
            "0 < alpha < 1.",
            "负的斜率会把负的一侧翻折上去：那就不是 leaky ReLU 了。试试 0 < alpha < 1。",
        )
    if alpha >= 1:
        return Text(
            "With alpha = 1 (or more) the activation is (nearly) linear: the whole network is "
            "one matrix product, which learns no better than softmax regression, and at this "
            "learning rate it diverges.",
            "alpha = 1（或更大）时，激活函数（几乎）是线性的：整个网络相当于一次矩阵乘法，"
            "学得不会比 softmax 回归更好，而且在这个学习率下会发散。",
        )
    relu_accuracy, relu_silent = silent_start(None)
    accuracy, silent = silent_start(float(alpha))
    if silent > 0.1:
        return Text(
            f"With alpha = {alpha:g}, {silent:.0%} of the hidden units are still negative for "
            f"every validation image (ReLU: {relu_silent:.0%}): too little gradient flows "
            "through them to bring them back within 200 steps. Try a larger slope.",
            f"alpha = {alpha:g} 时，仍有 {silent:.0%} 的隐藏单元对每张验证图像都为负"
            f"（ReLU：{relu_silent:.0%}）：流过它们的梯度太少，200 步之内救不回来。"
            "试一个更大的斜率。",
        )
    if accuracy < relu_accuracy + 0.02:
        return Text(
            f"The units are awake ({silent:.0%} silent), but the accuracy, {accuracy:.1%}, is "
            f"not clearly above ReLU's {relu_accuracy:.1%}: at a slope this close to 1 the "
            "network is nearly linear, and may diverge. Try a smaller one.",
            f"单元都醒了（沉默的占 {silent:.0%}），但准确率 {accuracy:.1%} 并没有明显高于 "
            f"ReLU 的 {relu_accuracy:.1%}：斜率这么接近 1，网络几乎是线性的，还可能发散。"
            "试一个更小的斜率。",
        )
    return None
