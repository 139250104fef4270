"""The engine opened to learners: timelines of a traced run, gradient overrides, ops defined
from Python and tf.test's gradient checker (issue 14)."""

from __future__ import annotations

import doctest
import inspect
import json

import numpy as np
import pytest

import tutorflow as tf
from tutorflow.client import fetches
from tutorflow.framework import graph, registry, user_ops
from tutorflow.python.client import timeline
from tutorflow.test import gradient_checker


@pytest.fixture
def scratch_registry():
    """Ops and gradients registered by a test leave the registry as they found it."""
    ops, named = dict(registry._REGISTRY), dict(registry._NAMED_GRADIENTS)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(ops)
    registry._NAMED_GRADIENTS.clear()
    registry._NAMED_GRADIENTS.update(named)


# -- timeline ---------------------------------------------------------------------------------


def _traced_product():
    """The graph of ``total = reduce_sum(a @ a)`` and the metadata of one traced run of it."""
    with tf.Graph().as_default() as graph:
        a = tf.placeholder(tf.float32, [2, 2], name="a")
        total = tf.reduce_sum(tf.matmul(a, a, name="product"), name="total")
        options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        metadata = tf.RunMetadata()
        with tf.Session() as sess:
            sess.run(total, {a: np.ones((2, 2))}, options=options, run_metadata=metadata)
    return graph, metadata


def test_timeline_has_one_complete_event_per_op_run():
    _, metadata = _traced_product()
    trace = json.loads(timeline.Timeline(metadata.step_stats).generate_chrome_trace_format())
    ops = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    ran = [n.node_name for d in metadata.step_stats.dev_stats for n in d.node_stats]
    assert sorted(e["args"]["name"] for e in ops) == sorted(ran)
    assert {"product", "total"} <= set(ran)
    by_name = {e["args"]["name"]: e for e in ops}
    assert by_name["product"]["name"] == by_name["product"]["args"]["op"] == "MatMul"
    assert by_name["product"]["args"]["input0"] == by_name["product"]["args"]["input1"] == "a"
    assert all(e["dur"] > 0 and e["ts"] > 0 for e in ops)
    assert by_name["product"]["ts"] <= by_name["total"]["ts"]
    names = [e for e in trace["traceEvents"] if e["ph"] == "M"]
    assert names[0]["args"]["name"].endswith("device:CPU:0 Compute")
    assert {e["pid"] for e in ops} == {names[0]["pid"]}


def test_timeline_draws_dataflow_arrows_as_tf_does_and_takes_tfs_arguments():
    graph, metadata = _traced_product()
    made = timeline.Timeline(metadata.step_stats, graph=graph)
    events = json.loads(made.generate_chrome_trace_format(show_memory=True))["traceEvents"]
    ops = {e["args"]["name"]: e for e in events if e["ph"] == "X"}
    starts = {e["id"]: e for e in events if e["ph"] == "s"}
    steps = {e["id"]: e for e in events if e["ph"] == "t"}
    assert starts.keys() == steps.keys() and starts  # every arrow has both ends
    arrows = {(starts[i]["name"], starts[i]["ts"], steps[i]["ts"]) for i in starts}
    # product's output goes to total (it may be read through an input index of 0); the fed
    # placeholder "a" produced nothing in this run, so no arrow starts there
    assert any(
        n.startswith("product") and s == ops["product"]["ts"] and t == ops["total"]["ts"]
        for n, s, t in arrows
    )
    assert not any(n.split(":")[0] == "a" for n, _, _ in arrows)
    plain = json.loads(made.generate_chrome_trace_format(show_dataflow=False))["traceEvents"]
    assert {e["ph"] for e in plain} == {"M", "X"}


def test_timeline_of_an_untraced_run_is_empty():
    metadata = tf.RunMetadata()
    trace = json.loads(timeline.Timeline(metadata.step_stats).generate_chrome_trace_format())
    assert trace == {"traceEvents": []}


# -- RegisterGradient and gradient_override_map --------------------------------------------------


def test_override_map_changes_the_gradient_only_inside_the_context(scratch_registry):
    @tf.RegisterGradient("ReluPassesEverythingForTest")
    def _straight_through(op, grad):
        return [grad]

    g = tf.Graph()
    with g.as_default():
        x = tf.constant([-1.0, 2.0])
        with g.gradient_override_map({"Relu": "ReluPassesEverythingForTest"}):
            inside = tf.nn.relu(x)
        outside = tf.nn.relu(x)
        grad_inside, grad_outside = tf.gradients([inside], [x]) + tf.gradients([outside], [x])
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(grad_inside), [1.0, 1.0])
            np.testing.assert_array_equal(sess.run(grad_outside), [0.0, 1.0])
    assert g._gradient_override_map == {}


def test_override_map_can_name_another_op_types_gradient():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant([3.0])
        with g.gradient_override_map({"Square": "Identity"}):
            y = tf.square(x)
        (grad,) = tf.gradients(y, x)
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(grad), [1.0])


def test_override_to_an_unregistered_name_raises_lookup_error():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant([3.0])
        with g.gradient_override_map({"Square": "NoSuchGradientForTest"}):
            y = tf.square(x)
        with pytest.raises(LookupError, match="No gradient defined for operation 'Square'"):
            tf.gradients(y, x)


def test_override_map_takes_only_strings():
    override = tf.Graph().gradient_override_map({"Relu": tf.nn.relu})
    with pytest.raises(TypeError, match="must be strings"):
        override.__enter__()


def test_registering_a_gradient_twice_raises_key_error(scratch_registry):
    tf.RegisterGradient("TwiceForTest")(lambda op, grad: [grad])
    with pytest.raises(KeyError, match="Registering two gradient with name 'TwiceForTest'"):
        tf.RegisterGradient("TwiceForTest")(lambda op, grad: [grad])
    with pytest.raises(KeyError, match="'Relu'"):  # a built-in op type has its gradient
        tf.RegisterGradient("Relu")(lambda op, grad: [grad])


# -- ops defined from Python, checked by tf.test ------------------------------------------------


def _leaky_relu_kernel(op, x):
    return np.where(x > 0, x, 0.2 * x)


def _leaky_relu_grad(op, grad):
    return [tf.where(op.inputs[0] > 0, grad, 0.2 * grad)]


def _wrong_leaky_relu_grad(op, grad):
    return [grad]  # forgets the slope 0.2 on the negative side


def _leaky_relu_error(build):
    values = np.array([[-1.5, -0.3, 0.4], [0.7, -2.0, 1.1]])
    with tf.Graph().as_default(), tf.Session():
        x = tf.placeholder(tf.float64, [2, 3])
        y = build(x)
        assert y.op.type.startswith("LeakyReluForTest") and y.shape.as_list() == [2, 3]
        return tf.test.compute_gradient_error(x, [2, 3], y, [2, 3], x_init_value=values)


def test_user_defined_op_runs_and_its_gradient_checks(scratch_registry):
    leaky_relu = tf.register_op("LeakyReluForTest", _leaky_relu_kernel, _leaky_relu_grad)
    with tf.Graph().as_default(), tf.Session() as sess:
        y = leaky_relu(tf.constant([-1.0, 2.0]), name="leaky")
        assert y.name == "leaky:0" and y.dtype == tf.float32
        np.testing.assert_allclose(sess.run(y), [-0.2, 2.0])
    assert _leaky_relu_error(leaky_relu) < 1e-3


def test_a_wrong_gradient_gives_a_large_error(scratch_registry):
    wrong = tf.register_op("LeakyReluForTestWrong", _leaky_relu_kernel, _wrong_leaky_relu_grad)
    assert _leaky_relu_error(wrong) == pytest.approx(0.8)


def test_register_op_refuses_a_taken_op_type(scratch_registry):
    with pytest.raises(KeyError, match="'Relu' is already registered: it is one of tutorflow"):
        tf.register_op("Relu", _leaky_relu_kernel)
    with pytest.raises(KeyError, match="cannot be replaced"):
        tf.register_op("Relu", _leaky_relu_kernel, replace=True)
    tf.register_op("LeakyReluForTestTwice", _leaky_relu_kernel)
    with pytest.raises(KeyError, match="did this cell run before.*replace=True"):
        tf.register_op("LeakyReluForTestTwice", _leaky_relu_kernel)


def test_replace_gives_a_user_op_its_new_kernel_and_gradient(scratch_registry):
    tf.register_op("LeakyReluForTestReplaced", _leaky_relu_kernel, _wrong_leaky_relu_grad)
    fixed = tf.register_op(
        "LeakyReluForTestReplaced",
        lambda op, x: np.maximum(x, 0.5 * x),
        _leaky_relu_grad,
        takes=(tf.float64,),
        replace=True,
    )
    opdef = registry.lookup("LeakyReluForTestReplaced")
    assert opdef.gradient is _leaky_relu_grad and opdef.takes == (tf.float64,)
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant([-2.0, 4.0], tf.float64)
        y = fixed(x)
        np.testing.assert_allclose(sess.run([y, tf.gradients(y, x)[0]]), [[-1, 4], [0.2, 1]])
    without_gradient = tf.register_op("LeakyReluForTestReplaced", _leaky_relu_kernel, replace=True)
    with tf.Graph().as_default():
        x = tf.constant([1.0])
        with pytest.raises(LookupError, match="No gradient defined"):
            tf.gradients(without_gradient(x), x)


def test_a_kernel_that_changes_the_dtype_fails_the_run(scratch_registry):
    upcast = tf.register_op("UpcastForTest", lambda op, x: x.astype(np.float64))
    with tf.Graph().as_default(), tf.Session() as sess:
        y = upcast(tf.constant([1.0]))
        with pytest.raises(
            tf.errors.InvalidArgumentError,
            match="returned float64 values, but its output 'UpcastForTest:0' is float32",
        ):
            sess.run(y)


def test_the_registry_shows_the_users_own_kernel_source(scratch_registry):
    tf.register_op("LeakyReluForTestSource", _leaky_relu_kernel)
    kernel = registry.lookup("LeakyReluForTestSource").kernel
    assert kernel.__name__ == "_leaky_relu_kernel"
    assert "np.where(x > 0, x, 0.2 * x)" in inspect.getsource(kernel)


def test_compute_gradient_gives_both_jacobians():
    with tf.Graph().as_default(), tf.Session():
        x = tf.placeholder(tf.float32, [3])
        w = tf.placeholder(tf.float32, [3])
        y = tf.reduce_sum(x * w)
        pairs = tf.test.compute_gradient([x, w], [[3], [3]], y, [], [[1, 2, 3], [4, 5, 6]])
    (tx, nx), (tw, nw) = pairs
    np.testing.assert_allclose(tx, [[4], [5], [6]])
    np.testing.assert_allclose(tw, [[1], [2], [3]])
    np.testing.assert_allclose(nx, tx, rtol=1e-2)
    np.testing.assert_allclose(nw, tw, rtol=1e-2)


def test_compute_gradient_error_needs_a_default_session():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [2])
        with pytest.raises(ValueError, match="default session"):
            tf.test.compute_gradient_error(x, [2], x * 2, [2])


def test_compute_gradient_error_checks_shapes():
    with tf.Graph().as_default(), tf.Session():
        x = tf.placeholder(tf.float64, [2])
        with pytest.raises(ValueError, match="incompatible with \\[3\\]"):
            tf.test.compute_gradient_error(x, [3], x * 2, [3])
        with pytest.raises(ValueError, match="x_init_value has shape \\(3,\\)"):
            tf.test.compute_gradient_error(x, [2], x * 2, [2], x_init_value=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("module", [user_ops, gradient_checker, graph, fetches])
def test_docstring_examples_run(module, scratch_registry):
    assert doctest.testmod(module).failed == 0
