"""Exercises of notebook 13, Backprop by hand: each gradient of a two-layer network, written in
numpy and checked against what ``tf.gradients`` computes on the same random values."""

from types import SimpleNamespace

import numpy as np

import tutorflow as tf

from ..kit import CODE, PREDICT, Mistake, differs, exercise

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


def _times_n(received, expected, what) -> str | None:
    """The diagnosis of a gradient off by the batch's size, either way, else None."""
    if _close(received, N * expected):
        return (
            f"Your {what} is {N} times too large: the loss is the *mean* over a batch of {N} "
            f"images, so each image's share of the gradient carries a factor 1/{N}. Divide by "
            "the batch size, `len(logits)`, once, where the loss's gradient starts."
        )
    if _close(received, expected / N):
        return (
            f"Your {what} is {N} times too small: the gradient arriving here already carries the "
            "1/N of the loss's mean, so dividing (or averaging) again counts it twice."
        )
    return None


def _multiplied(learner_fn, *arrays) -> tuple[object, str | None]:
    """Calls the learner's function; a failed matrix product becomes a diagnosis naming the
    shapes it was given."""
    try:
        return learner_fn(*arrays), None
    except ValueError:
        shapes = " and ".join(str(array.shape) for array in arrays)
        return None, (
            f"numpy could not multiply the arrays: you were given shapes {shapes}, and a matrix "
            "product needs the inner sizes to meet. Write each array's shape under it and pick "
            "the transposes that give the shape of the gradient you want."
        )


@exercise(
    kind=CODE,
    answer="grad_logits",
    given=SOFTMAX,
    hints=[
        (
            "For one image, the derivative of -log(softmax(z)[label]) with respect to each logit "
            "z_j is softmax(z)_j - y_j."
        ),
        (
            "The loss is the mean over the batch, so each image's gradient is also divided by the "
            "batch size N."
        ),
        "`(softmax(logits) - labels) / len(logits)`",
    ],
    solution=GRAD_LOGITS,
    why="softmax minus the labels is the whole error signal of a classifier: every other "
    "gradient in the network is this array, passed backwards.",
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
        return (
            "You returned the probabilities without subtracting the labels. The label pulls "
            "its class's logit up: the gradient is softmax(logits) - labels, negative at the "
            "right class and positive everywhere else."
        )
    if _close(received, -expected) or _close(received, -N * expected):
        return (
            "Your gradient has the opposite sign: labels - softmax points downhill. A gradient "
            "points uphill, where the loss grows, and gradient descent subtracts it."
        )
    return _times_n(received, expected, "gradient") or differs(received, expected, "dLoss/dlogits")


@exercise(
    kind=CODE,
    answer="grad_dense",
    given=SOFTMAX,
    hints=[
        (
            "`dW` has the shape of `W`, (inputs' units, outputs' units), and `db` the shape of `b`. "
            "Each image adds its own share to them: the batch axis is the one summed away."
        ),
        (
            "dW[i, j] sums inputs[n, i] * d_outputs[n, j] over the images n: a matrix product with "
            "the batch on the inside. db[j] sums d_outputs[n, j] over n."
        ),
        "`return inputs.T @ d_outputs, d_outputs.sum(axis=0)`",
    ],
    solution=GRAD_DENSE,
    why="Every dense layer's weight gradient is its input, transposed, times the gradient at its "
    "output: the same two lines serve both layers here, and every layer of any network.",
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
        return "Return two arrays, `dW, db`: the weights' gradient and the bias's."
    dW, db = np.asarray(answer[0]), np.asarray(answer[1])
    if dW.shape == (C, H) and _close(dW.T, net.d_W2):
        return (
            f"You have the transpose of dW: expected shape {(H, C)}, the shape of W (inputs' "
            f"units by outputs' units), received {dW.shape}. Put the inputs first: "
            "inputs.T @ d_outputs."
        )
    if not _close(dW, net.d_W2):
        return _times_n(dW, net.d_W2, "dW") or differs(dW, net.d_W2, "dW")
    if db.shape == (N,):
        return (
            f"db has shape {db.shape}, one number per image: you summed over the wrong axis. "
            f"A bias has one number per unit, shape {(C,)}; sum over axis 0, the batch."
        )
    return _times_n(db, net.d_b2, "db") or differs(db, net.d_b2, "db")


@exercise(
    kind=CODE,
    answer="grad_inputs",
    given=SOFTMAX,
    hints=[
        (
            "The result has the shape of the layer's inputs, (batch, inputs' units). Which product of "
            "`d_outputs` (batch, outputs' units) and `W` (inputs' units, outputs' units) gives it?"
        ),
        (
            "Input unit i reached every output j through W[i, j], so its gradient sums "
            "d_outputs[n, j] * W[i, j] over j."
        ),
        "`return d_outputs @ W.T`",
    ],
    solution=GRAD_INPUTS,
    why="This product is the *back* in backpropagation: it carries the error of one layer to "
    "the layer before it, through the same weights the forward pass used.",
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
        return (
            f"You have the transpose: expected shape {(N, H)}, one row per image like the "
            f"hidden layer h itself, received {dh.shape}. d_outputs @ W.T keeps the batch first."
        )
    return _times_n(dh, net.d_h, "gradient") or differs(dh, net.d_h, "dLoss/dh")


@exercise(
    kind=CODE,
    answer="grad_relu",
    given=SOFTMAX,
    hints=[
        "ReLU is max(0, z): what is its slope where z is negative, and where z is positive?",
        (
            "The chain rule multiplies the arriving gradient by that slope, element by element: "
            "1 where z1 > 0, 0 elsewhere."
        ),
        "`return d_h * (z1 > 0)`",
    ],
    solution=GRAD_RELU,
    why="A ReLU is a gate: where it was closed in the forward pass, no gradient flows back, "
    "which is also why a unit closed for every image never learns again.",
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
        return "That is the mask itself: multiply the arriving gradient `d_h` by it."
    if _close(received, net.d_h):
        return (
            "You passed the gradient straight through, as if there were no ReLU. Where z1 < 0 "
            "the ReLU's output is flat (always 0), so no gradient reaches z1 there."
        )
    if _close(received, net.d_h * np.maximum(net.z1, 0)):
        return (
            "You multiplied by the ReLU's output, max(0, z1). The chain rule wants its slope: "
            "1 where z1 > 0 and 0 elsewhere, a mask of zeros and ones."
        )
    if _close(received, net.d_h * (net.z1 < 0)):
        return (
            "Your mask keeps the wrong side: the gradient flows where z1 > 0, where the ReLU "
            "passes its input on, and stops where z1 < 0."
        )
    return differs(received, net.d_z1, "dLoss/dz1")


@exercise(
    kind=CODE,
    answer="backward",
    given=SOFTMAX + GRAD_LOGITS + GRAD_DENSE + GRAD_INPUTS + GRAD_RELU,
    hints=[
        (
            "First the forward pass, keeping z1 and h; then your four functions, from the loss "
            "backwards: logits, layer 2, through W2, through the ReLU, layer 1."
        ),
        (
            "`grad_dense` serves both layers: `grad_dense(h, d_logits)` gives dW2 and db2, "
            "`grad_dense(x, d_z1)` gives dW1 and db1."
        ),
        "d_z1 = grad_relu(grad_inputs(d_logits, W2), z1); return dW1, db1, dW2, db2.",
    ],
    solution=BACKWARD,
    why="This is backpropagation, all of it: one forward pass that keeps its intermediate "
    "values, then one step back per layer, each reusing the gradient of the step before.",
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
        return (
            "numpy could not multiply two of your arrays. Check each step's shapes: the "
            "gradient of z1 must have z1's shape, (batch, hidden units), before it meets x."
        )
    if not isinstance(answer, (tuple, list)) or len(answer) != 4:
        return "Return four arrays, in this order: `dW1, db1, dW2, db2`."
    received = dict(zip(names, (np.asarray(value) for value in answer)))
    expected = {name: getattr(net, f"d_{name}") for name in names}
    if all(_close(received[name], N * expected[name]) for name in names):
        return (
            f"All four gradients are {N} times too large: the 1/N of the loss's mean over the batch is "
            "missing where the gradient starts, at the logits; every later gradient inherits it."
        )
    if _close(received["W1"], expected["W2"]) or _close(received["W2"], expected["W1"]):
        return "Your gradients are in the wrong order: return `dW1, db1, dW2, db2`."
    wrong = [name for name in names if not _close(received[name], expected[name])]
    if not wrong:
        return None
    if wrong == ["W1", "b1"]:
        unmasked = net.d_h
        if _close(received["b1"], unmasked.sum(axis=0)):
            return (
                "dW2 and db2 are right, but dW1 and db1 are what they would be without the "
                "ReLU's mask: zero the gradient where z1 <= 0 before it reaches layer 1."
            )
    name = wrong[0]
    return differs(received[name], expected[name], f"d{name}")


def _count_matmuls(graph) -> int:
    return sum(op.type == "MatMul" for op in graph.get_operations())


@exercise(
    kind=PREDICT,
    answer="n_matmuls",
    hints=[
        (
            "List the matrix products of your own `backward`, then ask: does MatMul's gradient "
            "function know which of its inputs you want to train?"
        ),
        (
            "A gradient function returns one gradient per input of its op, and each of the two "
            "MatMuls has two inputs."
        ),
    ],
    solution="n_matmuls = 4",
    why="tf.gradients builds every input's gradient of each op it visits, wanted or not; the "
    "session later runs only what a fetch needs, so the unwanted ones cost nothing.",
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
        return (
            "Two would be dW1 and dW2. But to reach W1 the gradient must first pass back "
            "through W2, dh = d_logits @ W2.T: a matrix product too."
        )
    if n_matmuls == expected - 1:
        return (
            "You counted dW2, dh and dW1, the products your `backward` needs. MatMul's gradient "
            "function also builds the gradient with respect to x, its other input, though no "
            "one asked for it: it returns one gradient per input."
        )
    return differs(n_matmuls, expected, "the number of MatMul ops")
