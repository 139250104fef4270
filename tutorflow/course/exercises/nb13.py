"""Exercises of notebook 13, Backprop by hand: each gradient of a two-layer network, written in
numpy and checked against what ``tf.gradients`` computes on the same random values."""

from types import SimpleNamespace

import numpy as np

import tutorflow as tf

from ..kit import CODE, PREDICT, Mistake, differs, exercise
from ..language import Text

# Sizes that all differ, so that a transposed or wrongly summed array shows in its shape:
# a batch of N images of D pixels, H hidden units, C classes.
N, D, H, C = 8, 6, 5, 10

SOFTMAX = '''
def softmax(logits):
    """Each row's probabilities; the row's largest logit is subtracted first, so exp never
    overflows."""
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)
'''

GRAD_LOGITS = """
def grad_logits(logits, labels):
    return (softmax(logits) - labels) / len(logits)
"""

GRAD_DENSE = """
def grad_dense(inputs, d_outputs):
    return inputs.T @ d_outputs, d_outputs.sum(axis=0)
"""

GRAD_INPUTS = """
def grad_inputs(d_outputs, W):
    return d_outputs @ W.T
"""

GRAD_RELU = """
def grad_relu(d_h, z1):
    return d_h * (z1 > 0)
"""

BACKWARD = """
def backward(x, labels, W1, b1, W2, b2):
    z1 = x @ W1 + b1
    h = np.maximum(z1, 0)
    d_logits = grad_logits(h @ W2 + b2, labels)
    dW2, db2 = grad_dense(h, d_logits)
    d_z1 = grad_relu(grad_inputs(d_logits, W2), z1)
    dW1, db1 = grad_dense(x, d_z1)
    return dW1, db1, dW2, db2
"""

# What a gradient is called in a diagnosis.
GRADIENT = Text("gradient", "梯度")
D_W = Text("dW", "权重梯度 `dW`")
D_B = Text("db", "偏置梯度 `db`")


def _network_values():
    """Fresh random values of the two-layer network, in float64: images, one-hot labels and
    weights, with biases that leave some hidden units below zero and some above."""
    rng = np.random.default_rng()
    return {
        "x": rng.normal(size=(N, D)),
        "labels": np.eye(C)[rng.integers(0, C, size=N)],
        "W1": rng.normal(size=(D, H)),
        "b1": rng.normal(size=H),
        "W2": rng.normal(size=(H, C)),
        "b2": rng.normal(size=C),
    }


def _on_tutorflow(values):
    """The network on ``values``, forward on tutorflow, and every gradient of its mean
    cross-entropy from ``tf.gradients``."""
    with tf.Graph().as_default(), tf.Session() as sess:
        t = {name: tf.constant(value) for name, value in values.items()}
        z1 = tf.matmul(t["x"], t["W1"]) + t["b1"]
        h = tf.nn.relu(z1)
        logits = tf.matmul(h, t["W2"]) + t["b2"]
        loss = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits(labels=t["labels"], logits=logits)
        )
        wrt = {"logits": logits, "h": h, "z1": z1}
        wrt.update({name: t[name] for name in ("W1", "b1", "W2", "b2")})
        grads = dict(zip(wrt, tf.gradients(loss, list(wrt.values()))))
        forward, backward = sess.run([{"z1": z1, "h": h, "logits": logits}, grads])
    return SimpleNamespace(**values, **forward, **{f"d_{k}": v for k, v in backward.items()})


def _close(received, expected) -> bool:
    received = np.asarray(received)
    return received.shape == np.shape(expected) and np.allclose(received, expected, atol=1e-8)


def _softmax(logits):
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def _times_n(received, expected, what: Text) -> Text | None:
    """The diagnosis of a gradient off by the batch's size, either way, else None."""
    if _close(received, N * expected):
        return Text(
            f"Your {what.en} is {N} times too large: the loss is the *mean* over a batch of {N} "
            f"images, so each image's share of the gradient carries a factor 1/{N}. Divide by "
            "the batch size, `len(logits)`, once, where the loss's gradient starts.",
            f"你的{what.zh}大了 {N} 倍：损失是一个批量 {N} 张图像上的*平均值*，"
            f"所以每张图像在梯度中的那一份都带着因子 1/{N}。在损失的梯度出发的地方，"
            "除以批量大小 `len(logits)`，而且只除一次。",
        )
    if _close(received, expected / N):
        return Text(
            f"Your {what.en} is {N} times too small: the gradient arriving here already carries "
            "the 1/N of the loss's mean, so dividing (or averaging) again counts it twice.",
            f"你的{what.zh}小了 {N} 倍：传到这里的梯度已经带着损失求平均时的 1/N，"
            "再除一次（或再求一次平均）就把它算了两遍。",
        )
    return None


def _multiplied(learner_fn, *arrays) -> tuple[object, Text | None]:
    """Calls the learner's function; a failed matrix product becomes a diagnosis naming the
    shapes it was given."""
    try:
        return learner_fn(*arrays), None
    except ValueError:
        shapes = [str(array.shape) for array in arrays]
        shapes_en, shapes_zh = " and ".join(shapes), " 和 ".join(shapes)
        return None, Text(
            f"numpy could not multiply the arrays: you were given shapes {shapes_en}, and a "
            "matrix product needs the inner sizes to meet. Write each array's shape under it "
            "and pick the transposes that give the shape of the gradient you want.",
            f"numpy 无法把这些数组相乘：传给你的形状是 {shapes_zh}，而矩阵乘法要求"
            "内侧的两个维度相等。把每个数组的形状写在它下面，再挑出能得到所需梯度形状的"
            "转置。",
        )


@exercise(
    kind=CODE,
    answer="grad_logits",
    given=SOFTMAX,
    hints=[
        Text(
            "For one image, the derivative of -log(softmax(z)[label]) with respect to each logit "
            "z_j is softmax(z)_j - y_j.",
            "对一张图像，-log(softmax(z)[label]) 对每个 logit z_j 的导数是 softmax(z)_j - y_j。",
        ),
        Text(
            "The loss is the mean over the batch, so each image's gradient is also divided by "
            "the batch size N.",
            "损失是整个批量上的平均值，所以每张图像的梯度还要除以批量大小 N。",
        ),
        Text(
            "`(softmax(logits) - labels) / len(logits)`",
            "答案是 `(softmax(logits) - labels) / len(logits)`。",
        ),
    ],
    solution=GRAD_LOGITS,
    why=Text(
        "softmax minus the labels is the whole error signal of a classifier: every other "
        "gradient in the network is this array, passed backwards.",
        "softmax 减去标签，就是分类器的全部误差信号：网络中其余的每个梯度，"
        "都是这个数组一路向后传递的结果。",
    ),
    mistakes=[
        Mistake(
            "def grad_logits(logits, labels):\n    return softmax(logits) - labels",
            "times too large",
        ),
        Mistake(
            "def grad_logits(logits, labels):\n    return softmax(logits) / len(logits)",
            "without subtracting the labels",
        ),
        Mistake(
            "def grad_logits(logits, labels):\n    return (labels - softmax(logits)) / len(logits)",
            "opposite sign",
        ),
    ],
)
def q1(grad_logits):
    """Write `grad_logits(logits, labels)`: the gradient of the mean cross-entropy."""
    net = _on_tutorflow(_network_values())
    received = grad_logits(net.logits, net.labels)
    expected = net.d_logits
    probabilities = _softmax(net.logits)
    if _close(received, probabilities) or _close(received, probabilities / N):
        return Text(
            "You returned the probabilities without subtracting the labels. The label pulls "
            "its class's logit up: the gradient is softmax(logits) - labels, negative at the "
            "right class and positive everywhere else.",
            "你返回的是概率，没有减去标签。标签会把它那一类的 logit 往上拉：梯度是 "
            "softmax(logits) - labels，在正确的类别上为负，在其他类别上都为正。",
        )
    if _close(received, -expected) or _close(received, -N * expected):
        return Text(
            "Your gradient has the opposite sign: labels - softmax points downhill. A gradient "
            "points uphill, where the loss grows, and gradient descent subtracts it.",
            "你的梯度符号反了：labels - softmax 指向下坡。梯度指向上坡，即损失增大的方向，"
            "梯度下降再把它减掉。",
        )
    return _times_n(received, expected, GRADIENT) or differs(
        received, expected, Text("dLoss/dlogits", "`dLoss/dlogits`（损失对 logits 的梯度）")
    )


@exercise(
    kind=CODE,
    answer="grad_dense",
    given=SOFTMAX,
    hints=[
        Text(
            "`dW` has the shape of `W`, (inputs' units, outputs' units), and `db` the shape of "
            "`b`. Each image adds its own share to them: the batch axis is the one summed away.",
            "`dW` 的形状和 `W` 一样，是（输入单元数, 输出单元数），`db` 的形状和 `b` 一样。"
            "每张图像都往里加上自己的一份：被求和消掉的正是批量那一维。",
        ),
        Text(
            "dW[i, j] sums inputs[n, i] * d_outputs[n, j] over the images n: a matrix product "
            "with the batch on the inside. db[j] sums d_outputs[n, j] over n.",
            "dW[i, j] 是 inputs[n, i] * d_outputs[n, j] 对所有图像 n 的和：一个批量维处在"
            "内侧的矩阵乘法。db[j] 是 d_outputs[n, j] 对 n 的和。",
        ),
        Text(
            "`return inputs.T @ d_outputs, d_outputs.sum(axis=0)`",
            "答案是 `return inputs.T @ d_outputs, d_outputs.sum(axis=0)`。",
        ),
    ],
    solution=GRAD_DENSE,
    why=Text(
        "Every dense layer's weight gradient is its input, transposed, times the gradient at its "
        "output: the same two lines serve both layers here, and every layer of any network.",
        "每个全连接层的权重梯度，都是它的输入转置后乘以它输出处的梯度：同样这两行代码，"
        "这里的两层都能用，任何网络的每一层也都能用。",
    ),
    mistakes=[
        Mistake(
            "def grad_dense(inputs, d_outputs):\n"
            "    return d_outputs.T @ inputs, d_outputs.sum(axis=0)",
            "the transpose of dW",
        ),
        Mistake(
            "def grad_dense(inputs, d_outputs):\n"
            "    return inputs.T @ d_outputs, d_outputs.sum(axis=1)",
            "summed over the wrong axis",
        ),
        Mistake(
            "def grad_dense(inputs, d_outputs):\n"
            "    return inputs.T @ d_outputs, d_outputs.mean(axis=0)",
            "times too small",
        ),
        Mistake(
            "def grad_dense(inputs, d_outputs):\n"
            "    return inputs @ d_outputs, d_outputs.sum(axis=0)",
            "numpy could not multiply",
        ),
    ],
)
def q2(grad_dense):
    """Write `grad_dense(inputs, d_outputs)`: a dense layer's `(dW, db)`."""
    net = _on_tutorflow(_network_values())
    answer, failed = _multiplied(grad_dense, net.h, net.d_logits)
    if failed:
        return failed
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Text(
            "Return two arrays, `dW, db`: the weights' gradient and the bias's.",
            "返回两个数组 `dW, db`：权重的梯度和偏置的梯度。",
        )
    dW, db = np.asarray(answer[0]), np.asarray(answer[1])
    if dW.shape == (C, H) and _close(dW.T, net.d_W2):
        return Text(
            f"You have the transpose of dW: expected shape {(H, C)}, the shape of W (inputs' "
            f"units by outputs' units), received {dW.shape}. Put the inputs first: "
            "inputs.T @ d_outputs.",
            f"你得到的是 dW 的转置：形状应为 {(H, C)}，即 W 的形状（输入单元数 × 输出单元数），"
            f"你给出的是 {dW.shape}。把输入放在前面：inputs.T @ d_outputs。",
        )
    if not _close(dW, net.d_W2):
        return _times_n(dW, net.d_W2, D_W) or differs(dW, net.d_W2, "dW")
    if db.shape == (N,):
        return Text(
            f"db has shape {db.shape}, one number per image: you summed over the wrong axis. "
            f"A bias has one number per unit, shape {(C,)}; sum over axis 0, the batch.",
            f"db 的形状是 {db.shape}，每张图像一个数：你求和的轴不对。偏置是每个单元一个数，"
            f"形状为 {(C,)}；应当沿第 0 轴（批量那一维）求和。",
        )
    return _times_n(db, net.d_b2, D_B) or differs(db, net.d_b2, "db")


@exercise(
    kind=CODE,
    answer="grad_inputs",
    given=SOFTMAX,
    hints=[
        Text(
            "The result has the shape of the layer's inputs, (batch, inputs' units). Which "
            "product of `d_outputs` (batch, outputs' units) and `W` (inputs' units, outputs' "
            "units) gives it?",
            "结果的形状和这一层的输入相同，是（批量, 输入单元数）。`d_outputs`（批量, "
            "输出单元数）和 `W`（输入单元数, 输出单元数）怎样相乘才能得到它？",
        ),
        Text(
            "Input unit i reached every output j through W[i, j], so its gradient sums "
            "d_outputs[n, j] * W[i, j] over j.",
            "输入单元 i 经由 W[i, j] 连到每个输出 j，所以它的梯度是 "
            "d_outputs[n, j] * W[i, j] 对 j 求和。",
        ),
        Text("`return d_outputs @ W.T`", "答案是 `return d_outputs @ W.T`。"),
    ],
    solution=GRAD_INPUTS,
    why=Text(
        "This product is the *back* in backpropagation: it carries the error of one layer to "
        "the layer before it, through the same weights the forward pass used.",
        "这个乘法就是反向传播中的“反向”：它沿着前向传播用过的同一组权重，把一层的误差传给前一层。",
    ),
    mistakes=[
        Mistake("def grad_inputs(d_outputs, W):\n    return W @ d_outputs.T", "the transpose"),
        Mistake("def grad_inputs(d_outputs, W):\n    return d_outputs @ W", "could not multiply"),
    ],
)
def q3(grad_inputs):
    """Write `grad_inputs(d_outputs, W)`: the gradient that reaches a dense layer's inputs."""
    net = _on_tutorflow(_network_values())
    dh, failed = _multiplied(grad_inputs, net.d_logits, net.W2)
    if failed:
        return failed
    dh = np.asarray(dh)
    if dh.shape == (H, N) and _close(dh.T, net.d_h):
        return Text(
            f"You have the transpose: expected shape {(N, H)}, one row per image like the "
            f"hidden layer h itself, received {dh.shape}. d_outputs @ W.T keeps the batch first.",
            f"你得到的是转置：形状应为 {(N, H)}，和隐藏层 h 本身一样每张图像一行，"
            f"你给出的是 {dh.shape}。d_outputs @ W.T 会让批量维保持在前面。",
        )
    return _times_n(dh, net.d_h, GRADIENT) or differs(
        dh, net.d_h, Text("dLoss/dh", "`dLoss/dh`（损失对 h 的梯度）")
    )


@exercise(
    kind=CODE,
    answer="grad_relu",
    given=SOFTMAX,
    hints=[
        Text(
            "ReLU is max(0, z): what is its slope where z is negative, and where z is positive?",
            "ReLU 是 max(0, z)：z 为负时它的斜率是多少？z 为正时呢？",
        ),
        Text(
            "The chain rule multiplies the arriving gradient by that slope, element by element: "
            "1 where z1 > 0, 0 elsewhere.",
            "链式法则把传来的梯度逐元素地乘以这个斜率：z1 > 0 处为 1，其余为 0。",
        ),
        Text("`return d_h * (z1 > 0)`", "答案是 `return d_h * (z1 > 0)`。"),
    ],
    solution=GRAD_RELU,
    why=Text(
        "A ReLU is a gate: where it was closed in the forward pass, no gradient flows back, "
        "which is also why a unit closed for every image never learns again.",
        "ReLU 是一道门：前向传播时它关着的地方，就没有梯度流回去；"
        "这也是为什么一个对所有图像都关着的单元，再也学不到任何东西。",
    ),
    mistakes=[
        Mistake("def grad_relu(d_h, z1):\n    return d_h", "straight through"),
        Mistake("def grad_relu(d_h, z1):\n    return d_h * np.maximum(z1, 0)", "its slope"),
        Mistake("def grad_relu(d_h, z1):\n    return d_h * (z1 < 0)", "the wrong side"),
    ],
)
def q4(grad_relu):
    """Write `grad_relu(d_h, z1)`: the gradient through `h = relu(z1)`."""
    net = _on_tutorflow(_network_values())
    received = grad_relu(net.d_h, net.z1)
    if _close(received, net.z1 > 0):
        return Text(
            "That is the mask itself: multiply the arriving gradient `d_h` by it.",
            "这只是掩码本身：还要用它去乘传来的梯度 `d_h`。",
        )
    if _close(received, net.d_h):
        return Text(
            "You passed the gradient straight through, as if there were no ReLU. Where z1 < 0 "
            "the ReLU's output is flat (always 0), so no gradient reaches z1 there.",
            "你让梯度原样穿了过去，就好像没有 ReLU 一样。在 z1 < 0 处，ReLU 的输出是平的"
            "（恒为 0），所以那里没有梯度能到达 z1。",
        )
    if _close(received, net.d_h * np.maximum(net.z1, 0)):
        return Text(
            "You multiplied by the ReLU's output, max(0, z1). The chain rule wants its slope: "
            "1 where z1 > 0 and 0 elsewhere, a mask of zeros and ones.",
            "你乘的是 ReLU 的输出 max(0, z1)。链式法则要的是它的斜率：z1 > 0 处为 1，"
            "其余为 0，即一个由 0 和 1 组成的掩码。",
        )
    if _close(received, net.d_h * (net.z1 < 0)):
        return Text(
            "Your mask keeps the wrong side: the gradient flows where z1 > 0, where the ReLU "
            "passes its input on, and stops where z1 < 0.",
            "你的掩码留错了一侧：梯度在 z1 > 0 处流过（ReLU 在那里把输入原样传下去），"
            "在 z1 < 0 处被截断。",
        )
    return differs(received, net.d_z1, Text("dLoss/dz1", "`dLoss/dz1`（损失对 z1 的梯度）"))


@exercise(
    kind=CODE,
    answer="backward",
    given=SOFTMAX + GRAD_LOGITS + GRAD_DENSE + GRAD_INPUTS + GRAD_RELU,
    hints=[
        Text(
            "First the forward pass, keeping z1 and h; then your four functions, from the loss "
            "backwards: logits, layer 2, through W2, through the ReLU, layer 1.",
            "先做前向传播，留下 z1 和 h；再从损失往回依次调用你的四个函数：logits、"
            "第 2 层、穿过 W2、穿过 ReLU、第 1 层。",
        ),
        Text(
            "`grad_dense` serves both layers: `grad_dense(h, d_logits)` gives dW2 and db2, "
            "`grad_dense(x, d_z1)` gives dW1 and db1.",
            "`grad_dense` 两层都能用：`grad_dense(h, d_logits)` 给出 dW2 和 db2，"
            "`grad_dense(x, d_z1)` 给出 dW1 和 db1。",
        ),
        Text(
            "d_z1 = grad_relu(grad_inputs(d_logits, W2), z1); return dW1, db1, dW2, db2.",
            "d_z1 = grad_relu(grad_inputs(d_logits, W2), z1)；最后 return dW1, db1, dW2, db2。",
        ),
    ],
    solution=BACKWARD,
    why=Text(
        "This is backpropagation, all of it: one forward pass that keeps its intermediate "
        "values, then one step back per layer, each reusing the gradient of the step before.",
        "这就是反向传播的全部：一次保留中间值的前向传播，然后每层往回走一步，"
        "每一步都复用前一步求出的梯度。",
    ),
    mistakes=[
        Mistake(
            BACKWARD.replace("return dW1, db1, dW2, db2", "return dW2, db2, dW1, db1"),
            "in the wrong order",
        ),
        Mistake(
            BACKWARD.replace(
                "grad_relu(grad_inputs(d_logits, W2), z1)", "grad_inputs(d_logits, W2)"
            ),
            "without the ReLU's mask",
        ),
        Mistake(
            BACKWARD.replace("grad_logits(h @ W2 + b2, labels)", "softmax(h @ W2 + b2) - labels"),
            "All four gradients are",
        ),
    ],
)
def q5(backward):
    """Write `backward(x, labels, W1, b1, W2, b2)`, returning `dW1, db1, dW2, db2`."""
    net = _on_tutorflow(_network_values())
    names = ("W1", "b1", "W2", "b2")
    try:
        answer = backward(*(getattr(net, name) for name in ("x", "labels") + names))
    except ValueError:
        return Text(
            "numpy could not multiply two of your arrays. Check each step's shapes: the "
            "gradient of z1 must have z1's shape, (batch, hidden units), before it meets x.",
            "numpy 无法把你的某两个数组相乘。检查每一步的形状：z1 的梯度在与 x 相遇之前，"
            "形状必须和 z1 一样，是（批量, 隐藏单元数）。",
        )
    if not isinstance(answer, (tuple, list)) or len(answer) != 4:
        return Text(
            "Return four arrays, in this order: `dW1, db1, dW2, db2`.",
            "按这个顺序返回四个数组：`dW1, db1, dW2, db2`。",
        )
    received = dict(zip(names, (np.asarray(value) for value in answer)))
    expected = {name: getattr(net, f"d_{name}") for name in names}
    if all(_close(received[name], N * expected[name]) for name in names):
        return Text(
            f"All four gradients are {N} times too large: the 1/N of the loss's mean over the "
            "batch is missing where the gradient starts, at the logits; every later gradient "
            "inherits it.",
            f"四个梯度都大了 {N} 倍：在梯度出发的地方（logits 处）少了损失对批量求平均"
            "带来的 1/N，后面的每个梯度都继承了这个错误。",
        )
    if _close(received["W1"], expected["W2"]) or _close(received["W2"], expected["W1"]):
        return Text(
            "Your gradients are in the wrong order: return `dW1, db1, dW2, db2`.",
            "你的梯度顺序不对：应返回 `dW1, db1, dW2, db2`。",
        )
    wrong = [name for name in names if not _close(received[name], expected[name])]
    if not wrong:
        return None
    if wrong == ["W1", "b1"]:
        unmasked = net.d_h
        if _close(received["b1"], unmasked.sum(axis=0)):
            return Text(
                "dW2 and db2 are right, but dW1 and db1 are what they would be without the "
                "ReLU's mask: zero the gradient where z1 <= 0 before it reaches layer 1.",
                "dW2 和 db2 是对的，但 dW1 和 db1 是没有 ReLU 掩码时的结果："
                "在梯度到达第 1 层之前，把 z1 <= 0 处的梯度置零。",
            )
    name = wrong[0]
    return differs(received[name], expected[name], Text(f"d{name}", f"梯度 `d{name}`"))


def _count_matmuls(graph) -> int:
    return sum(op.type == "MatMul" for op in graph.get_operations())


@exercise(
    kind=PREDICT,
    answer="n_matmuls",
    hints=[
        Text(
            "List the matrix products of your own `backward`, then ask: does MatMul's gradient "
            "function know which of its inputs you want to train?",
            "先列出你自己的 `backward` 里有哪些矩阵乘法，再想一想：MatMul 的梯度函数"
            "知道你要训练的是它的哪个输入吗？",
        ),
        Text(
            "A gradient function returns one gradient per input of its op, and each of the two "
            "MatMuls has two inputs.",
            "梯度函数为它的运算的每个输入各返回一个梯度，而两个 MatMul 各有两个输入。",
        ),
    ],
    solution="n_matmuls = 4",
    why=Text(
        "tf.gradients builds every input's gradient of each op it visits, wanted or not; the "
        "session later runs only what a fetch needs, so the unwanted ones cost nothing.",
        "tf.gradients 为它经过的每个运算的每个输入都构建梯度，不管需不需要；"
        "会话之后只运行取回所需的部分，所以用不到的那些不花任何代价。",
    ),
    mistakes=[
        Mistake("n_matmuls = 2", "through W2"),
        Mistake("n_matmuls = 3", "the gradient with respect to x"),
    ],
)
def q6(n_matmuls):
    """How many MatMul ops does `tf.gradients(loss, [W1, b1, W2, b2])` add to the graph?"""
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, D])
        y_ = tf.placeholder(tf.float32, [None, C])
        W1, b1 = tf.Variable(tf.zeros([D, H])), tf.Variable(tf.zeros([H]))
        W2, b2 = tf.Variable(tf.zeros([H, C])), tf.Variable(tf.zeros([C]))
        logits = tf.matmul(tf.nn.relu(tf.matmul(x, W1) + b1), W2) + b2
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
        before = _count_matmuls(graph)
        tf.gradients(loss, [W1, b1, W2, b2])
        expected = _count_matmuls(graph) - before
    if n_matmuls == 2:
        return Text(
            "Two would be dW1 and dW2. But to reach W1 the gradient must first pass back "
            "through W2, dh = d_logits @ W2.T: a matrix product too.",
            "两个的话是 dW1 和 dW2。可是梯度要到达 W1，先得反向穿过 W2，"
            "即 dh = d_logits @ W2.T：这也是一个矩阵乘法。",
        )
    if n_matmuls == expected - 1:
        return Text(
            "You counted dW2, dh and dW1, the products your `backward` needs. MatMul's gradient "
            "function also builds the gradient with respect to x, its other input, though no "
            "one asked for it: it returns one gradient per input.",
            "你数了 dW2、dh 和 dW1，也就是你的 `backward` 需要的那几个乘法。但 MatMul 的"
            "梯度函数还会构建对 x（它的另一个输入）的梯度，尽管没有人要：它为每个输入各返回"
            "一个梯度。",
        )
    return differs(n_matmuls, expected, Text("the number of MatMul ops", "MatMul 运算的个数"))
