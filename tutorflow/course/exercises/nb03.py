"""Exercises of notebook 03, Placeholders and variables: feeds last one run, shapes with
`None`, variables must be initialised, and they change only when an assignment runs."""

import numpy as np

import tutorflow as tf

from ..kit import CODE, PREDICT, Mistake, as_shape, differs, exercise
from ..language import Text


def _outcome(compute):
    """What ``compute()`` gives back, or the name of the error it raises."""
    try:
        return compute()
    except tf.errors.OpError as error:
        return type(error).__name__
    except ValueError as error:
        return type(error).__name__


def _as_outcome(answer):
    """A learner's outcome: a value, or an error named by a string or by its class."""
    if isinstance(answer, type) and issubclass(answer, Exception):
        return answer.__name__
    if isinstance(answer, str):
        return answer.strip().strip("'\"").removeprefix("tf.errors.")
    return answer


def _equal(answer, value) -> bool:
    if isinstance(answer, str) or isinstance(value, str):
        return isinstance(answer, str) and isinstance(value, str) and answer == value
    try:
        return bool(np.array_equal(np.asarray(answer), np.asarray(value)))
    except (TypeError, ValueError):
        return False


@exercise(
    kind=PREDICT,
    answer="missing_feed",
    hints=[
        Text(
            "Does a value fed in one run stay in the placeholder for the next run?",
            "在一次运行中喂入的值，会留在占位符里供下一次运行使用吗？",
        ),
        Text(
            "A feed lasts for one run only. So in this run, what value does `b` have? Is an "
            "unfed placeholder zero?",
            "喂入的值只在那一次运行中有效。那么在这次运行里，`b` 的值是多少？"
            "没有喂入的占位符是 0 吗？",
        ),
        Text(
            "`b` has no value at all, and `c` needs it: the session refuses with an error. Its "
            "name ends in `Error`; it is one of `tf.errors`.",
            "`b` 根本没有值，而 `c` 需要它：会话会报错拒绝计算。这个错误的名字以 `Error` "
            "结尾，是 `tf.errors` 中的一个。",
        ),
    ],
    solution="missing_feed = 'InvalidArgumentError'",
    why=Text(
        "A placeholder holds a value only during the run that feeds it, so every run must "
        "feed every placeholder its fetches depend on; the error names the one you forgot.",
        "占位符只在喂入它的那次运行中持有值，所以每次运行都必须喂入所取张量依赖的每个占位符；"
        "错误信息会指出你漏掉的是哪一个。",
    ),
    mistakes=[
        Mistake("missing_feed = [7, 8, 9]", "one run only"),
        Mistake("missing_feed = 5", "the first feed"),
        Mistake("missing_feed = 3", "not zero"),
        Mistake("missing_feed = 'ValueError'", "wrong shape"),
    ],
)
def q1(missing_feed):
    """After the feeds above, what does `c.eval({a: 3})` give: a value, or which error?"""
    with tf.Graph().as_default(), tf.Session() as sess:
        a = tf.placeholder(tf.int32)
        b = tf.placeholder(tf.int32)
        c = a + b
        sess.run(c, {a: 3, b: 2})
        sess.run(c, {a: 10, b: 20})
        sess.run(c, {a: [1, 2, 3], b: [4, 5, 6]})
        expected = _outcome(lambda: sess.run(c, {a: 3}))
    answer = _as_outcome(missing_feed)
    if _equal(answer, expected):
        return None
    if _equal(answer, [7, 8, 9]) or _equal(answer, 23):
        return Text(
            "A feed lasts for one run only: `b` does not keep the value it had in the "
            "last run. In this run nothing feeds it.",
            "喂入的值只在一次运行中有效：`b` 不会保留它在上一次运行中的值。"
            "这次运行没有给它喂入任何值。",
        )
    if _equal(answer, 5):
        return Text(
            "5 is 3 + 2, with `b` as in the first feed, but a feed lasts for one run "
            "only. In this run nothing feeds `b`.",
            "5 是 3 + 2，即 `b` 取第一次喂入的值；但喂入的值只在一次运行中有效。"
            "这次运行没有给 `b` 喂入任何值。",
        )
    if _equal(answer, 3):
        return Text(
            "An unfed placeholder is not zero: it has no value at all, so `c` cannot be "
            "computed. The session says so with an error.",
            "没有喂入的占位符不是 0：它根本没有值，所以 `c` 无法计算。"
            "会话会用一个错误告诉你这一点。",
        )
    if answer == "ValueError":
        return Text(
            "A ValueError is what a fed value of the wrong shape gets. Here a value is "
            "missing altogether: that error is one of `tf.errors`.",
            "ValueError 是喂入的值形状不对时才会遇到的错误。这里是完全缺了一个值："
            "对应的错误在 `tf.errors` 里。",
        )
    if isinstance(answer, str):
        return Text(
            f"Expected the error {expected}, received {answer!r}. `tf.errors` has one "
            "for an argument that is missing or invalid.",
            f"应为错误 {expected}，你给出的是 {answer!r}。`tf.errors` 中有一个错误，"
            "专门对应缺失或无效的参数。",
        )
    return differs(answer, expected, Text("the outcome", "结果"))


@exercise(
    kind=PREDICT,
    answer="row_sums_shape",
    hints=[
        Text(
            "`axis=1` is the column axis: summing over it adds up the numbers of each row. How "
            "many values come out, and how many dimensions do they have?",
            "`axis=1` 是列所在的轴：沿它求和，就是把每一行的数加起来。结果有多少个值？有几个维度？",
        ),
        Text(
            "One sum per row, and the number of rows is not known yet. What happens to the axis "
            "that is summed over?",
            "每一行得到一个和，而行数现在还不知道。被求和的那个轴会怎样？",
        ),
        Text(
            "The summed axis disappears; the unknown one stays unknown, shown as `?` and written "
            "`None`.",
            "被求和的轴消失了；未知的那个轴仍然未知，显示为 `?`，写作 `None`。",
        ),
    ],
    solution="row_sums_shape = (None,)",
    why=Text(
        "Shapes are worked out while the graph is built, so a shape mistake shows up on the "
        "line that makes it, long before any data flows; `None` travels along wherever the batch "
        "size goes.",
        "形状在构建计算图时就推算出来了，所以形状错误会在写错的那一行立刻暴露，"
        "远在任何数据流过之前；批量大小走到哪里，`None` 就跟到哪里。",
    ),
    mistakes=[
        Mistake("row_sums_shape = (None, 3)", "disappears"),
        Mistake("row_sums_shape = (3,)", "over axis 0"),
        Mistake("row_sums_shape = (None, 1)", "keepdims"),
        Mistake("row_sums_shape = ()", "every number"),
        Mistake("row_sums_shape = (None)", "needs a comma"),
    ],
)
def q2(row_sums_shape):
    """What is the static shape of `tf.reduce_sum(x, axis=1)` for `x` of shape `(None, 3)`?"""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        expected = tuple(tf.reduce_sum(x, axis=1).shape.as_list())
        by_column = tuple(tf.reduce_sum(x, axis=0).shape.as_list())
        kept = tuple(tf.reduce_sum(x, axis=1, keepdims=True).shape.as_list())
    if row_sums_shape is None:
        return Text(
            "`(None)` is just `None`: Python needs a comma to make a tuple of one element, "
            "as in `(5,)`.",
            "`(None)` 就是 `None`：Python 需要一个逗号才能构成只有一个元素的元组，比如 `(5,)`。",
        )
    answer = as_shape(row_sums_shape)
    if not isinstance(answer, tuple):
        return Text(
            "Write the shape as a tuple, with None where the size is not known, for "
            "example `(None, 5)`.",
            "把形状写成元组，大小未知的地方写 None，例如 `(None, 5)`。",
        )
    if answer == expected:
        return None
    if answer == (None, 3):
        return Text(
            "`reduce_sum` adds numbers up along the axis you give it, and that axis "
            "disappears from the shape: `(None, 3)` would be `x`'s own shape.",
            "`reduce_sum` 沿你指定的轴把数加起来，这个轴随之从形状中消失：`(None, 3)` "
            "是 `x` 自己的形状。",
        )
    if answer == by_column:
        return Text(
            "`(3,)` is one sum per column, the result of summing over axis 0, the rows. "
            "`axis=1` sums along each row: one sum per row, however many rows there are.",
            "`(3,)` 是每列一个和，即沿轴 0（跨行）求和的结果。`axis=1` 是沿每一行求和："
            "有多少行，就有多少个和。",
        )
    if answer == kept:
        return Text(
            "`(None, 1)` is what `keepdims=True` gives, keeping the summed axis with size "
            "1. Without it, the summed axis disappears.",
            "`(None, 1)` 是加上 `keepdims=True` 的结果：被求和的轴保留下来，大小为 1。"
            "不加它，被求和的轴就会消失。",
        )
    if answer == ():
        return Text(
            "`()` is a single number: `tf.reduce_sum(x)` without an axis sums every "
            "number. With `axis=1` there is one sum per row.",
            "`()` 是单个数：不指定轴的 `tf.reduce_sum(x)` 会把所有数加在一起。"
            "指定 `axis=1` 时，每一行得到一个和。",
        )
    return differs(answer, expected, Text("the static shape", "静态形状"))


_TWO_VARIABLES = """
a = tf.Variable(3)
b = tf.Variable(2)
c = a + b
"""


@exercise(
    kind=PREDICT,
    answer="fresh_read",
    given=_TWO_VARIABLES,
    hints=[
        Text(
            "`tf.Variable(3)` builds nodes that *can* put 3 into the variable. Has anything run "
            "them yet in this new session?",
            "`tf.Variable(3)` 构建的节点*能够*把 3 放进变量。在这个新会话里，有什么运行过"
            "这些节点吗？",
        ),
        Text(
            "Nothing has: the variable's storage in this session is empty, and empty is not "
            "zero. Reading it fails.",
            "没有：这个变量在本会话中的存储是空的，而空并不等于 0。读取它会失败。",
        ),
        Text(
            "The error says a precondition of the read is not met. Its name is one of `tf.errors`.",
            "错误信息说，读取的前提条件没有满足。它的名字在 `tf.errors` 里。",
        ),
    ],
    solution="fresh_read = 'FailedPreconditionError'",
    why=Text(
        "Forgetting the initializer is the classic first error of every TensorFlow 1.x "
        "program; now you will recognise it at once.",
        "忘记运行初始化器，是每个 TensorFlow 1.x 程序最经典的第一个错误；现在你一眼就能认出它了。",
    ),
    mistakes=[
        Mistake("fresh_read = 5", "only describes"),
        Mistake("fresh_read = 0", "not zero"),
        Mistake("fresh_read = 'InvalidArgumentError'", "placeholder"),
    ],
)
def q3(fresh_read):
    """In a new session, before any initializer, what does `c.eval()` give?"""
    with tf.Graph().as_default(), tf.Session() as sess:
        c = tf.Variable(3) + tf.Variable(2)
        expected = _outcome(lambda: sess.run(c))
    answer = _as_outcome(fresh_read)
    if _equal(answer, expected):
        return None
    if _equal(answer, 5):
        return Text(
            "`tf.Variable(3)` only describes how to set the variable: its `Assign` "
            "operation has not run in this session, so the variable holds nothing yet.",
            "`tf.Variable(3)` 只是描述了如何给变量赋值：它的 `Assign` 运算在这个会话里还没有运行，"
            "所以变量里还什么都没有。",
        )
    if _equal(answer, 0):
        return Text(
            "A variable's storage is not zero before it is initialised: it is empty, and "
            "reading it is an error.",
            "变量在初始化之前，它的存储不是 0，而是空的；读取它会出错。",
        )
    if answer == "InvalidArgumentError":
        return Text(
            "InvalidArgumentError is the error of an unfed placeholder. A variable is not "
            "fed; it is initialised, and reading it before that has an error of its own.",
            "InvalidArgumentError 是占位符没有喂入值时的错误。变量不是靠喂入，而是靠初始化；"
            "在初始化之前读取它，另有专门的错误。",
        )
    if isinstance(answer, str):
        return Text(
            f"Expected the error {expected}, received {answer!r}. The read's precondition, "
            "an initialised variable, is not met.",
            f"应为错误 {expected}，你给出的是 {answer!r}。读取的前提条件"
            "（变量已经初始化）没有满足。",
        )
    return differs(answer, expected, Text("the outcome", "结果"))


@exercise(
    kind=PREDICT,
    answer="counter_value",
    hints=[
        Text(
            "Go line by line and keep track of the counter's value in the session. What does "
            "running the initializer do to a variable that already has a value?",
            "逐行往下读，记下计数器在会话中的值。对一个已经有值的变量运行初始化器，会发生什么？",
        ),
        Text(
            "The initializer runs the `Assign` of the initial value, whatever the variable "
            "holds. And what does the `counter.assign_add(10)` line do without a `sess.run`?",
            "不管变量里现在是什么，初始化器都会运行把初始值赋给它的 `Assign`。"
            "还有，没有 `sess.run` 的 `counter.assign_add(10)` 这一行做了什么？",
        ),
        Text(
            "Running the initializer puts 0 back; `counter.assign_add(10)` only builds an "
            "operation, and nothing runs it.",
            "运行初始化器会把值重新设回 0；`counter.assign_add(10)` 只是构建了一个运算，"
            "没有任何东西运行它。",
        ),
    ],
    solution="counter_value = 1",
    why=Text(
        "Variables change only when an assignment runs, and re-running the initializer "
        "throws away everything learned: a model that forgets its training has usually met one "
        "of these two.",
        "变量只在赋值运算运行时才会改变，而重新运行初始化器会丢掉学到的一切："
        "一个“忘了”自己训练成果的模型，通常就是栽在这两点之一上。",
    ),
    mistakes=[
        Mistake("counter_value = 4", "puts the initial value back"),
        Mistake("counter_value = 11", "only builds an operation"),
        Mistake("counter_value = 14", "Two things"),
    ],
)
def q4(counter_value):
    """What does the program below print?"""
    with tf.Graph().as_default(), tf.Session() as sess:
        counter = tf.Variable(0, name="counter")
        increment = counter.assign_add(1)
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(increment)
        sess.run(tf.global_variables_initializer())
        sess.run(increment)
        counter.assign_add(10)
        expected = sess.run(counter)
    if counter_value == expected:
        return None
    reset_missed = counter_value in (expected + 3, expected + 13)
    not_run_missed = counter_value in (expected + 10, expected + 13)
    if reset_missed and not_run_missed:
        return Text(
            "Two things to look at again: running the initializer puts the initial value "
            "back, and `counter.assign_add(10)` only builds an operation that nothing runs.",
            "有两点需要再看一看：运行初始化器会把初始值重新赋回去；而 `counter.assign_add(10)` "
            "只是构建了一个运算，没有任何东西运行它。",
        )
    if reset_missed:
        return Text(
            "The second `global_variables_initializer()` runs every variable's `Assign` "
            "again: it puts the initial value back, whatever the counter held.",
            "第二次 `global_variables_initializer()` 会再次运行每个变量的 `Assign`："
            "不管计数器里是多少，都会被重新设回初始值。",
        )
    if not_run_missed:
        return Text(
            "`counter.assign_add(10)` only builds an operation; it changes the counter "
            "when a run computes it, and nothing runs it here.",
            "`counter.assign_add(10)` 只是构建了一个运算；只有在某次运行计算它时，"
            "计数器才会改变，而这里没有任何东西运行它。",
        )
    return differs(counter_value, expected, Text("the printed value", "打印出的值"))


@exercise(
    kind=CODE,
    answer="running_total",
    hints=[
        Text(
            "Three nodes: `tf.placeholder(tf.float32)`, a `tf.Variable` for the total, and an "
            "operation that changes the variable.",
            "三个节点：`tf.placeholder(tf.float32)`、一个存放累计和的 `tf.Variable`，"
            "以及一个改变该变量的运算。",
        ),
        Text(
            "`total + x` only computes a sum; to change the variable, the operation must assign "
            "to it. Which method adds to a variable? And which dtype must `total` have to take a "
            "float32 `x`?",
            "`total + x` 只是算出一个和；要改变变量，这个运算必须给它赋值。哪个方法能把值"
            "加到变量上？另外，`total` 必须是什么数据类型，才能接受 float32 的 `x`？",
        ),
        Text(
            "`total = tf.Variable(0.0)` and `add_x = total.assign_add(x)`.",
            "`total = tf.Variable(0.0)`，再加上 `add_x = total.assign_add(x)`。",
        ),
    ],
    solution="""
def running_total():
    x = tf.placeholder(tf.float32)
    total = tf.Variable(0.0)
    add_x = total.assign_add(x)
    return x, total, add_x
""",
    why=Text(
        "A training step is this very pattern: data comes in through placeholders, and "
        "operations that assign to variables keep what was learned from one run to the next.",
        "训练的每一步正是这个模式：数据通过占位符进来，给变量赋值的运算把学到的东西"
        "从一次运行保留到下一次。",
    ),
    mistakes=[
        Mistake(
            "def running_total():\n"
            "    x = tf.placeholder(tf.float32)\n"
            "    total = tf.Variable(0.0)\n"
            "    return x, total, total + x",
            "never stores",
        ),
        Mistake(
            "def running_total():\n"
            "    x = tf.placeholder(tf.float32)\n"
            "    total = tf.Variable(0.0)\n"
            "    return x, total, total.assign(x)",
            "replaces",
        ),
        Mistake(
            "def running_total():\n"
            "    x = tf.placeholder(tf.float32)\n"
            "    total = tf.Variable(0)\n"
            "    return x, total, total.assign_add(x)",
            "int32",
        ),
        Mistake(
            "def running_total():\n"
            "    x = tf.placeholder(tf.float32)\n"
            "    total = tf.constant(0.0)\n"
            "    return x, total, tf.assign(total, total + x)",
            "a `tf.Variable`",
        ),
        Mistake(
            "def running_total():\n"
            "    x = tf.placeholder(tf.float32)\n"
            "    total = tf.Variable(x)\n"
            "    return x, total, total.assign_add(x)",
            "initial value",
        ),
    ],
)
def q5(running_total):
    """Write `running_total()`: a placeholder `x`, a variable `total` from 0, an op adding x."""
    feeds = (1.0, 2.0, 3.0)
    with tf.Graph().as_default(), tf.Session() as sess:  # the expected total, built live
        x = tf.placeholder(tf.float32)
        total = tf.Variable(0.0)
        add_x = total.assign_add(x)
        sess.run(total.initializer)
        for value in feeds:
            sess.run(add_x, {x: value})
        expected = sess.run(total)
    with tf.Graph().as_default(), tf.Session() as sess:
        try:
            x, total, add_x = running_total()
        except ValueError as error:
            if "requested dtype" not in str(error):
                raise
            first = str(error).split(":")[0]
            return Text(
                f"ValueError: {first}. `tf.Variable(0)` is an int32 "
                "variable, and an int32 cannot take a float32 `x`: start from `0.0`.",
                f"ValueError: {first}。`tf.Variable(0)` 是 int32 变量，"
                "而 int32 无法接受 float32 的 `x`：请从 `0.0` 开始。",
            )
        if not isinstance(total, tf.Variable):
            return Text(
                f"`total` is {total}, not a variable: only a `tf.Variable` keeps a value "
                "between runs and can be assigned to.",
                f"`total` 是 {total}，不是变量：只有 `tf.Variable` 能在多次运行之间保留值，"
                "也只有它能被赋值。",
            )
        try:
            sess.run(tf.global_variables_initializer())
        except tf.errors.InvalidArgumentError:
            return Text(
                "The initializer asks for a feed: `total`'s initial value depends on the "
                "placeholder. A variable's initial value is computed once, by the "
                "initializer; start the total from `0.0`.",
                "初始化器要求喂入值：`total` 的初始值依赖于占位符。变量的初始值只由初始化器"
                "计算一次；请让累计和从 `0.0` 开始。",
            )
        for value in feeds:
            sess.run(add_x, {x: value})
        received = sess.run(total)
    if np.isclose(received, 0.0):
        return Text(
            "After feeding 1, 2 and 3, `total` is still 0: `add_x` computes a sum but "
            "never stores it in the variable. An assignment does: "
            "`total.assign_add(x)`.",
            "喂入 1、2、3 之后，`total` 仍然是 0：`add_x` 算出了和，却从没把它存进变量。"
            "赋值运算才会存：`total.assign_add(x)`。",
        )
    if np.isclose(received, feeds[-1]):
        return Text(
            f"After feeding 1, 2 and 3, `total` is {received}, the last value fed: "
            "`assign` replaces the value, `assign_add` adds to it.",
            f"喂入 1、2、3 之后，`total` 是 {received}，即最后喂入的那个值：`assign` 替换原值，"
            "`assign_add` 才是在原值上累加。",
        )
    return differs(
        received, expected, Text("the total after feeding 1, 2 and 3", "喂入 1、2、3 之后的累计和")
    )
