"""Exercises of notebook 12, Inside Session.run: which ops a fetch needs, when the plan drops a
value, what a missing feed does, the feed that skips LeNet-5's first layer, and where a traced
step's time goes."""

import numpy as np

import tutorflow as tf
from tutorflow.client import ops_to_run
from tutorflow.course import models

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise

TINY_GRAPH = """
x = tf.placeholder(tf.float32, [None, 3], name="x")
W = tf.Variable(tf.ones([3, 2]), name="W")
b = tf.Variable(tf.zeros([2]), name="b")
y = tf.matmul(x, W) + b
relu = tf.nn.relu(y)
doubled = tf.constant(5.0, name="five") * 2
"""


def _tiny_graph():
    """The notebook's small graph (``TINY_GRAPH``), built afresh: its graph and tensors."""
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        W = tf.Variable(tf.ones([3, 2]), name="W")
        b = tf.Variable(tf.zeros([2]), name="b")
        relu = tf.nn.relu(tf.matmul(x, W) + b)
        tf.constant(5.0, name="five") * 2
    return graph, {"x": x, "W": W, "b": b, "relu": relu}


def _names(answer) -> set:
    """Op or tensor names given as strings, ops or tensors, in any collection."""
    return {getattr(item, "name", item) for item in answer}


@exercise(
    kind=PREDICT,
    answer="ops_run",
    given=TINY_GRAPH,
    hints=[
        "Start at `Relu` and walk backwards along the inputs. Where does the walk stop?",
        (
            "It stops at a tensor given in `feed_dict`: `x:0` comes from the feed, so the "
            "`x` op is not run. Each variable is read through its own op, `W/read`."
        ),
        "Seven ops: the two variables, their two reads, and the three ops that compute.",
    ],
    solution='ops_run = {"W", "W/read", "b", "b/read", "MatMul", "add", "Relu"}',
    why="A session runs the part of the graph that the fetches need and nothing else; the "
    "rest of the graph costs nothing, however large it is.",
    mistakes=[
        Mistake(
            'ops_run = {"x", "W", "W/read", "b", "b/read", "MatMul", "add", "Relu"}',
            "its value comes from `feed_dict`",
        ),
        Mistake(
            'ops_run = {"ones", "W/Assign", "W", "W/read", "zeros", "b/Assign", "b", '
            '"b/read", "MatMul", "add", "Relu"}',
            "what the initializer runs",
        ),
        Mistake(
            'ops_run = {"W", "W/read", "b", "b/read", "MatMul", "add", "Relu", "five", '
            '"mul/y", "mul"}',
            "nothing that `relu` depends on",
        ),
        Mistake('ops_run = {"W/read", "b/read", "MatMul", "add", "Relu"}', "`VariableV2` op"),
    ],
)
def q1(ops_run):
    """Which ops does `sess.run(relu, feed_dict={x: ...})` run? Give a set of op names."""
    _, tensors = _tiny_graph()
    expected = {op.name for op in ops_to_run(tensors["relu"], [tensors["x"]])}
    got = _names(ops_run)
    if got == expected:
        return None
    if "x" in got:
        return (
            "`x` is fed: its value comes from `feed_dict`, so the walk stops at `x:0` and "
            "the placeholder op `x` is never run."
        )
    if got & {"ones", "zeros", "W/Assign", "b/Assign"}:
        return (
            "`ones`, `zeros` and the `Assign` ops are what the initializer runs. `relu` reads "
            "the variables' current values through `W/read` and `b/read`, not their initial "
            "values."
        )
    if got & {"five", "mul/y", "mul"}:
        return (
            "`doubled` and its constants are in the graph, but nothing that `relu` depends on "
            "reads them, so they are not run."
        )
    if expected - got == {"W", "b"}:
        return (
            "`W/read` reads the variable, and its input is the output of the `VariableV2` op "
            "`W` (which hands out the session's storage); `W` and `b` run too."
        )
    if got < expected:
        return (
            f"Some ops are missing: {', '.join(sorted(expected - got))}. Walk back from `Relu` "
            "through every input, until you reach a fed tensor or an op with no inputs."
        )
    return differs(sorted(got), sorted(expected), "the ops run")


def _dropped_after(order, kept) -> dict:
    """For each op of ``order``, the tensors it reads or makes last, other than ``kept``."""
    last_reader = {}
    for op in order:
        for tensor in [*op.inputs, *op.outputs]:
            last_reader[tensor] = op
    dropped = {op: set() for op in order}
    for tensor, op in last_reader.items():
        if tensor not in kept:
            dropped[op].add(tensor.name)
    return dropped


@exercise(
    kind=PREDICT,
    answer="dropped_after_add",
    given=TINY_GRAPH,
    hints=[
        "A value is dropped right after its last reader runs. Which values does `add` read?",
        (
            "`add` reads `MatMul:0` and `b/read:0`. Does any op after `add` read either of them? "
            "And are any of them fed or fetched?"
        ),
        "`Relu` reads only `add:0`, so both of `add`'s inputs die at `add`.",
    ],
    solution='dropped_after_add = {"MatMul:0", "b/read:0"}',
    why="Dropping each value after its last reader keeps a step's peak memory near the "
    "largest few values, not the sum of all of them.",
    mistakes=[
        Mistake('dropped_after_add = {"MatMul:0", "b/read:0", "x:0"}', "belongs to the caller"),
        Mistake('dropped_after_add = {"add:0"}', "still has a reader"),
        Mistake('dropped_after_add = {"MatMul:0"}', "last reader is `add` too"),
        Mistake(
            'dropped_after_add = {"MatMul:0", "b/read:0", "W/read:0"}', "dropped right after MatMul"
        ),
    ],
)
def q2(dropped_after_add):
    """Running `relu` with `x` fed: which values does the plan drop right after `add` runs?"""
    graph, tensors = _tiny_graph()
    relu, x = tensors["relu"], tensors["x"]
    order = ops_to_run(relu, [x])
    expected = _dropped_after(order, kept={relu, x})[graph.get_operation_by_name("add")]
    got = _names(dropped_after_add)
    if got == expected:
        return None
    if "x:0" in got:
        return (
            "`x:0` is fed: its value belongs to the caller and is kept for the whole run, "
            "however early its last reader runs."
        )
    if "add:0" in got:
        return "`add:0` is what `add` just made, and it still has a reader: `Relu` runs next."
    if "W/read:0" in got:
        return (
            "`W/read:0`'s last reader is `MatMul`, so it was dropped right after MatMul, "
            "before `add` ran."
        )
    if got and got < expected:
        missing = ", ".join(sorted(expected - got))
        return f"Also {missing}: its last reader is `add` too."
    return differs(sorted(got), sorted(expected), "the values dropped")


COUNTER = """
counter = tf.Variable(0, name="counter")
bump = tf.assign_add(counter, 1)
"""


def _missing_feed_run():
    """Runs ``[bump, relu]`` without feeding x; returns the error's name and the counter."""
    graph, tensors = _tiny_graph()
    with graph.as_default(), tf.Session() as sess:
        counter = tf.Variable(0, name="counter")
        bump = tf.assign_add(counter, 1)
        sess.run(tf.global_variables_initializer())
        try:
            sess.run([bump, tensors["relu"]])
            raised = None
        except tf.errors.OpError as error:
            raised = type(error).__name__
        return raised, sess.run(counter)


@exercise(
    kind=PREDICT,
    answer=("error_name", "counter_after"),
    given=TINY_GRAPH + COUNTER,
    hints=[
        (
            "Which error class does TensorFlow use for a value that is wrong or missing in a "
            "run's arguments?"
        ),
        "The error is InvalidArgumentError. Now: is it raised while the ops run, or before?",
        "The plan is checked when it is built, before any kernel is called.",
    ],
    solution='error_name = "InvalidArgumentError"\ncounter_after = 0',
    why="A run that cannot finish should not half-happen: checking the feeds before any kernel "
    "runs means a failed step changed no variable.",
    mistakes=[
        Mistake('error_name = "InvalidArgumentError"\ncounter_after = 1', "before any kernel"),
        Mistake('error_name = "FailedPreconditionError"\ncounter_after = 0', "uninitialised"),
        Mistake('error_name = "KeyError"\ncounter_after = 0', "an `OpError`"),
    ],
)
def q3(error_name, counter_after):
    """`sess.run([bump, relu])` without a feed for `x`: which error, and what is `counter` then?"""
    expected_error, expected_counter = _missing_feed_run()
    name = getattr(error_name, "__name__", str(error_name)).split(".")[-1].strip()
    if name == "FailedPreconditionError":
        return (
            "FailedPreconditionError is what reading an uninitialised variable raises. A "
            "placeholder without a value is a wrong argument to the run."
        )
    if name in ("KeyError", "ValueError", "TypeError", "RuntimeError"):
        return (
            f"{name} is Python's; a failed run raises an `OpError` subclass from "
            "`tf.errors`, the one for a wrong or missing argument."
        )
    wrong_name = differs(name, expected_error, "the error")
    if wrong_name:
        return wrong_name
    if counter_after == expected_counter + 1:
        return (
            "`bump` never ran: the missing feed is found when the plan is built, before any "
            "kernel is called, so the counter is unchanged."
        )
    return differs(counter_after, expected_counter, "counter_after")


def _cut_walk(cut_at):
    """The names of the ops that LeNet-5's loss needs when ``cut_at``, the labels and
    keep_prob are fed."""
    with tf.Graph().as_default() as graph:
        model = models.lenet5()
        fed = {graph.as_graph_element(getattr(cut_at, "name", cut_at)), model.y_, model.keep_prob}
        return {op.name for op in ops_to_run(model.loss, fed)}


@exercise(
    kind=EXPLORE,
    answer="cut_at",
    hints=[
        (
            "`ops_to_run(model.loss, feed_dict=[candidate, model.y_, model.keep_prob])` lists "
            "what a run would compute. Try the output of each layer in turn: `model.x_image`, "
            "`model.h_conv1`, `model.h_pool1`."
        ),
        (
            "Feeding a tensor stops the walk there: everything that only served to compute it is "
            "no longer run. Which layer output comes right after pool1?"
        ),
        "`model.h_pool1`, the output of the first max pooling: `pool1/MaxPool:0`.",
    ],
    solution="cut_at = model.h_pool1",
    given="from tutorflow.course import models\nmodel = models.lenet5()",
    why="Feeding an inner tensor skips the layers before it: features computed once, or the "
    "saved outputs of a frozen network, then cost only the later layers.",
    mistakes=[
        Mistake("cut_at = model.x_image", "conv1 still runs"),
        Mistake("cut_at = model.h_conv1", "pool1 still runs"),
        Mistake('cut_at = "conv1/W/read:0"', "only the weights"),
        Mistake("cut_at = model.h_pool2", "conv2 is skipped too"),
    ],
)
def q4(cut_at):
    """Which one tensor, fed with the labels and keep_prob, lets LeNet-5's loss run without
    any op of conv1 or pool1, and without the images `x`, while conv2 still runs?"""
    try:
        needed = _cut_walk(cut_at)
    except (KeyError, ValueError, TypeError) as error:
        return f"`cut_at` should be a tensor of LeNet-5 or its name, like 'conv1/Relu:0': {error}"
    early = sorted(name for name in needed if name.startswith(("conv1/", "pool1/")))
    conv2_runs = any(name.startswith("conv2/") for name in needed)
    if not early and conv2_runs and "x" not in needed:
        return None
    name = getattr(cut_at, "name", cut_at)
    if name in ("conv1/W:0", "conv1/W/read:0", "conv1/b:0", "conv1/b/read:0"):
        return (
            f"Feeding `{name}` replaces only the weights: the convolution still runs and still "
            "needs the images `x`."
        )
    if not conv2_runs:
        return (
            f"Feeding `{name}` cuts the walk too late: conv2 is skipped too. Feed the output of "
            "the layer just before conv2."
        )
    if any(op.startswith("conv1/") for op in early):
        return (
            f"With `{name}` fed, conv1 still runs ({', '.join(early[:3])}, …): "
            "the tensor you feed must come after the first convolution."
        )
    if early:
        return (
            f"Close: conv1 is skipped, but pool1 still runs ({', '.join(early)}). Feed its "
            "output instead."
        )
    return f"With `{name}` fed the loss still needs the images `x`."


def _traced_small_run():
    """A traced run of a two-layer graph whose MatMuls are separated by other ops."""
    with tf.Graph().as_default() as graph, tf.Session() as sess:
        x = tf.placeholder(tf.float32, [None, 256])
        hidden = tf.nn.relu(tf.matmul(x, tf.Variable(tf.ones([256, 256]))) + 0.5)
        out = tf.matmul(hidden, tf.Variable(tf.ones([256, 10]))) + 1.0
        sess.run(tf.global_variables_initializer())
        run_metadata = tf.RunMetadata()
        options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        sess.run(out, {x: np.ones([64, 256])}, options=options, run_metadata=run_metadata)
    return run_metadata.step_stats, graph


def _by_type(step_stats, graph, measure) -> dict:
    """``measure(nodes)`` of the node stats of each op type."""
    nodes = {}
    for device in step_stats.dev_stats:
        for node in device.node_stats:
            op_type = graph.get_operation_by_name(node.node_name).type
            nodes.setdefault(op_type, []).append(node)
    return {op_type: measure(group) for op_type, group in nodes.items()}


@exercise(
    kind=CODE,
    answer="time_per_op_type",
    hints=[
        (
            "Each node stat is one op run: `node_name` names the op, `all_end_rel_micros` is how "
            "long it took. Look the op up in `graph` to learn its type."
        ),
        (
            "`graph.get_operation_by_name(node.node_name).type`; add each op's "
            "`all_end_rel_micros` to its type's total."
        ),
        (
            "Loop over `step_stats.dev_stats`, then over each device's `node_stats`, and sum "
            "into a dict with `totals[op_type] = totals.get(op_type, 0) + ...`."
        ),
    ],
    solution="""
def time_per_op_type(step_stats, graph):
    totals = {}
    for device in step_stats.dev_stats:
        for node in device.node_stats:
            op_type = graph.get_operation_by_name(node.node_name).type
            totals[op_type] = totals.get(op_type, 0) + node.all_end_rel_micros
    return totals
""",
    why="Time per op type tells you what to make faster: the few op types that take most of a "
    "step, not the many that run.",
    mistakes=[
        Mistake(
            "def time_per_op_type(step_stats, graph):\n"
            "    totals = {}\n"
            "    for node in step_stats.dev_stats[0].node_stats:\n"
            "        op_type = graph.get_operation_by_name(node.node_name).type\n"
            "        totals[op_type] = totals.get(op_type, 0) + node.all_start_micros\n"
            "    return totals",
            "when the op started",
        ),
        Mistake(
            "def time_per_op_type(step_stats, graph):\n"
            "    totals = {}\n"
            "    for node in step_stats.dev_stats[0].node_stats:\n"
            "        totals[node.node_name] = node.all_end_rel_micros\n"
            "    return totals",
            "grouped by op name",
        ),
        Mistake(
            "def time_per_op_type(step_stats, graph):\n"
            "    first, last = {}, {}\n"
            "    for node in step_stats.dev_stats[0].node_stats:\n"
            "        op_type = graph.get_operation_by_name(node.node_name).type\n"
            "        first.setdefault(op_type, node.all_start_micros)\n"
            "        last[op_type] = node.all_start_micros + node.all_end_rel_micros\n"
            "    return {t: last[t] - first[t] for t in first}",
            "ops of other types that ran in between",
        ),
        Mistake(
            "def time_per_op_type(step_stats, graph):\n"
            "    totals = {}\n"
            "    for node in step_stats.dev_stats[0].node_stats:\n"
            "        op_type = graph.get_operation_by_name(node.node_name).type\n"
            "        totals[op_type] = totals.get(op_type, 0) + 1\n"
            "    return totals",
            "counted the ops",
        ),
    ],
)
def q5(time_per_op_type):
    """Write `time_per_op_type(step_stats, graph)`: a dict from op type to microseconds."""
    step_stats, graph = _traced_small_run()
    expected = _by_type(step_stats, graph, lambda group: sum(n.all_end_rel_micros for n in group))
    got = time_per_op_type(step_stats, graph)
    if not isinstance(got, dict):
        return f"Return a dict from op type to microseconds; received {type(got).__name__}."
    got = {key: int(value) for key, value in got.items()}
    if got == expected:
        return None
    if set(got) == {n.node_name for d in step_stats.dev_stats for n in d.node_stats}:
        return (
            "You grouped by op name, so every op is its own group. Group by op type: "
            "`graph.get_operation_by_name(node.node_name).type`."
        )
    if got == _by_type(step_stats, graph, lambda group: sum(n.all_start_micros for n in group)):
        return (
            "`all_start_micros` is when the op started, in microseconds since 1970, not how "
            "long it ran; the duration is `all_end_rel_micros` (end relative to the start)."
        )
    if got == _by_type(step_stats, graph, len):
        return "You counted the ops of each type; sum their durations instead."
    span = _by_type(
        step_stats,
        graph,
        lambda group: (
            max(n.all_start_micros + n.all_end_rel_micros for n in group)
            - min(n.all_start_micros for n in group)
        ),
    )
    if got == span:
        return (
            "From the first start to the last end of a type also counts the ops of other "
            "types that ran in between (here Add and Relu between the two MatMuls). Sum each "
            "op's own `all_end_rel_micros`."
        )
    return differs(dict(sorted(got.items())), dict(sorted(expected.items())), "the totals")
