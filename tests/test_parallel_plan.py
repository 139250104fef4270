"""The parallel executor (client/parallel.py) against the plan's reference loop: the same values
on random graphs and on LeNet-5 training, the reference's errors, values dropped after their
last reader, in-place kernels that never overwrite a value still to be read, variables read and
updated in the reference's order, and every op in the trace."""

import threading
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tutorflow as tf
from tutorflow.client.threads import thread_counts
from tutorflow.framework import registry
from tutorflow.ops._util import make


def _session(workers: int, parts: int = 0) -> tf.Session:
    config = tf.ConfigProto(
        inter_op_parallelism_threads=workers, intra_op_parallelism_threads=parts
    )
    return tf.Session(config=config)


def _run_both(fetches, feed_dict=None, workers=3):
    """The values from the reference loop and from ``workers`` workers, several runs each."""
    with _session(1) as reference, _session(workers) as parallel:
        expected = reference.run(fetches, feed_dict)
        got = [parallel.run(fetches, feed_dict) for _ in range(5)]
    return expected, got


@pytest.fixture
def scratch_registry():
    """Kernels registered by a test leave the registry as they found it."""
    found = dict(registry._REGISTRY)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(found)


# -- random graphs -------------------------------------------------------------------------------

_UNARY = [tf.exp, tf.nn.relu, tf.tanh, tf.negative, tf.square, tf.sigmoid]
_BINARY = [tf.add, tf.subtract, tf.multiply, tf.maximum]


@st.composite
def graphs(draw):
    """A random graph on two (4, 4) placeholders: each new node reads one or two earlier nodes
    (element-wise ops, matrix products, sums), so branches fan out and join again."""
    nodes = [tf.placeholder(tf.float32, [4, 4]) for _ in range(2)]
    feeds = {node: draw(_arrays) for node in nodes}
    for _ in range(draw(st.integers(3, 14))):
        a = nodes[draw(st.integers(0, len(nodes) - 1))]
        b = nodes[draw(st.integers(0, len(nodes) - 1))]
        kind = draw(st.sampled_from(["unary", "binary", "matmul", "sum"]))
        if kind == "unary":
            nodes.append(draw(st.sampled_from(_UNARY))(a))
        elif kind == "binary":
            nodes.append(draw(st.sampled_from(_BINARY))(a, b))
        elif kind == "matmul":
            nodes.append(tf.matmul(a, b) * 0.1)
        else:
            nodes.append(a + tf.reduce_sum(b, axis=0))
    fetched = draw(st.lists(st.sampled_from(nodes[2:]), min_size=1, max_size=3))
    return fetched, feeds


_arrays = st.integers(0, 2**32 - 1).map(
    lambda seed: np.random.default_rng(seed).standard_normal((4, 4)).astype(np.float32)
)


@settings(max_examples=40, deadline=None)
@given(problem=graphs())
def test_random_graphs_give_the_reference_values_bit_for_bit(problem):
    fetches, feeds = problem
    expected, runs = _run_both(fetches, feeds)
    for got in runs:
        for want, value in zip(expected, got):
            np.testing.assert_array_equal(value, want)


# -- LeNet-5 -------------------------------------------------------------------------------------


def _lenet_weights_after_training(workers: int, parts: int) -> list:
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(7)
        x = tf.placeholder(tf.float32, [None, 784])
        labels = tf.placeholder(tf.float32, [None, 10])
        image = tf.reshape(x, [-1, 28, 28, 1])
        w1 = tf.Variable(tf.truncated_normal([5, 5, 1, 8], stddev=0.1))
        h1 = tf.nn.max_pool(
            tf.nn.relu(tf.nn.conv2d(image, w1, [1, 1, 1, 1], "SAME") + tf.Variable(tf.zeros([8]))),
            [1, 2, 2, 1],
            [1, 2, 2, 1],
            "SAME",
        )
        w2 = tf.Variable(tf.truncated_normal([5, 5, 8, 16], stddev=0.1))
        h2 = tf.nn.max_pool(
            tf.nn.relu(tf.nn.conv2d(h1, w2, [1, 1, 1, 1], "SAME")),
            [1, 2, 2, 1],
            [1, 2, 2, 1],
            "SAME",
        )
        w3 = tf.Variable(tf.truncated_normal([7 * 7 * 16, 32], stddev=0.1))
        h3 = tf.nn.dropout(tf.nn.relu(tf.matmul(tf.reshape(h2, [-1, 7 * 7 * 16]), w3)), 0.5)
        logits = tf.matmul(h3, tf.Variable(tf.truncated_normal([32, 10], stddev=0.1)))
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        train = tf.train.AdamOptimizer(1e-3).minimize(loss)
        rng = np.random.default_rng(0)
        with _session(workers, parts) as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                xs = rng.random((8, 784), np.float32)
                ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 8)]
                sess.run(train, {x: xs, labels: ys})
            return sess.run(tf.trainable_variables())


def test_lenet_training_gives_the_reference_weights_bit_for_bit():
    # With each op's work in one part, every op does the same arithmetic in the same order:
    # only when ops run differs. (Products cut into parts may round differently: test_split.py.)
    expected = _lenet_weights_after_training(workers=1, parts=1)
    got = _lenet_weights_after_training(workers=2, parts=1)
    for want, value in zip(expected, got):
        np.testing.assert_array_equal(value, want)


# -- errors --------------------------------------------------------------------------------------


def _two_failing_branches():
    a = tf.placeholder(tf.float32, [None])
    b = tf.placeholder(tf.float32, [None])
    first = tf.add(a, b, name="first_bad_add")  # shapes that do not broadcast
    slow = tf.exp(tf.matmul(tf.ones([200, 200]), tf.ones([200, 200])))
    second = tf.multiply(b, a, name="second_bad_mul")
    return [first, slow, second], {a: np.ones(2), b: np.ones(3)}


def test_the_first_failing_op_in_the_plan_is_raised_as_the_reference_raises_it():
    fetches, feeds = _two_failing_branches()
    messages = []
    for workers in (1, 2, 3):
        with _session(workers) as sess:
            with pytest.raises(tf.errors.InvalidArgumentError) as raised:
                sess.run(fetches, feeds)
            messages.append(str(raised.value))
            # no worker was left waiting: the session runs again
            assert sess.run(tf.constant(2.0) * 3) == 6.0
    assert messages[0] == messages[1] == messages[2]
    assert "Incompatible shapes: [2] vs. [3]" in messages[0] and "first_bad_add" in messages[0]


def test_an_error_that_is_no_op_error_comes_through_unchanged(scratch_registry):
    @registry.kernel("RaisesKeyErrorForTest")
    def _raises(op, x):
        raise KeyError("a kernel's own bug")

    x = tf.constant([1.0])
    bad = make("RaisesKeyErrorForTest", [x], tf.float32, x.shape, {}, "bad")
    other = tf.exp(x) + tf.exp(x)
    with _session(2) as sess:
        with pytest.raises(KeyError, match="a kernel's own bug"):
            sess.run([bad, other])


# -- lifetimes and in-place kernels --------------------------------------------------------------


def test_a_value_is_dropped_after_its_last_reader_in_any_order(scratch_registry):
    """``made`` is read by two branches; once both ran, nothing holds it any more."""
    alive = {}

    @registry.kernel("MakesProbeForTest")
    def _make(op, x):
        value = x * 2.0
        alive["made"] = weakref.ref(value)
        return value

    @registry.kernel("ChecksProbeForTest")
    def _check(op, x, y):
        alive["at_check"] = alive["made"]() is not None
        return x + y

    x = tf.placeholder(tf.float32, [3])
    made = make("MakesProbeForTest", [x], tf.float32, x.shape, {}, "made")
    left = tf.reduce_sum(made)
    right = tf.reduce_max(made)
    checked = make("ChecksProbeForTest", [left, right], tf.float32, left.shape, {}, "check")
    with _session(3) as sess:
        for _ in range(5):
            assert sess.run(checked, {x: np.ones(3, np.float32)}) == 8.0
            assert alive["at_check"] is False


def test_an_in_place_kernel_never_overwrites_a_value_another_branch_still_reads():
    x = tf.placeholder(tf.float32, [256, 256])
    shared = x * 2.0
    slow = tf.exp(x * 0.01)
    for _ in range(4):
        slow = tf.matmul(slow, x) * 0.01
    waiting_reader = tf.matmul(slow, shared)  # reads shared once slow is done …
    last_reader = tf.nn.relu(shared)  # … and relu, last in the plan, may run in place before
    total = waiting_reader * 1e-6 + last_reader
    value = np.random.default_rng(1).standard_normal((256, 256)).astype(np.float32)
    expected, runs = _run_both(total, {x: value}, workers=2)
    for got in runs:
        np.testing.assert_array_equal(got, expected)


def test_variables_are_read_and_updated_in_the_reference_order():
    w = tf.Variable(np.ones([32, 32], np.float32))
    x = tf.placeholder(tf.float32, [32, 32])
    before = tf.matmul(tf.matmul(x, w), w)  # reads w, slowly
    update = tf.assign_sub(w, tf.ones([32, 32]) * 0.5)  # made later: runs after the reads
    after = tf.reduce_sum(update)
    feeds = {x: np.ones([32, 32], np.float32)}
    for workers in (1, 2, 3):
        with _session(workers) as sess:
            sess.run(tf.global_variables_initializer())
            got_before, got_after = sess.run([before, after], feeds)
            np.testing.assert_array_equal(got_before, np.full([32, 32], 32.0 * 32.0))
            assert got_after == 0.5 * 32 * 32


# -- trace, threads and settings -----------------------------------------------------------------


def test_a_full_trace_records_every_op_with_its_thread():
    x = tf.placeholder(tf.float32, [50, 50])
    branches = [tf.reduce_sum(tf.matmul(x, x) * float(i)) for i in range(4)]
    total = tf.add_n(branches)
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    with _session(2) as sess:
        metadata = tf.RunMetadata()
        sess.run(total, {x: np.ones((50, 50))}, options=options, run_metadata=metadata)
        (plan,) = sess._plans.values()
    nodes = metadata.step_stats.dev_stats[0].node_stats
    assert sorted(n.node_name for n in nodes) == sorted(step[0].name for step in plan.steps)
    assert {n.thread_id for n in nodes} <= {0, 1}


def test_helper_threads_end_when_the_session_closes():
    x = tf.placeholder(tf.float32, [8])
    total = tf.exp(x) + tf.tanh(x)
    before = _session_threads()
    with _session(3) as sess:
        sess.run(total, {x: np.ones(8)})
    assert _session_threads() <= before


def _session_threads() -> int:
    """Live threads, but for the intra-op helpers, which stay for the process (as BLAS's do)."""
    return sum(not t.name.startswith("tutorflow-intra-op") for t in threading.enumerate())


def test_a_chain_runs_on_the_reference_loop():
    x = tf.placeholder(tf.float32, [8])
    chain = tf.exp(tf.tanh(tf.negative(x)))
    with _session(2) as sess:
        sess.run(chain, {x: np.ones(8)})
        (plan,) = sess._plans.values()
        assert sess._executor._schedule(plan) is None


def test_config_proto_as_tf1_code_writes_it():
    config = tf.ConfigProto(
        allow_soft_placement=True,
        log_device_placement=False,
        inter_op_parallelism_threads=2,
        intra_op_parallelism_threads=1,
    )
    config.gpu_options.allow_growth = True
    assert thread_counts(config) == (2, 1)
    with tf.Session(config=config) as sess:
        assert sess.run(tf.constant(1.0) + 1.0) == 2.0
    with tf.Session(config=tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True))):
        pass


def test_thread_defaults_and_bad_counts():
    assert thread_counts(None) == (1, None)
    assert thread_counts(tf.ConfigProto()) == (1, None)
    with pytest.raises(ValueError, match="must be 0"):
        thread_counts(tf.ConfigProto(inter_op_parallelism_threads=-1))
