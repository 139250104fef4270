"""Exercises of notebook 01, Start here: a graph describes values; a session computes them."""

import tutorflow as tf

from ..kit import CODE, PREDICT, Mistake, differs, exercise


def _first_taste():
    """The notebook's first program, built afresh: ``tf.constant(3) + tf.constant(2)``."""
    graph = tf.Graph()
    with graph.as_default():
        total = tf.constant(3) + tf.constant(2)
    return graph, total


@exercise(
    kind=PREDICT,
    answer="printed",
    hints=[
        "`print` shows the object you give it. What kind of object does `+` on two tensors return?",
        "It is a Tensor. Its text form names the tensor (`op_name:index`), its shape and its "
        "dtype. What is the operation that `+` creates called?",
        "`+` creates an operation named `add`; its first output is `add:0`; `3` and `2` are "
        "int32 scalars, so the shape is `()`.",
    ],
    solution="printed = 'Tensor(\"add:0\", shape=(), dtype=int32)'",
    why="Building a graph only describes a computation; nothing is computed until a session "
    "runs it.",
    mistakes=[
        Mistake("printed = '5'", "no session has run it"),
        Mistake(
            "printed = 'Tensor(\"Add:0\", shape=(), dtype=int32)'", "names its operation `add`"
        ),
        Mistake("printed = 'Tensor(\"add:0\", shape=(), dtype=int64)'", "int32"),
    ],
)
def q1(printed):
    """Before running the first taste: what does `print(total)` print?"""
    _, total = _first_taste()
    expected = str(total)
    answer = str(printed).strip().replace("'", '"')
    if answer == expected:
        return None
    if "Tensor" not in answer and answer.strip('"') == "5":
        return (
            "5 is the value `total` will have, but no session has run it yet: `print` "
            "shows the tensor itself, a description of a value to be computed later."
        )
    if "Add:0" in answer:
        return (
            "The `+` operator names its operation `add` (lower case); `tf.add` would name "
            "it after its type, `Add`."
        )
    if "int64" in answer or "float" in answer:
        return (
            "`tf.constant(3)` holds a Python int, which TensorFlow stores as int32 (not "
            "numpy's int64)."
        )
    return differs(answer, expected, "the printed line")


@exercise(
    kind=PREDICT,
    answer="n_operations",
    hints=[
        "`tf.get_default_graph().get_operations()` lists what the graph holds. Which lines "
        "created an operation?",
        "Each `tf.constant` is an operation, and so is the addition.",
    ],
    solution="n_operations = 3",
    why="Every constant and every arithmetic step is a node of the graph; a session runs "
    "nodes, not lines of Python.",
    mistakes=[
        Mistake("n_operations = 2", "The `+` adds a node"),
        Mistake("n_operations = 1", "each `tf.constant`"),
    ],
)
def q2(n_operations):
    """How many operations does `total = tf.constant(3) + tf.constant(2)` put in the graph?"""
    graph, _ = _first_taste()
    expected = len(graph.get_operations())
    if n_operations == expected - 1:
        return (
            "You counted the two constants. The `+` adds a node too: an `Add` operation "
            "whose inputs are the constants' outputs."
        )
    if n_operations == 1:
        return (
            "The addition is one operation, but each `tf.constant` is an operation as well, "
            "with the constant's value as an attribute."
        )
    return differs(n_operations, expected, "the number of operations")


@exercise(
    kind=PREDICT,
    answer="constant_dtype",
    hints=[
        "`3.0` has a decimal point. Which of tutorflow's float types does a Python float become?",
        "TensorFlow's default float type is the 32-bit one, unlike numpy's.",
    ],
    solution="constant_dtype = tf.float32",
    why="TensorFlow computes in float32 unless told otherwise: half the memory of numpy's "
    "float64, and precise enough for neural networks.",
    mistakes=[
        Mistake("constant_dtype = tf.float64", "numpy"),
        Mistake("constant_dtype = tf.int32", "decimal point"),
    ],
)
def q3(constant_dtype):
    """What is the dtype of `tf.constant(3.0)`? Answer with a dtype such as `tf.int32`."""
    with tf.Graph().as_default():
        expected = tf.constant(3.0).dtype
    if constant_dtype == tf.float64:
        return "numpy would make 3.0 a float64, but TensorFlow stores Python floats as float32."
    if constant_dtype in (tf.int32, tf.int64):
        return "The decimal point in `3.0` makes it a float, not an integer."
    return differs(constant_dtype, expected, "the dtype")


@exercise(
    kind=CODE,
    answer="product_value",
    given="import tutorflow as tf",
    hints=[
        "Build the product in the graph first (`*` or `tf.multiply`), then compute it.",
        "`sess.run(tensor)` computes a tensor and gives back its value.",
        "Inside `with tf.Session() as sess:`, set `product_value = sess.run(...)` on the "
        "product of `tf.constant(6)` and `tf.constant(7)`.",
    ],
    solution="""
six_times_seven = tf.constant(6) * tf.constant(7)
with tf.Session() as sess:
    product_value = sess.run(six_times_seven)
""",
    why="Describe, then run: every program in this course has these two steps.",
    mistakes=[
        Mistake("product_value = tf.constant(6) * tf.constant(7)", "not its value"),
        Mistake(
            "with tf.Session() as sess:\n"
            "    product_value = sess.run(tf.constant(6) + tf.constant(7))",
            "13",
        ),
    ],
)
def q4(product_value):
    """Compute 6 × 7 with a graph and a session; put the number in `product_value`."""
    with tf.Graph().as_default(), tf.Session() as sess:
        expected = sess.run(tf.constant(6) * tf.constant(7))
    if isinstance(product_value, tf.Tensor):
        return (
            f"`product_value` is {product_value}: the tensor, not its value. Pass it to "
            "`sess.run` and keep what that returns."
        )
    if product_value == 13:
        return "13 is 6 + 7. Multiply with `*` or `tf.multiply`."
    return differs(product_value, expected, "product_value")
