"""Exercises of notebook 02, Graphs and sessions: names in a graph, what a run gives back, and
what it computes."""

import numpy as np

import tutorflow as tf

from ...client import ops_to_run
from ..kit import CODE, PREDICT, Mistake, differs, exercise

_SUM_GRAPH = """
a = tf.constant(3)
b = tf.constant(2)
c = a + b
"""


def _sum_graph():
    """The notebook's first graph, built afresh in a graph of its own."""
    graph = tf.Graph()
    with graph.as_default():
        a = tf.constant(3)
        b = tf.constant(2)
        c = a + b
    return graph, a, b, c


@exercise(
    kind=PREDICT,
    answer="d_name",
    hints=[
        "The `+` made an operation named `add`. Does `tf.add` name its operation the same way?",
        "`tf.add` names its operation after its type, `Add`. Can a graph hold two operations "
        "whose names differ only in case?",
        "Names are compared without regard to case, so `Add` clashes with `add` and gets the "
        "suffix `_1`. A tensor's name is `op_name:index`.",
    ],
    solution="d_name = 'Add_1:0'",
    why="Every operation in a graph has its own name; when you read an error message or a "
    "graph picture, names like `Add_1` tell you which node it means.",
    mistakes=[
        Mistake("d_name = 'add_1:0'", "after its type"),
        Mistake("d_name = 'Add:0'", "without regard to case"),
        Mistake("d_name = 'Add_1'", "operation's name"),
        Mistake("d_name = 'add:0'", "already the name of `c`"),
    ],
)
def q1(d_name):
    """After `c = a + b` and `m = tf.constant(...)`, what is the name of `d = tf.add(a, b)`?"""
    graph, a, b, _ = _sum_graph()
    with graph.as_default():
        tf.constant([[1.0, 2.0], [3.0, 4.0]])
        expected = tf.add(a, b).name
    answer = str(d_name).strip().strip("'\"")
    op_name = expected.split(":")[0]
    if answer == expected:
        return None
    if answer.lower() == expected.lower():
        return (
            "Only the `+` operator names its operation `add`; `tf.add` names it after its "
            "type, `Add`, with a capital A."
        )
    if answer == "Add:0":
        return (
            "`add` is taken already, by the `+` of `c`, and names are compared without "
            "regard to case: `Add` clashes with it and gets a suffix."
        )
    if answer == op_name:
        return (
            f"`{op_name}` is the operation's name. A tensor is one output of an "
            "operation, so its name adds the output's index: `:0` for the first."
        )
    if answer == "add:0":
        return (
            "`add:0` is already the name of `c`. Each operation in a graph gets a name of "
            "its own, and `tf.add` names its operation after its type, `Add`."
        )
    return differs(answer, expected, "the name of `d`")


@exercise(
    kind=PREDICT,
    answer="quotient_dtype",
    given=_SUM_GRAPH,
    hints=[
        "In Python 3, `3 / 2` is 1.5, not 1. Does TensorFlow's `/` divide the same way?",
        "`/` is true division: the result is a float even for two ints. Which float type keeps "
        "every int32 exactly?",
        "float32 has only 24 bits of precision, fewer than an int32's 31. TensorFlow turns "
        "int32s into the wider float type before dividing.",
    ],
    solution="quotient_dtype = tf.float64",
    why="Mixing a float64 tensor with float32 weights is a TypeError later on, so it pays to "
    "know where float64 comes from: `/` on integers.",
    mistakes=[
        Mistake("quotient_dtype = tf.int32", "true division"),
        Mistake("quotient_dtype = tf.float32", "24 bits"),
    ],
)
def q2(quotient_dtype):
    """`a` and `b` are int32 constants. What is the dtype of `a / b`?"""
    graph, a, b, _ = _sum_graph()
    with graph.as_default():
        expected = (a / b).dtype
    if quotient_dtype == expected:
        return None
    if quotient_dtype in (tf.int32, tf.int64):
        return (
            "`/` is true division, as in Python 3: 3 / 2 is 1.5, so the result is a float. "
            "(`//`, `tf.floordiv`, is the division that keeps integers.)"
        )
    if quotient_dtype == tf.float32:
        return (
            "float32 is TensorFlow's usual float, but it has only 24 bits of precision: "
            "not every int32 fits. So `/` turns int32s into float64 before dividing."
        )
    return differs(quotient_dtype, expected, "the dtype")


def _same_structure(received, expected) -> bool:
    if isinstance(expected, dict):
        return (
            isinstance(received, dict)
            and set(received) == set(expected)
            and all(_same_structure(received[k], expected[k]) for k in expected)
        )
    if isinstance(expected, (tuple, list)):
        return (
            type(received) is type(expected)
            and len(received) == len(expected)
            and all(_same_structure(r, e) for r, e in zip(received, expected))
        )
    return not isinstance(received, (dict, tuple, list, tf.Tensor)) and received == expected


def _has_tensor(value) -> bool:
    if isinstance(value, dict):
        return any(_has_tensor(v) for v in value.values())
    if isinstance(value, (tuple, list)):
        return any(_has_tensor(v) for v in value)
    return isinstance(value, tf.Tensor)


@exercise(
    kind=PREDICT,
    answer="fetched",
    given=_SUM_GRAPH,
    hints=[
        "`run` gives back what you gave it, with every tensor replaced by its value.",
        "A dict in gives a dict out, with the same keys; a tuple inside it stays a tuple.",
        "Write the dict with Python numbers in place of the tensors: `c` is 5, `a` is 3, `b` is 2.",
    ],
    solution="fetched = {'sum': 5, 'inputs': (3, 2)}",
    why="Fetching a structure lets one run compute everything you need, and unpacking it "
    "reads like the fetch itself: `_, loss_value = sess.run([train_step, loss])`.",
    mistakes=[
        Mistake("fetched = {'sum': 5, 'inputs': [3, 2]}", "a tuple stays a tuple"),
        Mistake("fetched = (5, (3, 2))", "a dict comes back"),
        Mistake("fetched = {'sum': c, 'inputs': (a, b)}", "replaces every tensor"),
    ],
)
def q3(fetched):
    """What does `sess.run({"sum": c, "inputs": (a, b)})` give back?"""
    graph, a, b, c = _sum_graph()
    with graph.as_default(), tf.Session() as sess:
        expected = sess.run({"sum": c, "inputs": (a, b)})
    if _same_structure(fetched, expected):
        return None
    if _has_tensor(fetched):
        return (
            "Your answer still holds tensors. `run` replaces every tensor of the structure "
            "by its value, a number here."
        )
    if not isinstance(fetched, dict):
        return (
            "You gave `run` a dict, so a dict comes back, with the same keys, `'sum'` and "
            "`'inputs'`; only the tensors in it become values."
        )
    if isinstance(fetched.get("inputs"), list):
        return (
            "`(a, b)` is a tuple, and `run` keeps the structure exactly: a tuple stays a "
            "tuple, a list stays a list."
        )
    shown = {
        key: (tuple(int(v) for v in value) if isinstance(value, tuple) else int(value))
        for key, value in expected.items()
    }
    return f"Expected {shown!r}, received {fetched!r}."


_TRIANGLES = ((3.0, 4.0), ([5.0, 8.0], [12.0, 15.0]))


@exercise(
    kind=CODE,
    answer="hypotenuse",
    hints=[
        "The function gets two tensors and gives back a tensor: it only builds. Who runs it, "
        "and when, is up to the caller.",
        "Python's `math.sqrt` and `np.sqrt` need numbers, which a tensor is not yet. "
        "tutorflow has `tf.sqrt` and `tf.square`, which add nodes to the graph.",
        "`return tf.sqrt(a * a + b * b)`, or the same with `tf.square(a) + tf.square(b)`.",
    ],
    solution="""
def hypotenuse(a, b):
    return tf.sqrt(tf.square(a) + tf.square(b))
""",
    why="A model is written exactly like this: a Python function that takes tensors and "
    "builds the graph piece that computes its output.",
    mistakes=[
        Mistake(
            "def hypotenuse(a, b):\n"
            "    with tf.Session() as sess:\n"
            "        return sess.run(tf.sqrt(a * a + b * b))",
            "only build",
        ),
        Mistake(
            "import math\n\ndef hypotenuse(a, b):\n    return math.sqrt(a * a + b * b)", "`tf.sqrt`"
        ),
        Mistake("def hypotenuse(a, b):\n    return a * a + b * b", "square root"),
    ],
)
def q4(hypotenuse):
    """Write `hypotenuse(a, b)`, which builds the tensor √(a² + b²) from two float tensors."""
    for sides in _TRIANGLES:
        with tf.Graph().as_default(), tf.Session() as sess:
            a, b = (tf.constant(side) for side in sides)
            expected = sess.run(tf.sqrt(a * a + b * b))
            try:
                built = hypotenuse(a, b)
            except TypeError as error:
                if "Tensor" not in str(error):
                    raise
                return (
                    f"TypeError: {error}. `math.sqrt` and `np.sqrt` work on numbers, and a "
                    "tensor is not a number yet: use `tf.sqrt` (and `tf.square`), which "
                    "add nodes to the graph."
                )
            if not isinstance(built, tf.Tensor):
                return (
                    f"`hypotenuse` returned {built}, a value instead of a tensor: it "
                    "ran a session. The function should only build the graph piece and "
                    "return its tensor; whoever calls it decides when to run it."
                )
            value = sess.run(built)
        if np.allclose(value, np.square(expected)):
            return (
                f"For sides {sides[0]} and {sides[1]} your tensor computes {value}, "
                "the sum of the squares: the square root (`tf.sqrt`) is missing."
            )
        wrong = differs(value, expected, f"the hypotenuse of sides {sides[0]} and {sides[1]}")
        if wrong:
            return wrong
    return None


def _branches():
    """The notebook's graph with two branches: total = a + b, product = a * b,
    result = product - total."""
    graph = tf.Graph()
    with graph.as_default():
        a = tf.constant(3, name="a")
        b = tf.constant(2, name="b")
        total = tf.add(a, b, name="total")
        product = tf.multiply(a, b, name="product")
        tf.subtract(product, total, name="result")
    return graph, total, product


@exercise(
    kind=PREDICT,
    answer="n_computed",
    hints=[
        "Start from the fetched operations and follow their inputs backwards. What do "
        "`total` and `product` need?",
        "Both need `a` and `b`. Does the run compute `a` twice? And does anything fetched "
        "need `result`?",
        "The fetches themselves, plus their inputs counted once each; `result` is skipped.",
    ],
    solution="n_computed = 4",
    why="A run computes only what its fetches need, each operation once: that is why "
    "fetching an accuracy never takes a training step, and a training step never computes "
    "the accuracy.",
    mistakes=[
        Mistake("n_computed = 5", "skips `result`"),
        Mistake("n_computed = 6", "once per run"),
        Mistake("n_computed = 2", "their inputs"),
    ],
)
def q5(n_computed):
    """How many of the five operations does `sess.run([total, product])` compute?"""
    _, total, product = _branches()
    expected = len(ops_to_run([total, product]))
    if n_computed == expected:
        return None
    if n_computed == expected + 1:
        return (
            "`result` depends on `total` and `product`, but nothing you fetched depends on "
            "`result`: the run skips `result`."
        )
    if n_computed == expected + 2:
        return (
            "`a` and `b` feed both `total` and `product`, but a run computes each "
            "operation once per run and hands its value to everyone that needs it."
        )
    if n_computed == 2:
        return (
            "`total` and `product` cannot be computed without their inputs: the run "
            "computes `a` and `b` too."
        )
    return differs(n_computed, expected, "the number of operations")
