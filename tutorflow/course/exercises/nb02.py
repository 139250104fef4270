"""Exercises of notebook 02, Graphs and sessions: names in a graph, what a run gives back, and
what it computes."""

import numpy as np

import tutorflow as tf

from ...client import ops_to_run
from ..kit import CODE, PREDICT, Mistake, differs, exercise
from ..language import Text

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
        Text(
            "The `+` made an operation named `add`. Does `tf.add` name its operation the same way?",
            "`+` 创建了一个名为 `add` 的运算。`tf.add` 给它的运算起名，也是这样吗？",
        ),
        Text(
            "`tf.add` names its operation after its type, `Add`. Can a graph hold two operations "
            "whose names differ only in case?",
            "`tf.add` 按运算的类型给它命名，即 `Add`。一个计算图里，能有两个名字只差大小写的"
            "运算吗？",
        ),
        Text(
            "Names are compared without regard to case, so `Add` clashes with `add` and gets the "
            "suffix `_1`. A tensor's name is `op_name:index`.",
            "比较名字时不区分大小写，所以 `Add` 与 `add` 冲突，要加上后缀 `_1`。张量的名字是 "
            "`运算名:序号`。",
        ),
    ],
    solution="d_name = 'Add_1:0'",
    why=Text(
        "Every operation in a graph has its own name; when you read an error message or a "
        "graph picture, names like `Add_1` tell you which node it means.",
        "计算图里的每个运算都有自己的名字；读错误信息或看计算图的图示时，`Add_1` 这样的名字"
        "告诉你说的是哪个节点。",
    ),
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
        return Text(
            "Only the `+` operator names its operation `add`; `tf.add` names it after its "
            "type, `Add`, with a capital A.",
            "只有 `+` 运算符把它的运算命名为 `add`；`tf.add` 按运算类型命名，是首字母大写的 "
            "`Add`。",
        )
    if answer == "Add:0":
        return Text(
            "`add` is taken already, by the `+` of `c`, and names are compared without "
            "regard to case: `Add` clashes with it and gets a suffix.",
            "`add` 这个名字已经被 `c` 的 `+` 占用了，而比较名字时不区分大小写：`Add` 与它冲突，"
            "于是要加一个后缀。",
        )
    if answer == op_name:
        return Text(
            f"`{op_name}` is the operation's name. A tensor is one output of an "
            "operation, so its name adds the output's index: `:0` for the first.",
            f"`{op_name}` 是运算的名字。张量是运算的一个输出，所以它的名字还要加上输出的序号："
            "第一个输出是 `:0`。",
        )
    if answer == "add:0":
        return Text(
            "`add:0` is already the name of `c`. Each operation in a graph gets a name of "
            "its own, and `tf.add` names its operation after its type, `Add`.",
            "`add:0` 已经是 `c` 的名字了。计算图里每个运算都有自己独有的名字，而 `tf.add` "
            "按运算类型命名，即 `Add`。",
        )
    return differs(answer, expected, Text("the name of `d`", "`d` 的名字"))


@exercise(
    kind=PREDICT,
    answer="quotient_dtype",
    given=_SUM_GRAPH,
    hints=[
        Text(
            "In Python 3, `3 / 2` is 1.5, not 1. Does TensorFlow's `/` divide the same way?",
            "在 Python 3 中，`3 / 2` 等于 1.5，而不是 1。TensorFlow 的 `/` 也是这样除的吗？",
        ),
        Text(
            "`/` is true division: the result is a float even for two ints. Which float type "
            "keeps every int32 exactly?",
            "`/` 是真除法：即使两个数都是整数，结果也是浮点数。哪种浮点类型能精确表示"
            "每一个 int32？",
        ),
        Text(
            "float32 has only 24 bits of precision, fewer than an int32's 31. TensorFlow turns "
            "int32s into the wider float type before dividing.",
            "float32 只有 24 位精度，比 int32 的 31 位少。所以 TensorFlow 在做除法之前，"
            "先把 int32 转成更宽的那种浮点类型。",
        ),
    ],
    solution="quotient_dtype = tf.float64",
    why=Text(
        "Mixing a float64 tensor with float32 weights is a TypeError later on, so it pays to "
        "know where float64 comes from: `/` on integers.",
        "把 float64 张量和 float32 权重放在一起运算，之后会引发 TypeError，所以值得弄清 "
        "float64 从哪里来：整数上的 `/`。",
    ),
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
        return Text(
            "`/` is true division, as in Python 3: 3 / 2 is 1.5, so the result is a float. "
            "(`//`, `tf.floordiv`, is the division that keeps integers.)",
            "`/` 是真除法，和 Python 3 一样：3 / 2 等于 1.5，所以结果是浮点数。"
            "（保留整数的除法是 `//`，即 `tf.floordiv`。）",
        )
    if quotient_dtype == tf.float32:
        return Text(
            "float32 is TensorFlow's usual float, but it has only 24 bits of precision: "
            "not every int32 fits. So `/` turns int32s into float64 before dividing.",
            "float32 是 TensorFlow 常用的浮点类型，但它只有 24 位精度，并非每个 int32 都能"
            "精确表示。所以 `/` 在做除法之前，先把 int32 转成 float64。",
        )
    return differs(quotient_dtype, expected, Text("the dtype", "数据类型"))


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
        Text(
            "`run` gives back what you gave it, with every tensor replaced by its value.",
            "`run` 返回的就是你交给它的东西，只是其中每个张量都换成了它的值。",
        ),
        Text(
            "A dict in gives a dict out, with the same keys; a tuple inside it stays a tuple.",
            "传入一个 dict，返回的也是 dict，键不变；其中的元组仍是元组。",
        ),
        Text(
            "Write the dict with Python numbers in place of the tensors: `c` is 5, `a` is 3, "
            "`b` is 2.",
            "把这个 dict 写出来，用 Python 数字代替张量：`c` 是 5，`a` 是 3，`b` 是 2。",
        ),
    ],
    solution="fetched = {'sum': 5, 'inputs': (3, 2)}",
    why=Text(
        "Fetching a structure lets one run compute everything you need, and unpacking it "
        "reads like the fetch itself: `_, loss_value = sess.run([train_step, loss])`.",
        "取回一个结构，一次运行就能算出你需要的全部值；拆包的写法和取回的结构一一对应："
        "`_, loss_value = sess.run([train_step, loss])`。",
    ),
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
        return Text(
            "Your answer still holds tensors. `run` replaces every tensor of the structure "
            "by its value, a number here.",
            "你的答案里还有张量。`run` 会把结构中的每个张量都换成它的值，在这里就是一个数。",
        )
    if not isinstance(fetched, dict):
        return Text(
            "You gave `run` a dict, so a dict comes back, with the same keys, `'sum'` and "
            "`'inputs'`; only the tensors in it become values.",
            "你交给 `run` 的是一个 dict，所以返回的也是 dict，键不变，仍是 `'sum'` 和 "
            "`'inputs'`；只有其中的张量变成了值。",
        )
    if isinstance(fetched.get("inputs"), list):
        return Text(
            "`(a, b)` is a tuple, and `run` keeps the structure exactly: a tuple stays a "
            "tuple, a list stays a list.",
            "`(a, b)` 是元组，而 `run` 会原样保留结构：元组仍是元组，列表仍是列表。",
        )
    shown = {
        key: (tuple(int(v) for v in value) if isinstance(value, tuple) else int(value))
        for key, value in expected.items()
    }
    return Text(
        f"Expected {shown!r}, received {fetched!r}.", f"应为 {shown!r}，你给出的是 {fetched!r}。"
    )


_TRIANGLES = ((3.0, 4.0), ([5.0, 8.0], [12.0, 15.0]))


@exercise(
    kind=CODE,
    answer="hypotenuse",
    hints=[
        Text(
            "The function gets two tensors and gives back a tensor: it only builds. Who runs "
            "it, and when, is up to the caller.",
            "这个函数接收两个张量，返回一个张量：它只负责构建。由谁运行、何时运行，由调用者决定。",
        ),
        Text(
            "Python's `math.sqrt` and `np.sqrt` need numbers, which a tensor is not yet. "
            "tutorflow has `tf.sqrt` and `tf.square`, which add nodes to the graph.",
            "Python 的 `math.sqrt` 和 `np.sqrt` 需要的是数，而张量此时还不是数。tutorflow "
            "提供了 `tf.sqrt` 和 `tf.square`，它们会往计算图里添加节点。",
        ),
        Text(
            "`return tf.sqrt(a * a + b * b)`, or the same with `tf.square(a) + tf.square(b)`.",
            "`return tf.sqrt(a * a + b * b)`，或者用 `tf.square(a) + tf.square(b)` 写同一个式子。",
        ),
    ],
    solution="""
def hypotenuse(a, b):
    return tf.sqrt(tf.square(a) + tf.square(b))
""",
    why=Text(
        "A model is written exactly like this: a Python function that takes tensors and "
        "builds the graph piece that computes its output.",
        "模型正是这样写的：一个 Python 函数，接收张量，构建出计算其输出的那一部分计算图。",
    ),
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
                return Text(
                    f"TypeError: {error}. `math.sqrt` and `np.sqrt` work on numbers, and a "
                    "tensor is not a number yet: use `tf.sqrt` (and `tf.square`), which "
                    "add nodes to the graph.",
                    f"TypeError: {error}。`math.sqrt` 和 `np.sqrt` 处理的是数，而张量此时"
                    "还不是数：请用 `tf.sqrt`（以及 `tf.square`），它们会往计算图里添加节点。",
                )
            if not isinstance(built, tf.Tensor):
                return Text(
                    f"`hypotenuse` returned {built}, a value instead of a tensor: it "
                    "ran a session. The function should only build the graph piece and "
                    "return its tensor; whoever calls it decides when to run it.",
                    f"`hypotenuse` 返回了 {built}，这是一个值而不是张量：它运行了会话。"
                    "这个函数只应构建这部分计算图并返回其张量；何时运行，由调用它的人决定。",
                )
            value = sess.run(built)
        if np.allclose(value, np.square(expected)):
            return Text(
                f"For sides {sides[0]} and {sides[1]} your tensor computes {value}, "
                "the sum of the squares: the square root (`tf.sqrt`) is missing.",
                f"直角边为 {sides[0]} 和 {sides[1]} 时，你的张量算出的是 {value}，"
                "即两边的平方和：少了平方根（`tf.sqrt`）。",
            )
        wrong = differs(
            value,
            expected,
            Text(
                f"the hypotenuse of sides {sides[0]} and {sides[1]}",
                f"直角边为 {sides[0]} 和 {sides[1]} 的斜边",
            ),
        )
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
        Text(
            "Start from the fetched operations and follow their inputs backwards. What do "
            "`total` and `product` need?",
            "从要取回的运算出发，沿着它们的输入往回找。`total` 和 `product` 需要什么？",
        ),
        Text(
            "Both need `a` and `b`. Does the run compute `a` twice? And does anything fetched "
            "need `result`?",
            "两者都需要 `a` 和 `b`。这次运行会把 `a` 计算两次吗？取回的东西里，"
            "有哪个需要 `result` 吗？",
        ),
        Text(
            "The fetches themselves, plus their inputs counted once each; `result` is skipped.",
            "取回的运算本身，加上它们的输入（每个只算一次）；`result` 被跳过。",
        ),
    ],
    solution="n_computed = 4",
    why=Text(
        "A run computes only what its fetches need, each operation once: that is why "
        "fetching an accuracy never takes a training step, and a training step never computes "
        "the accuracy.",
        "一次运行只计算取回的值所需要的运算，每个运算只算一次：所以取回准确率时不会执行"
        "训练的一步，执行训练的一步时也不会计算准确率。",
    ),
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
        return Text(
            "`result` depends on `total` and `product`, but nothing you fetched depends on "
            "`result`: the run skips `result`.",
            "`result` 依赖 `total` 和 `product`，但你取回的东西都不依赖 `result`："
            "这次运行会跳过 `result`。",
        )
    if n_computed == expected + 2:
        return Text(
            "`a` and `b` feed both `total` and `product`, but a run computes each "
            "operation once per run and hands its value to everyone that needs it.",
            "`a` 和 `b` 同时是 `total` 和 `product` 的输入，但每次运行中每个运算只计算一次，"
            "再把它的值交给所有需要它的运算。",
        )
    if n_computed == 2:
        return Text(
            "`total` and `product` cannot be computed without their inputs: the run "
            "computes `a` and `b` too.",
            "没有输入，就算不出 `total` 和 `product`：这次运行也会计算 `a` 和 `b`。",
        )
    return differs(n_computed, expected, Text("the number of operations", "运算的个数"))
