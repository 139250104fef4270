"""Exercises of notebook 01, Start here: a graph describes values; a session computes them."""

import tutorflow as tf

from ..kit import CODE, PREDICT, Mistake, differs, exercise
from ..language import Text


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
        Text(
            "`print` shows the object you give it. What kind of object does `+` on two tensors "
            "return?",
            "`print` 显示的是你交给它的那个对象。两个张量相加（`+`），得到的是什么对象？",
        ),
        Text(
            "It is a Tensor. Its text form names the tensor (`op_name:index`), its shape and its "
            "dtype. What is the operation that `+` creates called?",
            "是一个 Tensor（张量）。它的文本形式给出张量的名字（`运算名:序号`）、形状和数据类型。"
            "`+` 创建的那个运算叫什么名字？",
        ),
        Text(
            "`+` creates an operation named `add`; its first output is `add:0`; `3` and `2` are "
            "int32 scalars, so the shape is `()`.",
            "`+` 创建一个名为 `add` 的运算，它的第一个输出是 `add:0`；`3` 和 `2` 都是 int32 "
            "标量，所以形状是 `()`。",
        ),
    ],
    solution="printed = 'Tensor(\"add:0\", shape=(), dtype=int32)'",
    why=Text(
        "Building a graph only describes a computation; nothing is computed until a session "
        "runs it.",
        "构建计算图只是描述一个计算；在会话运行它之前，什么都不会计算。",
    ),
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
        return Text(
            "5 is the value `total` will have, but no session has run it yet: `print` "
            "shows the tensor itself, a description of a value to be computed later.",
            "5 是 `total` 将来的值，但还没有哪个会话运行过它：`print` 显示的是张量本身，"
            "即对一个稍后才计算的值的描述。",
        )
    if "Add:0" in answer:
        return Text(
            "The `+` operator names its operation `add` (lower case); `tf.add` would name "
            "it after its type, `Add`.",
            "`+` 运算符把它的运算命名为 `add`（小写）；`tf.add` 才会按运算类型命名为 `Add`。",
        )
    if "int64" in answer or "float" in answer:
        return Text(
            "`tf.constant(3)` holds a Python int, which TensorFlow stores as int32 (not "
            "numpy's int64).",
            "`tf.constant(3)` 里是一个 Python 整数，TensorFlow 把它存为 int32（而不是 numpy "
            "的 int64）。",
        )
    return differs(answer, expected, Text("the printed line", "打印出的那一行"))


@exercise(
    kind=PREDICT,
    answer="n_operations",
    hints=[
        Text(
            "`tf.get_default_graph().get_operations()` lists what the graph holds. Which lines "
            "created an operation?",
            "`tf.get_default_graph().get_operations()` 列出计算图中的所有运算。哪几行代码创建了"
            "运算？",
        ),
        Text(
            "Each `tf.constant` is an operation, and so is the addition.",
            "每个 `tf.constant` 都是一个运算，加法也是。",
        ),
    ],
    solution="n_operations = 3",
    why=Text(
        "Every constant and every arithmetic step is a node of the graph; a session runs "
        "nodes, not lines of Python.",
        "每个常量、每一步算术都是计算图中的一个节点；会话运行的是节点，而不是一行行 Python 代码。",
    ),
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
        return Text(
            "You counted the two constants. The `+` adds a node too: an `Add` operation "
            "whose inputs are the constants' outputs.",
            "你数了两个常量。`+` 也会添加一个节点：一个 `Add` 运算，它的输入是两个常量的输出。",
        )
    if n_operations == 1:
        return Text(
            "The addition is one operation, but each `tf.constant` is an operation as well, "
            "with the constant's value as an attribute.",
            "加法是一个运算，但每个 `tf.constant` 也是运算，常量的值是它的一个属性。",
        )
    return differs(n_operations, expected, Text("the number of operations", "运算的个数"))


@exercise(
    kind=PREDICT,
    answer="constant_dtype",
    hints=[
        Text(
            "`3.0` has a decimal point. Which of tutorflow's float types does a Python float "
            "become?",
            "`3.0` 带小数点。Python 浮点数会变成 tutorflow 的哪种浮点类型？",
        ),
        Text(
            "TensorFlow's default float type is the 32-bit one, unlike numpy's.",
            "TensorFlow 默认的浮点类型是 32 位的，和 numpy 不同。",
        ),
    ],
    solution="constant_dtype = tf.float32",
    why=Text(
        "TensorFlow computes in float32 unless told otherwise: half the memory of numpy's "
        "float64, and precise enough for neural networks.",
        "除非另行指定，TensorFlow 用 float32 计算：内存只有 numpy 的 float64 的一半，"
        "而精度对神经网络已经足够。",
    ),
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
        return Text(
            "numpy would make 3.0 a float64, but TensorFlow stores Python floats as float32.",
            "numpy 会把 3.0 存成 float64，而 TensorFlow 把 Python 浮点数存成 float32。",
        )
    if constant_dtype in (tf.int32, tf.int64):
        return Text(
            "The decimal point in `3.0` makes it a float, not an integer.",
            "`3.0` 里的小数点让它成为浮点数，而不是整数。",
        )
    return differs(constant_dtype, expected, Text("the dtype", "数据类型"))


@exercise(
    kind=CODE,
    answer="product_value",
    given="import tutorflow as tf",
    hints=[
        Text(
            "Build the product in the graph first (`*` or `tf.multiply`), then compute it.",
            "先在计算图里构建乘积（用 `*` 或 `tf.multiply`），再计算它。",
        ),
        Text(
            "`sess.run(tensor)` computes a tensor and gives back its value.",
            "`sess.run(tensor)` 计算一个张量，并返回它的值。",
        ),
        Text(
            "Inside `with tf.Session() as sess:`, set `product_value = sess.run(...)` on the "
            "product of `tf.constant(6)` and `tf.constant(7)`.",
            "在 `with tf.Session() as sess:` 里，对 `tf.constant(6)` 与 `tf.constant(7)` 的"
            "乘积写 `product_value = sess.run(...)`。",
        ),
    ],
    solution="""
six_times_seven = tf.constant(6) * tf.constant(7)
with tf.Session() as sess:
    product_value = sess.run(six_times_seven)
""",
    why=Text(
        "Describe, then run: every program in this course has these two steps.",
        "先描述，再运行：本课程的每个程序都是这两步。",
    ),
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
        return Text(
            f"`product_value` is {product_value}: the tensor, not its value. Pass it to "
            "`sess.run` and keep what that returns.",
            f"`product_value` 是 {product_value}：这是张量，不是它的值。把它交给 `sess.run`，"
            "保存返回的结果。",
        )
    if product_value == 13:
        return Text(
            "13 is 6 + 7. Multiply with `*` or `tf.multiply`.",
            "13 是 6 + 7。乘法要用 `*` 或 `tf.multiply`。",
        )
    return differs(product_value, expected, "product_value")
