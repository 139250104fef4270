"""Exercises of notebook 03, Placeholders and variables: feeds last one run, shapes with
`None`, variables must be initialised, and they change only when an assignment runs."""

import numpy as np

import tutorflow as tf

from ..kit import CODE, PREDICT, Mistake, as_shape, differs, exercise


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
        "Does a value fed in one run stay in the placeholder for the next run?",
        "A feed lasts for one run only. So in this run, what value does `b` have? Is an "
        "unfed placeholder zero?",
        "`b` has no value at all, and `c` needs it: the session refuses with an error. Its "
        "name ends in `Error`; it is one of `tf.errors`.",
    ],
    solution="missing_feed = 'InvalidArgumentError'",
    why="A placeholder holds a value only during the run that feeds it, so every run must "
    "feed every placeholder its fetches depend on; the error names the one you forgot.",
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
        return (
            "A feed lasts for one run only: `b` does not keep the value it had in the "
            "last run. In this run nothing feeds it."
        )
    if _equal(answer, 5):
        return (
            "5 is 3 + 2, with `b` as in the first feed, but a feed lasts for one run "
            "only. In this run nothing feeds `b`."
        )
    if _equal(answer, 3):
        return (
            "An unfed placeholder is not zero: it has no value at all, so `c` cannot be "
            "computed. The session says so with an error."
        )
    if answer == "ValueError":
        return (
            "A ValueError is what a fed value of the wrong shape gets. Here a value is "
            "missing altogether: that error is one of `tf.errors`."
        )
    if isinstance(answer, str):
        return (
            f"Expected the error {expected}, received {answer!r}. `tf.errors` has one "
            "for an argument that is missing or invalid."
        )
    return differs(answer, expected, "the outcome")


@exercise(
    kind=PREDICT,
    answer="row_sums_shape",
    hints=[
        "`axis=1` is the column axis: summing over it adds up the numbers of each row. How "
        "many values come out, and how many dimensions do they have?",
        "One sum per row, and the number of rows is not known yet. What happens to the axis "
        "that is summed over?",
        "The summed axis disappears; the unknown one stays unknown, shown as `?` and written "
        "`None`.",
    ],
    solution="row_sums_shape = (None,)",
    why="Shapes are worked out while the graph is built, so a shape mistake shows up on the "
    "line that makes it, long before any data flows; `None` travels along wherever the batch "
    "size goes.",
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
        return (
            "`(None)` is just `None`: Python needs a comma to make a tuple of one element, "
            "as in `(5,)`."
        )
    answer = as_shape(row_sums_shape)
    if not isinstance(answer, tuple):
        return (
            "Write the shape as a tuple, with None where the size is not known, for "
            "example `(None, 5)`."
        )
    if answer == expected:
        return None
    if answer == (None, 3):
        return (
            "`reduce_sum` adds numbers up along the axis you give it, and that axis "
            "disappears from the shape: `(None, 3)` would be `x`'s own shape."
        )
    if answer == by_column:
        return (
            "`(3,)` is one sum per column, the result of summing over axis 0, the rows. "
            "`axis=1` sums along each row: one sum per row, however many rows there are."
        )
    if answer == kept:
        return (
            "`(None, 1)` is what `keepdims=True` gives, keeping the summed axis with size "
            "1. Without it, the summed axis disappears."
        )
    if answer == ():
        return (
            "`()` is a single number: `tf.reduce_sum(x)` without an axis sums every "
            "number. With `axis=1` there is one sum per row."
        )
    return differs(answer, expected, "the static shape")


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
        "`tf.Variable(3)` builds nodes that *can* put 3 into the variable. Has anything run "
        "them yet in this new session?",
        "Nothing has: the variable's storage in this session is empty, and empty is not "
        "zero. Reading it fails.",
        "The error says a precondition of the read is not met. Its name is one of `tf.errors`.",
    ],
    solution="fresh_read = 'FailedPreconditionError'",
    why="Forgetting the initializer is the classic first error of every TensorFlow 1.x "
    "program; now you will recognise it at once.",
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
        return (
            "`tf.Variable(3)` only describes how to set the variable: its `Assign` "
            "operation has not run in this session, so the variable holds nothing yet."
        )
    if _equal(answer, 0):
        return (
            "A variable's storage is not zero before it is initialised: it is empty, and "
            "reading it is an error."
        )
    if answer == "InvalidArgumentError":
        return (
            "InvalidArgumentError is the error of an unfed placeholder. A variable is not "
            "fed; it is initialised, and reading it before that has an error of its own."
        )
    if isinstance(answer, str):
        return (
            f"Expected the error {expected}, received {answer!r}. The read's precondition, "
            "an initialised variable, is not met."
        )
    return differs(answer, expected, "the outcome")


@exercise(
    kind=PREDICT,
    answer="counter_value",
    hints=[
        "Go line by line and keep track of the counter's value in the session. What does "
        "running the initializer do to a variable that already has a value?",
        "The initializer runs the `Assign` of the initial value, whatever the variable holds. "
        "And what does the `counter.assign_add(10)` line do without a `sess.run`?",
        "Running the initializer puts 0 back; `counter.assign_add(10)` only builds an "
        "operation, and nothing runs it.",
    ],
    solution="counter_value = 1",
    why="Variables change only when an assignment runs, and re-running the initializer "
    "throws away everything learned: a model that forgets its training has usually met one "
    "of these two.",
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
        return (
            "Two things to look at again: running the initializer puts the initial value "
            "back, and `counter.assign_add(10)` only builds an operation that nothing runs."
        )
    if reset_missed:
        return (
            "The second `global_variables_initializer()` runs every variable's `Assign` "
            "again: it puts the initial value back, whatever the counter held."
        )
    if not_run_missed:
        return (
            "`counter.assign_add(10)` only builds an operation; it changes the counter "
            "when a run computes it, and nothing runs it here."
        )
    return differs(counter_value, expected, "the printed value")


@exercise(
    kind=CODE,
    answer="running_total",
    hints=[
        "Three nodes: `tf.placeholder(tf.float32)`, a `tf.Variable` for the total, and an "
        "operation that changes the variable.",
        "`total + x` only computes a sum; to change the variable, the operation must assign "
        "to it. Which method adds to a variable? And which dtype must `total` have to take a "
        "float32 `x`?",
        "`total = tf.Variable(0.0)` and `add_x = total.assign_add(x)`.",
    ],
    solution="""
def running_total():
    x = tf.placeholder(tf.float32)
    total = tf.Variable(0.0)
    add_x = total.assign_add(x)
    return x, total, add_x
""",
    why="A training step is this very pattern: data comes in through placeholders, and "
    "operations that assign to variables keep what was learned from one run to the next.",
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
            return (
                f"ValueError: {str(error).split(':')[0]}. `tf.Variable(0)` is an int32 "
                "variable, and an int32 cannot take a float32 `x`: start from `0.0`."
            )
        if not isinstance(total, tf.Variable):
            return (
                f"`total` is {total}, not a variable: only a `tf.Variable` keeps a value "
                "between runs and can be assigned to."
            )
        try:
            sess.run(tf.global_variables_initializer())
        except tf.errors.InvalidArgumentError:
            return (
                "The initializer asks for a feed: `total`'s initial value depends on the "
                "placeholder. A variable's initial value is computed once, by the "
                "initializer; start the total from `0.0`."
            )
        for value in feeds:
            sess.run(add_x, {x: value})
        received = sess.run(total)
    if np.isclose(received, 0.0):
        return (
            "After feeding 1, 2 and 3, `total` is still 0: `add_x` computes a sum but "
            "never stores it in the variable. An assignment does: "
            "`total.assign_add(x)`."
        )
    if np.isclose(received, feeds[-1]):
        return (
            f"After feeding 1, 2 and 3, `total` is {received}, the last value fed: "
            "`assign` replaces the value, `assign_add` adds to it."
        )
    return differs(received, expected, "the total after feeding 1, 2 and 3")
