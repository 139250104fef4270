"""Exercises of notebook 12, Inside Session.run: which ops a fetch needs, when the plan drops a
value, what a missing feed does, the feed that skips LeNet-5's first layer, and where a traced
step's time goes."""

import numpy as np

import tutorflow as tf
from tutorflow.client import ops_to_run
from tutorflow.course import models

from ..kit import CODE, EXPLORE, PREDICT, Mistake, differs, exercise
from ..language import Text

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
        Text(
            "Start at `Relu` and walk backwards along the inputs. Where does the walk stop?",
            "从 `Relu` 出发，沿着输入往回走。走到哪里停下？",
        ),
        Text(
            "It stops at a tensor given in `feed_dict`: `x:0` comes from the feed, so the "
            "`x` op is not run. Each variable is read through its own op, `W/read`.",
            "走到 `feed_dict` 里给出的张量就停下：`x:0` 的值来自喂入，所以 `x` 这个运算"
            "不会运行。每个变量都通过自己的一个运算（如 `W/read`）来读取。",
        ),
        Text(
            "Seven ops: the two variables, their two reads, and the three ops that compute.",
            "七个运算：两个变量、它们的两个读取运算，以及三个做计算的运算。",
        ),
    ],
    solution='ops_run = {"W", "W/read", "b", "b/read", "MatMul", "add", "Relu"}',
    why=Text(
        "A session runs the part of the graph that the fetches need and nothing else; the "
        "rest of the graph costs nothing, however large it is.",
        "会话只运行取回的张量所需要的那部分计算图，别的一概不运行；计算图的其余部分"
        "再大，也不花任何代价。",
    ),
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
        return Text(
            "`x` is fed: its value comes from `feed_dict`, so the walk stops at `x:0` and "
            "the placeholder op `x` is never run.",
            "`x` 是喂入的：它的值来自 `feed_dict`，所以回溯在 `x:0` 处停下，"
            "占位符运算 `x` 根本不会运行。",
        )
    if got & {"ones", "zeros", "W/Assign", "b/Assign"}:
        return Text(
            "`ones`, `zeros` and the `Assign` ops are what the initializer runs. `relu` reads "
            "the variables' current values through `W/read` and `b/read`, not their initial "
            "values.",
            "`ones`、`zeros` 和那些 `Assign` 运算是初始化时才运行的。`relu` 通过 `W/read` "
            "和 `b/read` 读取变量的当前值，而不是它们的初始值。",
        )
    if got & {"five", "mul/y", "mul"}:
        return Text(
            "`doubled` and its constants are in the graph, but nothing that `relu` depends on "
            "reads them, so they are not run.",
            "`doubled` 和它的常量虽然在计算图里，但 `relu` 所依赖的运算没有一个读取它们，"
            "所以它们不会运行。",
        )
    if expected - got == {"W", "b"}:
        return Text(
            "`W/read` reads the variable, and its input is the output of the `VariableV2` op "
            "`W` (which hands out the session's storage); `W` and `b` run too.",
            "`W/read` 读取变量，它的输入是 `VariableV2` 运算 `W` 的输出（`W` 负责交出会话中"
            "该变量的存储）；所以 `W` 和 `b` 也会运行。",
        )
    if got < expected:
        return Text(
            f"Some ops are missing: {', '.join(sorted(expected - got))}. Walk back from `Relu` "
            "through every input, until you reach a fed tensor or an op with no inputs.",
            f"漏掉了一些运算：{', '.join(sorted(expected - got))}。从 `Relu` 出发沿每个输入"
            "往回走，直到遇到喂入的张量或没有输入的运算为止。",
        )
    return differs(sorted(got), sorted(expected), Text("the ops run", "运行的运算"))


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
        Text(
            "A value is dropped right after its last reader runs. Which values does `add` read?",
            "一个值在它的最后一个读取者运行完之后立即被丢掉。`add` 读取了哪些值？",
        ),
        Text(
            "`add` reads `MatMul:0` and `b/read:0`. Does any op after `add` read either of "
            "them? And are any of them fed or fetched?",
            "`add` 读取 `MatMul:0` 和 `b/read:0`。`add` 之后还有运算读取它们吗？"
            "它们当中有喂入的或要取回的吗？",
        ),
        Text(
            "`Relu` reads only `add:0`, so both of `add`'s inputs die at `add`.",
            "`Relu` 只读取 `add:0`，所以 `add` 的两个输入在 `add` 处就都结束了生命。",
        ),
    ],
    solution='dropped_after_add = {"MatMul:0", "b/read:0"}',
    why=Text(
        "Dropping each value after its last reader keeps a step's peak memory near the "
        "largest few values, not the sum of all of them.",
        "每个值在最后一个读取者之后就丢掉，这样一步的内存峰值只接近最大的几个值之和，"
        "而不是所有值的总和。",
    ),
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
        return Text(
            "`x:0` is fed: its value belongs to the caller and is kept for the whole run, "
            "however early its last reader runs.",
            "`x:0` 是喂入的：它的值属于调用者，整个运行期间都会保留，"
            "不管它的最后一个读取者多早运行。",
        )
    if "add:0" in got:
        return Text(
            "`add:0` is what `add` just made, and it still has a reader: `Relu` runs next.",
            "`add:0` 是 `add` 刚刚算出的值，它还有读取者：接下来运行的就是 `Relu`。",
        )
    if "W/read:0" in got:
        return Text(
            "`W/read:0`'s last reader is `MatMul`, so it was dropped right after MatMul, "
            "before `add` ran.",
            "`W/read:0` 的最后一个读取者是 `MatMul`，所以它在 MatMul 之后、"
            "`add` 运行之前就已经被丢掉了。",
        )
    if got and got < expected:
        missing = ", ".join(sorted(expected - got))
        return Text(
            f"Also {missing}: its last reader is `add` too.",
            f"还有 {missing}：它的最后一个读取者也是 `add`。",
        )
    return differs(sorted(got), sorted(expected), Text("the values dropped", "丢掉的值"))


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
        Text(
            "Which error class does TensorFlow use for a value that is wrong or missing in a "
            "run's arguments?",
            "一次运行的参数中有值出错或缺失时，TensorFlow 用的是哪个错误类？",
        ),
        Text(
            "The error is InvalidArgumentError. Now: is it raised while the ops run, or before?",
            "错误是 InvalidArgumentError。接下来的问题是：它是在运算运行的过程中抛出的，"
            "还是在那之前？",
        ),
        Text(
            "The plan is checked when it is built, before any kernel is called.",
            "执行计划在构建时就做检查，那时还没有调用任何内核。",
        ),
    ],
    solution='error_name = "InvalidArgumentError"\ncounter_after = 0',
    why=Text(
        "A run that cannot finish should not half-happen: checking the feeds before any "
        "kernel runs means a failed step changed no variable.",
        "一次无法完成的运行不应该只执行一半：在任何内核运行之前检查喂入的值，"
        "就保证了失败的一步不会改动任何变量。",
    ),
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
        return Text(
            "FailedPreconditionError is what reading an uninitialised variable raises. A "
            "placeholder without a value is a wrong argument to the run.",
            "FailedPreconditionError 是读取未初始化的变量时抛出的。"
            "占位符没有值，属于这次运行的参数有误。",
        )
    if name in ("KeyError", "ValueError", "TypeError", "RuntimeError"):
        return Text(
            f"{name} is Python's; a failed run raises an `OpError` subclass from "
            "`tf.errors`, the one for a wrong or missing argument.",
            f"{name} 是 Python 自己的错误；运行失败时抛出的是 `tf.errors` 中 `OpError` "
            "的某个子类，即表示参数有误或缺失的那一个。",
        )
    wrong_name = differs(name, expected_error, Text("the error", "错误"))
    if wrong_name:
        return wrong_name
    if counter_after == expected_counter + 1:
        return Text(
            "`bump` never ran: the missing feed is found when the plan is built, before any "
            "kernel is called, so the counter is unchanged.",
            "`bump` 根本没有运行：缺少喂入值这件事在构建执行计划时就被发现了，"
            "那时还没有调用任何内核，所以计数器没有变。",
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
        Text(
            "`ops_to_run(model.loss, feed_dict=[candidate, model.y_, model.keep_prob])` lists "
            "what a run would compute. Try the output of each layer in turn: `model.x_image`, "
            "`model.h_conv1`, `model.h_pool1`.",
            "`ops_to_run(model.loss, feed_dict=[candidate, model.y_, model.keep_prob])` "
            "列出一次运行会计算哪些运算。依次试试各层的输出：`model.x_image`、"
            "`model.h_conv1`、`model.h_pool1`。",
        ),
        Text(
            "Feeding a tensor stops the walk there: everything that only served to compute it "
            "is no longer run. Which layer output comes right after pool1?",
            "喂入一个张量，回溯就在那里停下：只为计算它而存在的运算都不再运行。"
            "紧跟在 pool1 之后的是哪一层的输出？",
        ),
        Text(
            "`model.h_pool1`, the output of the first max pooling: `pool1/MaxPool:0`.",
            "`model.h_pool1`，即第一个最大池化层的输出：`pool1/MaxPool:0`。",
        ),
    ],
    solution="cut_at = model.h_pool1",
    given="from tutorflow.course import models\nmodel = models.lenet5()",
    why=Text(
        "Feeding an inner tensor skips the layers before it: features computed once, or the "
        "saved outputs of a frozen network, then cost only the later layers.",
        "喂入一个中间张量，就跳过了它之前的各层：事先算好的特征，或者冻结网络保存下来的"
        "输出，之后就只需付出后面几层的计算代价。",
    ),
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
        return Text(
            f"`cut_at` should be a tensor of LeNet-5 or its name, like 'conv1/Relu:0': {error}",
            f"`cut_at` 应当是 LeNet-5 中的一个张量或它的名字，比如 'conv1/Relu:0'：{error}",
        )
    early = sorted(name for name in needed if name.startswith(("conv1/", "pool1/")))
    conv2_runs = any(name.startswith("conv2/") for name in needed)
    if not early and conv2_runs and "x" not in needed:
        return None
    name = getattr(cut_at, "name", cut_at)
    if name in ("conv1/W:0", "conv1/W/read:0", "conv1/b:0", "conv1/b/read:0"):
        return Text(
            f"Feeding `{name}` replaces only the weights: the convolution still runs and still "
            "needs the images `x`.",
            f"喂入 `{name}` 只替换了权重：卷积照样运行，也照样需要图像 `x`。",
        )
    if not conv2_runs:
        return Text(
            f"Feeding `{name}` cuts the walk too late: conv2 is skipped too. Feed the output of "
            "the layer just before conv2.",
            f"喂入 `{name}` 把回溯截断得太晚了：conv2 也被跳过了。"
            "请喂入紧挨在 conv2 之前那一层的输出。",
        )
    if any(op.startswith("conv1/") for op in early):
        return Text(
            f"With `{name}` fed, conv1 still runs ({', '.join(early[:3])}, …): "
            "the tensor you feed must come after the first convolution.",
            f"喂入 `{name}` 后，conv1 仍然会运行（{', '.join(early[:3])}, …）："
            "你喂入的张量必须位于第一个卷积之后。",
        )
    if early:
        return Text(
            f"Close: conv1 is skipped, but pool1 still runs ({', '.join(early)}). Feed its "
            "output instead.",
            f"很接近了：conv1 被跳过了，但 pool1 仍然会运行（{', '.join(early)}）。"
            "改为喂入 pool1 的输出。",
        )
    return Text(
        f"With `{name}` fed the loss still needs the images `x`.",
        f"喂入 `{name}` 后，损失仍然需要图像 `x`。",
    )


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
        Text(
            "Each node stat is one op run: `node_name` names the op, `all_end_rel_micros` is "
            "how long it took. Look the op up in `graph` to learn its type.",
            "每条节点统计对应一次运算的运行：`node_name` 是运算的名字，`all_end_rel_micros` "
            "是它花的时间。到 `graph` 里查出这个运算，就知道它的类型。",
        ),
        Text(
            "`graph.get_operation_by_name(node.node_name).type`; add each op's "
            "`all_end_rel_micros` to its type's total.",
            "`graph.get_operation_by_name(node.node_name).type`；把每个运算的 "
            "`all_end_rel_micros` 加到它所属类型的总时间上。",
        ),
        Text(
            "Loop over `step_stats.dev_stats`, then over each device's `node_stats`, and sum "
            "into a dict with `totals[op_type] = totals.get(op_type, 0) + ...`.",
            "先遍历 `step_stats.dev_stats`，再遍历每个设备的 `node_stats`，用 "
            "`totals[op_type] = totals.get(op_type, 0) + ...` 累加到一个字典里。",
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
    why=Text(
        "Time per op type tells you what to make faster: the few op types that take most of a "
        "step, not the many that run.",
        "按运算类型统计的时间告诉你该优化什么：是占去一步大部分时间的那少数几种运算，"
        "而不是运行次数最多的那些。",
    ),
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
        return Text(
            f"Return a dict from op type to microseconds; received {type(got).__name__}.",
            f"应返回一个从运算类型到微秒数的字典；你给出的是 {type(got).__name__}。",
        )
    got = {key: int(value) for key, value in got.items()}
    if got == expected:
        return None
    if set(got) == {n.node_name for d in step_stats.dev_stats for n in d.node_stats}:
        return Text(
            "You grouped by op name, so every op is its own group. Group by op type: "
            "`graph.get_operation_by_name(node.node_name).type`.",
            "你是按运算名分组的，于是每个运算自成一组。应按运算类型分组："
            "`graph.get_operation_by_name(node.node_name).type`。",
        )
    if got == _by_type(step_stats, graph, lambda group: sum(n.all_start_micros for n in group)):
        return Text(
            "`all_start_micros` is when the op started, in microseconds since 1970, not how "
            "long it ran; the duration is `all_end_rel_micros` (end relative to the start).",
            "`all_start_micros` 是运算开始的时刻（从 1970 年起算的微秒数），而不是它运行了"
            "多久；时长是 `all_end_rel_micros`（结束时刻相对于开始时刻）。",
        )
    if got == _by_type(step_stats, graph, len):
        return Text(
            "You counted the ops of each type; sum their durations instead.",
            "你数的是每种类型有几个运算；应当把它们的时长加起来。",
        )
    span = _by_type(
        step_stats,
        graph,
        lambda group: (
            max(n.all_start_micros + n.all_end_rel_micros for n in group)
            - min(n.all_start_micros for n in group)
        ),
    )
    if got == span:
        return Text(
            "From the first start to the last end of a type also counts the ops of other "
            "types that ran in between (here Add and Relu between the two MatMuls). Sum each "
            "op's own `all_end_rel_micros`.",
            "从某类型第一个运算的开始算到最后一个运算的结束，会把中间运行的其他类型的运算"
            "也算进去（这里是两个 MatMul 之间的 Add 和 Relu）。应把每个运算自己的 "
            "`all_end_rel_micros` 加起来。",
        )
    return differs(
        dict(sorted(got.items())),
        dict(sorted(expected.items())),
        Text("the totals", "各类型的总时间"),
    )
