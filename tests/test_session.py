"""Sessions: fetch structures, feeds, the errors TF 1.x raises, cached plans, variables living
in a session, default sessions, random ops and their seeds, and values that do not alias."""

import collections
import re
import traceback

import numpy as np
import pytest

import tutorflow as tf
from tutorflow.client import ops_to_run
from tutorflow.framework import ops

# -- fetches -------------------------------------------------------------------------------------


def test_run_a_tensor_gives_a_numpy_value():
    a = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    c = tf.constant(a) * 3
    with tf.Session() as sess:
        value = sess.run(c)
    assert isinstance(value, np.ndarray)
    assert value.dtype == np.float32
    np.testing.assert_array_equal(value, a * 3)


def test_scalars_come_back_as_numpy_scalars():
    with tf.Session() as sess:
        value = sess.run(tf.constant(2) + 3)
        f = sess.run(tf.constant(1.5))
    assert type(value) is np.int32 and value == 5
    assert type(f) is np.float32 and f == 1.5


def test_running_an_op_gives_none():
    v = tf.Variable(1.0)
    with tf.Session() as sess:
        assert sess.run(v.initializer) is None
        assert sess.run(tf.no_op()) is None
        assert sess.run([v.initializer, v]) == [None, 1.0]


def test_nested_fetch_structures():
    Pair = collections.namedtuple("Pair", "first second")
    a, b, c = tf.constant(1), tf.constant(2.0), tf.constant([3, 4])
    init = tf.no_op()
    fetches = {"a": a, "rest": [b, (c, init)], "pair": Pair(a, {"b": b})}
    with tf.Session() as sess:
        result = sess.run(fetches)
        assert sess.run([]) == []
        assert sess.run(()) == ()
        assert sess.run([a, a]) == [1, 1]
    assert set(result) == {"a", "rest", "pair"}
    assert result["a"] == 1
    assert type(result["rest"]) is list and type(result["rest"][1]) is tuple
    assert result["rest"][0] == 2.0
    np.testing.assert_array_equal(result["rest"][1][0], [3, 4])
    assert result["rest"][1][1] is None
    assert type(result["pair"]) is Pair
    assert result["pair"].first == 1 and result["pair"].second == {"b": 2.0}


def test_fetch_by_name():
    a = tf.constant(3, name="a")
    b = tf.add(a, 4, name="b")
    init = tf.no_op(name="init")
    with tf.Session() as sess:
        assert sess.run("b:0") == 7
        assert sess.run(["a:0", "b:0"]) == [3, 7]
        assert sess.run("init") is None
        with pytest.raises(ValueError, match="'missing:0' refers to a Tensor which does not"):
            sess.run("missing:0")
    assert b.name == "b:0" and init.name == "init"


def test_fetch_a_variable():
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        np.testing.assert_array_equal(v.eval(session=sess), [1.0, 2.0])


def test_invalid_fetches():
    with tf.Session() as sess:
        with pytest.raises(TypeError):
            sess.run(None)
        with pytest.raises(TypeError):
            sess.run(3)
        with pytest.raises(TypeError):
            sess.run([tf.constant(1), 2.5])


def test_fetching_a_name_not_in_the_graph_is_a_value_error_as_in_tf():
    with tf.Session() as sess:
        with pytest.raises(ValueError) as raised:
            sess.run("nope:0")
        assert str(raised.value) == (
            "Fetch argument 'nope:0' cannot be interpreted as a Tensor. "
            "(The name 'nope:0' refers to a Tensor which does not exist.)"
        )
        with pytest.raises(ValueError, match="^Fetch argument 'nope' cannot be interpreted"):
            sess.run("nope")


# -- feeds ---------------------------------------------------------------------------------------


def test_feed_by_tensor_and_by_name():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.reduce_sum(x * 2, axis=1)
    value = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: value}), (value * 2).sum(axis=1))
        np.testing.assert_array_equal(
            sess.run(y, feed_dict={"Placeholder:0": value}), (value * 2).sum(axis=1)
        )
        np.testing.assert_array_equal(sess.run(x, {x: value}), value)


def test_feed_values_take_the_placeholder_dtype():
    f = tf.placeholder(tf.float32)
    i = tf.placeholder(tf.int64, [2])
    with tf.Session() as sess:
        from_list = sess.run(f, {f: [1, 2]})
        from_float64 = sess.run(f * 1, {f: np.array([0.1, 0.2])})
        from_ints = sess.run(i, {i: np.array([1, 2], np.int32)})
    assert from_list.dtype == np.float32
    np.testing.assert_array_equal(from_list, [1.0, 2.0])
    assert from_float64.dtype == np.float32
    np.testing.assert_array_equal(from_float64, np.array([0.1, 0.2]).astype(np.float32))
    assert from_ints.dtype == np.int64


def test_any_tensor_can_be_fed():
    a = tf.constant(2.0)
    b = a * 10
    c = b + 1
    with tf.Session() as sess:
        assert sess.run(c) == 21.0
        assert sess.run(c, {b: 5.0}) == 6.0
        assert sess.run(c, {a: 1.0}) == 11.0


def test_wrong_shape_feed_is_refused():
    x = tf.placeholder(tf.float32, [None, 784])
    with tf.Session() as sess:
        with pytest.raises(ValueError) as error:
            sess.run(x, {x: [[1, 2]]})
        assert str(error.value) == (
            "Cannot feed value of shape (1, 2) for Tensor 'Placeholder:0', "
            "which has shape '(?, 784)'"
        )
        with pytest.raises(ValueError, match=r"shape \(784,\)"):
            sess.run(x, {x: np.zeros(784)})
        assert sess.run(tf.shape(x), {x: np.zeros((5, 784))}).tolist() == [5, 784]


def test_missing_feed_error():
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.reduce_mean(x)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as error:
        sess.run(y)
    message = str(error.value)
    assert message.startswith(
        "You must feed a value for placeholder tensor 'Placeholder' with dtype float and "
        "shape [?,784]"
    )
    assert error.value.op is x.op
    assert isinstance(error.value, tf.errors.OpError)


def test_missing_feed_of_unknown_shape_and_int_dtype():
    p = tf.placeholder(tf.int32, name="labels")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as error:
        sess.run(p + 1)
    assert str(error.value).startswith(
        "You must feed a value for placeholder tensor 'labels' with dtype int32"
    )


def test_feed_keys_must_be_tensors_of_this_graph():
    x = tf.placeholder(tf.float32)
    with tf.Graph().as_default():
        other = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        with pytest.raises(TypeError):
            sess.run(x, {other: 1.0})
        with pytest.raises(TypeError):
            sess.run(x, {"nothing:0": 1.0})
        with pytest.raises(TypeError):
            sess.run(x, {x.op: 1.0})


def test_feeding_a_tensor_is_refused():
    x = tf.placeholder(tf.float32, [2])
    with tf.Session() as sess, pytest.raises(TypeError, match="cannot be a tf.Tensor"):
        sess.run(x, {x: tf.zeros([2])})


# -- other errors ------------------------------------------------------------------------------


def test_uninitialized_variable_error():
    v = tf.Variable(tf.zeros([2]), name="weights")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError) as error:
            sess.run(v * 2)
        assert str(error.value).startswith("Attempting to use uninitialized value weights")
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(v.assign_add([1.0, 1.0]))
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(v * 2), [0.0, 0.0])


def test_closed_session_refuses_to_run():
    c = tf.constant(1)
    sess = tf.Session()
    assert sess.run(c) == 1
    sess.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(c)
    with pytest.raises(RuntimeError):
        c.eval(session=sess)
    sess.close()  # closing twice is harmless


def test_session_refuses_elements_of_another_graph():
    a = tf.constant(1)
    g = tf.Graph()
    with g.as_default():
        b = tf.constant(2)
    sess = tf.Session()  # on the default graph
    with pytest.raises(ValueError, match="not an element of this graph"):
        sess.run(b)
    with pytest.raises(ValueError, match="not an element of this graph"):
        sess.run([a, b])
    with pytest.raises(ValueError):
        b.eval(session=sess)
    with pytest.raises(ValueError):
        b.op.run(session=sess)
    other = tf.Session(graph=g)
    assert other.run(b) == 2
    with pytest.raises(ValueError):
        other.run(a)
    sess.close()
    other.close()


def test_kernel_errors_become_invalid_argument_errors():
    x = tf.placeholder(tf.float32, [None])
    y = tf.reshape(x, [2, 2])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as error:
        sess.run(y, {x: np.zeros(3)})
    assert error.value.op is y.op
    assert "Reshape" in str(error.value)


# -- what runs -----------------------------------------------------------------------------------


def test_only_the_needed_subgraph_runs():
    x = tf.placeholder(tf.float32)
    needs_x = x * 2
    counter = tf.Variable(0)
    increment = counter.assign_add(1)
    independent = tf.constant(3) + 4
    with tf.Session() as sess:
        sess.run(counter.initializer)
        assert sess.run(independent) == 7  # x is not fed, and not needed
        assert sess.run(counter) == 0  # the increment was not run
        sess.run(increment)
        sess.run([independent, increment])
        assert sess.run(counter) == 2
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run([independent, needs_x])


def _traced_run(fetches, feed_dict=None):
    """The names of the ops that a real ``Session.run`` executes, in order, from its trace."""
    metadata = tf.RunMetadata()
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    with tf.Session() as sess:
        sess.run(fetches, feed_dict, options=options, run_metadata=metadata)
    return [node.node_name for node in metadata.step_stats.dev_stats[0].node_stats]


def _names(ops_list):
    return [op.name for op in ops_list]


def test_ops_to_run_are_the_ops_a_run_executes_in_its_order():
    Point = collections.namedtuple("Point", "x y")
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    doubled = tf.multiply(x, 2.0, name="doubled")
    total = tf.reduce_sum(doubled, name="total")
    unrelated = tf.constant(5.0, name="unrelated") * 2
    feed = {x: np.ones((3, 2))}
    for fetches in [
        total,
        total.op,
        "total:0",
        "total",
        [doubled, (total,)],
        {"a": total, "b": [doubled]},
        Point(x=doubled, y={"t": total}),
    ]:
        found = ops_to_run(fetches, feed)
        assert _names(found) == _traced_run(fetches, feed)
        assert unrelated.op not in found
    assert _names(ops_to_run([unrelated])) == ["unrelated", "mul/y", "mul"]


def test_ops_to_run_stops_at_fed_tensors():
    x = tf.placeholder(tf.float32, name="x")
    hidden = tf.add(x, 1.0, name="hidden")
    out = tf.multiply(hidden, 3.0, name="out")
    assert _names(ops_to_run(out)) == ["x", "hidden/y", "hidden", "out/y", "out"]
    fed_hidden = ops_to_run(out, {hidden: 2.0})
    assert _names(fed_hidden) == ["out/y", "out"] == _traced_run(out, {hidden: 2.0})
    assert ops_to_run(out, ["hidden:0"]) == fed_hidden  # only the keys count
    assert ops_to_run(hidden, {hidden: 2.0}) == []  # a fed fetch needs nothing computed


def test_ops_to_run_follows_control_dependencies_and_variables():
    counter = tf.Variable(0, name="counter")
    increment = tf.assign_add(counter, 1, name="increment")
    with tf.control_dependencies([increment]):
        after = tf.constant(1, name="after")
    found = _names(ops_to_run(after))
    assert found[-1] == "after" and {"increment", "counter"} <= set(found)
    assert _names(ops_to_run(counter)) == ["counter", "counter/read"]  # its value
    with tf.Session() as sess:
        sess.run(counter.initializer)
        sess.run(after)
        assert sess.run(counter) == 1  # the run did go through the control dependency


def test_ops_to_run_reads_fetches_and_feeds_as_session_run_does():
    x = tf.placeholder(tf.float32, name="x")
    y = x + 1.0
    with tf.Session() as sess:
        for fetches, feeds in [(3, None), ([y, None], None), ("nothing", None), (y, {x.op: 1})]:
            with pytest.raises((TypeError, ValueError)) as from_run:
                sess.run(fetches, feeds)
            with pytest.raises(type(from_run.value), match=re.escape(str(from_run.value))):
                ops_to_run(fetches, feeds)
    other = tf.Graph()
    with other.as_default():
        z = tf.constant(1.0, name="z")
    assert _names(ops_to_run(z)) == ["z"]  # the graph of the fetches, not the default graph
    assert _names(ops_to_run("z:0", graph=other)) == ["z"]
    with pytest.raises(ValueError, match="not an element of this graph"):
        ops_to_run(z, graph=tf.get_default_graph())


def test_plans_are_cached_per_signature():
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.reduce_sum(x * 3)
    z = y + 1
    with tf.Session() as sess:
        for i in range(5):
            value = np.full((i + 1, 2), i, np.float32)
            assert sess.run(y, {x: value}) == value.sum() * 3
        assert len(sess._plans) == 1
        sess.run(y, {"Placeholder:0": np.ones((1, 2))})  # the same tensor fed, named by string
        assert len(sess._plans) == 1
        sess.run([y, z], {x: np.ones((1, 2))})
        assert len(sess._plans) == 2
        sess.run(y, {x: np.ones((1, 2)), y: 1.0})  # the same fetch, fed differently
        assert len(sess._plans) == 3


def test_runs_do_not_change_constants_feeds_or_variables():
    """Kernels may reuse buffers they own; they must never write into values held elsewhere."""
    const_value = np.arange(6, dtype=np.float32).reshape(2, 3)
    feed_value = np.linspace(1, 2, 6, dtype=np.float32).reshape(2, 3)
    c = tf.constant(const_value)
    x = tf.placeholder(tf.float32, [2, 3])
    v = tf.Variable(const_value + 1)
    chains = [
        -(c * 2 + 1) / 3,
        tf.exp(-x) * x - x,
        tf.sqrt(tf.square(v.value()) + 1) - v,
        tf.maximum(c, x) + tf.minimum(v, 2.0),
        tf.log(c + 1) * tf.exp(x - 1),
    ]
    expected = [
        -(const_value * 2 + 1) / 3,
        np.exp(-feed_value) * feed_value - feed_value,
        np.sqrt(np.square(const_value + 1) + 1) - (const_value + 1),
        np.maximum(const_value, feed_value) + np.minimum(const_value + 1, 2.0),
        np.log(const_value + 1) * np.exp(feed_value - 1),
    ]
    feed_copy = feed_value.copy()
    with tf.Session() as sess:
        sess.run(v.initializer)
        for _ in range(3):
            results = sess.run(chains, {x: feed_value})
            for result, want in zip(results, expected):
                np.testing.assert_allclose(result, want, rtol=1e-5)
        np.testing.assert_array_equal(sess.run(c), const_value)
        np.testing.assert_array_equal(sess.run(v), const_value + 1)
    np.testing.assert_array_equal(feed_value, feed_copy)


def test_fetched_values_are_copies():
    v = tf.Variable(np.zeros(3, np.float32))
    c = tf.constant([1.0, 2.0, 3.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        fetched = sess.run(v)
        fetched[0] = 42
        np.testing.assert_array_equal(sess.run(v), [0, 0, 0])
        const = sess.run(c)
        const[:] = 0
        np.testing.assert_array_equal(sess.run(c), [1, 2, 3])
        after_add = sess.run(v.assign_add([1.0, 1.0, 1.0]))
        after_add[:] = -5
        np.testing.assert_array_equal(sess.run(v), [1, 1, 1])
        assigned = sess.run(v.assign([7.0, 8.0, 9.0]))
        assigned[:] = 0
        np.testing.assert_array_equal(sess.run(v), [7, 8, 9])
        reshaped = sess.run(tf.reshape(v, [3, 1]))
        reshaped[:] = 0
        np.testing.assert_array_equal(sess.run(v), [7, 8, 9])
        before = sess.run(v)
        sess.run(v.assign_add([1.0, 1.0, 1.0]))
        np.testing.assert_array_equal(before, [7, 8, 9])  # an earlier fetch does not move


# -- variables -----------------------------------------------------------------------------------


def test_two_sessions_hold_separate_values():
    v = tf.Variable(3)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    with pytest.raises(tf.errors.FailedPreconditionError):
        s2.run(v)
    s2.run(v.initializer)
    s1.run(v.assign(10))
    v.load(20, session=s2)
    assert (s1.run(v), s2.run(v)) == (10, 20)
    s1.close()
    assert s2.run(v + 1) == 21
    s2.close()


def test_assign_ops():
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v.assign([5.0, 6.0])), [5, 6])
        np.testing.assert_array_equal(sess.run(v.assign_add([1.0, 1.0])), [6, 7])
        np.testing.assert_array_equal(sess.run(v.assign_sub([0.5, 2.0])), [5.5, 5])
        np.testing.assert_array_equal(sess.run(tf.assign(v, [0.0, 1.0])), [0, 1])
        np.testing.assert_array_equal(sess.run(tf.assign_add(v, [2.0, 2.0])), [2, 3])
        np.testing.assert_array_equal(sess.run(tf.assign_sub(v, [1.0, 1.0])), [1, 2])
        increment = v.assign_add([1.0, 1.0])
        for _ in range(3):
            sess.run(increment)
        np.testing.assert_array_equal(sess.run(v), [4, 5])
        assert sess.run(v).dtype == np.float32
    with pytest.raises(ValueError):
        v.assign([1.0, 2.0, 3.0])


def test_assign_with_a_fed_value():
    w = tf.Variable(tf.zeros([2, 2]))
    new = tf.placeholder(tf.float32, [2, 2])
    update = w.assign(new)
    value = np.array([[1, 2], [3, 4]], np.float32)
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(update, {new: value})
        value[0, 0] = 100  # the variable keeps its own copy
        np.testing.assert_array_equal(sess.run(w), [[1, 2], [3, 4]])


def test_variable_load():
    v = tf.Variable(tf.zeros([2]))
    with tf.Session() as sess:
        sess.run(v.initializer)
        v.load([3.0, 4.0], sess)
        np.testing.assert_array_equal(sess.run(v), [3.0, 4.0])
        with pytest.raises(ValueError):
            v.load([1.0, 2.0, 3.0], sess)
        with sess.as_default():
            v.load(np.array([5, 6]))
            np.testing.assert_array_equal(v.eval(), [5.0, 6.0])
    with pytest.raises(ValueError):
        v.load([1.0, 2.0])  # no default session


def test_initializers_and_collections():
    a = tf.Variable(1, name="a")
    b = tf.Variable(2.0, name="b", trainable=False)
    c = tf.Variable(tf.ones([2]), name="c")
    assert tf.global_variables() == [a, b, c]
    assert tf.trainable_variables() == [a, c]
    assert tf.get_default_graph().get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [a, b, c]
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([a, c]))
        assert sess.run(a) == 1
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(b)
        sess.run(tf.global_variables_initializer())
        assert sess.run(b) == 2.0
    assert tf.initialize_all_variables().type == "NoOp"


def test_variable_from_another_variable_and_properties():
    w = tf.Variable(tf.constant([[1.0, 2.0]]), name="w")
    assert w.dtype is tf.float32
    assert w.shape.as_list() == [1, 2]
    assert w.get_shape().as_list() == [1, 2]
    assert w.op.type == "VariableV2"
    assert repr(w) == "<tf.Variable 'w:0' shape=(1, 2) dtype=float32_ref>"
    doubled = tf.Variable(w.initial_value * 2)
    v64 = tf.Variable(1, dtype=tf.float64)
    assert v64.dtype is tf.float64
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(doubled), [[2.0, 4.0]])
        np.testing.assert_array_equal(sess.run(w @ tf.ones([2, 1])), [[3.0]])
        assert sess.run(v64) == 1.0 and sess.run(v64).dtype == np.float64


# -- default sessions --------------------------------------------------------------------------


def test_interactive_session_is_default_until_closed():
    assert tf.get_default_session() is None
    sess = tf.InteractiveSession()
    assert tf.get_default_session() is sess
    c = tf.constant(2) * 4
    assert c.eval() == 8
    v = tf.Variable(1)
    v.initializer.run()
    assert v.eval() == 1
    sess.close()
    assert tf.get_default_session() is None
    with pytest.raises(ValueError, match="No default session"):
        c.eval()


def test_with_session_is_default_and_closes():
    c = tf.constant(5)
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        assert c.eval() == 5
        with tf.Session() as inner:
            assert tf.get_default_session() is inner
        assert tf.get_default_session() is sess
        with pytest.raises(RuntimeError):
            inner.run(c)
    assert tf.get_default_session() is None
    with pytest.raises(RuntimeError):
        sess.run(c)


def test_with_session_of_another_graph_makes_that_graph_default(fresh_graph):
    g = tf.Graph()
    with tf.Session(graph=g) as sess:
        assert tf.get_default_graph() is g
        c = tf.constant(1)
        assert sess.run(c) == 1
    assert c.graph is g
    assert tf.get_default_graph() is fresh_graph


def test_as_default_keeps_the_session_open():
    c = tf.constant(7)
    sess = tf.Session()
    with sess.as_default():
        assert tf.get_default_session() is sess
        assert c.eval() == 7
    assert tf.get_default_session() is None
    assert sess.run(c) == 7
    sess.close()


def test_eval_and_run_with_an_explicit_session():
    x = tf.placeholder(tf.int32)
    y = x * 3
    v = tf.Variable(0)
    increment = v.assign_add(5).op
    s1, s2 = tf.Session(), tf.Session()
    assert y.eval({x: 2}, session=s1) == 6
    assert y.eval(feed_dict={x: [1, 2]}, session=s2).tolist() == [3, 6]
    v.initializer.run(session=s1)
    assert increment.run(session=s1) is None
    assert v.eval(session=s1) == 5
    with s2.as_default():
        assert y.eval({x: 4}, session=s1) == 12  # the explicit session wins
        with pytest.raises(tf.errors.FailedPreconditionError):
            v.eval()  # s2 never initialised v
    s1.close()
    s2.close()


def test_interactive_sessions_nest():
    first = tf.InteractiveSession()
    second = tf.InteractiveSession()
    assert tf.get_default_session() is second
    second.close()
    assert tf.get_default_session() is first
    first.close()
    assert ops.get_default_session() is None


# -- random ops ----------------------------------------------------------------------------------


def _random_graph():
    """A graph seeded at graph level with three random ops, two of them also seeded per op."""
    tf.set_random_seed(1234)
    return [
        tf.random_normal([3, 4]),
        tf.truncated_normal([50], stddev=0.5, seed=7),
        tf.random_uniform([5], minval=-2, maxval=3, seed=8),
    ]


def test_random_values_repeat_across_sessions_and_fresh_graphs():
    tensors = _random_graph()
    with tf.Session() as sess:
        first = sess.run(tensors)
        second = sess.run(tensors)
    with tf.Session() as sess:
        again = sess.run(tensors)
    tf.reset_default_graph()
    with tf.Session() as sess:
        rebuilt = sess.run(_random_graph())
    for a, b, c, d in zip(first, second, again, rebuilt):
        np.testing.assert_array_equal(a, c)  # a new session draws the same sequence
        np.testing.assert_array_equal(a, d)  # and so does the same graph built again
        assert not np.array_equal(a, b)  # successive runs draw new numbers


def test_op_seed_alone_repeats_and_different_ops_differ():
    a = tf.random_uniform([10], seed=3)
    b = tf.random_uniform([10], seed=3)
    c = tf.random_uniform([10], seed=4)
    with tf.Session() as sess:
        va, vb, vc = sess.run([a, b, c])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(a), va)
    np.testing.assert_array_equal(va, vb)  # same seeds, same numbers
    assert not np.array_equal(va, vc)


def test_graph_seed_gives_different_ops_different_numbers():
    tf.set_random_seed(0)
    a, b = tf.random_normal([10]), tf.random_normal([10])
    with tf.Session() as sess:
        va, vb = sess.run([a, b])
    assert not np.array_equal(va, vb)


def test_unseeded_random_ops_differ_between_sessions():
    a = tf.random_normal([20])
    with tf.Session() as s1, tf.Session() as s2:
        assert not np.array_equal(s1.run(a), s2.run(a))


def test_random_distributions():
    tf.set_random_seed(42)
    normal = tf.random_normal([20000], mean=1.0, stddev=2.0)
    truncated = tf.truncated_normal([20000], mean=-1.0, stddev=0.1)
    uniform = tf.random_uniform([20000], minval=-3, maxval=5)
    integers = tf.random_uniform([1000], minval=2, maxval=6, dtype=tf.int32)
    in_range = tf.random_uniform([2, 3])
    with tf.Session() as sess:
        n, t, u, i, r = sess.run([normal, truncated, uniform, integers, in_range])
    assert n.dtype == t.dtype == u.dtype == r.dtype == np.float32
    assert abs(n.mean() - 1.0) < 0.1 and abs(n.std() - 2.0) < 0.1
    assert np.all(np.abs(t + 1.0) <= 2 * 0.1 + 1e-6)
    assert abs(t.mean() + 1.0) < 0.01
    assert t.std() < 0.1  # truncation narrows the spread
    assert u.min() >= -3 and u.max() < 5 and abs(u.mean() - 1.0) < 0.1
    assert i.dtype == np.int32 and set(np.unique(i)) == {2, 3, 4, 5}
    assert r.shape == (2, 3) and r.min() >= 0 and r.max() < 1
    with pytest.raises(ValueError):
        tf.random_uniform([2], dtype=tf.int32)  # integers need a maxval


def test_random_initial_values_of_variables_repeat_with_a_seed():
    tf.set_random_seed(5)
    w = tf.Variable(tf.truncated_normal([4, 3], stddev=0.1))
    with tf.Session() as sess:
        sess.run(w.initializer)
        first = sess.run(w)
        sess.run(w.initializer)
        reinitialised = sess.run(w)
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(w), first)
    assert not np.array_equal(first, reinitialised)
    assert np.all(np.abs(first) <= 0.2 + 1e-7)


def test_variables_slice_like_tensors():
    value = np.arange(6, dtype=np.float32).reshape(2, 3)
    v = tf.Variable(value)
    row, column = v[1], v[:, 1:]
    assert row.shape.as_list() == [3] and column.shape.as_list() == [2, 2]
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(row), value[1])
        np.testing.assert_array_equal(sess.run(column), value[:, 1:])
        sess.run(v.assign_add(np.ones((2, 3), np.float32)))
        np.testing.assert_array_equal(sess.run(row), value[1] + 1)


def test_run_time_errors_are_raised_from_session_run_not_from_inside_the_engine():
    x = tf.placeholder(tf.float32, [None, 2])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.Session().run(x * 2.0)
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert frames[-1] == "run" and "plan.py" not in str(info.traceback)


@pytest.mark.parametrize("value", [2**40, [1, 2**40], -1])
def test_an_int_too_large_for_the_placeholder_is_a_type_error_as_in_tf(value):
    dtype = tf.uint8 if value == -1 else tf.int32
    x = tf.placeholder(dtype, name="count")
    with tf.Session() as sess, pytest.raises(TypeError) as raised:
        sess.run(x, {x: value})
    assert str(raised.value) == (
        f"Type of feed value {value!r} with type {type(value)} is not compatible with Tensor "
        f"type {dtype}. Try explicitly setting the type of the feed tensor to a larger type "
        "(e.g. int64). (feeding Tensor 'count:0')"
    )
