"""The execution plan reuses a dying input's buffer for an element-wise result (in place).
That must never change a value someone can still see: views, variables, feeds, fetches."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import tutorflow as tf
from tutorflow.client import plan as plan_module


def _count_forwarded(monkeypatch):
    """Counts the kernel calls that received an input buffer to overwrite."""
    calls = {"forwarded": 0}
    original = plan_module._forwardable

    def counting(*args):
        buffer = original(*args)
        calls["forwarded"] += buffer is not None
        return buffer

    monkeypatch.setattr(plan_module, "_forwardable", counting)
    return calls


def test_chain_of_elementwise_ops_runs_in_place_and_is_correct(monkeypatch):
    calls = _count_forwarded(monkeypatch)
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.nn.relu(tf.exp(x * 2.0) - 3.0)
    value = np.arange(8, dtype=np.float32).reshape(2, 4) / 8
    with tf.Session() as sess:
        got = sess.run(y, {x: value})
    np.testing.assert_allclose(got, np.maximum(np.exp(value * 2) - 3, 0), rtol=1e-6)
    # exp, sub and relu each overwrite the input that dies with them; the fed x is never reused
    assert calls["forwarded"] == 3
    np.testing.assert_array_equal(value, np.arange(8, dtype=np.float32).reshape(2, 4) / 8)


def test_a_live_view_keeps_its_base_from_being_overwritten():
    x = tf.placeholder(tf.float32, [2, 3])
    doubled = x * 2.0
    flat = tf.reshape(doubled, [6])  # a numpy view of `doubled`'s buffer
    squared = tf.square(doubled)  # doubled's last reader: it must not write into the view's base
    total = flat + tf.reshape(squared, [6])
    value = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session() as sess:
        got = sess.run(total, {x: value})
    np.testing.assert_allclose(got, (value * 2 + (value * 2) ** 2).ravel())


def test_variables_constants_and_fetched_values_are_never_overwritten():
    w = tf.Variable(np.ones([3], np.float32))
    c = tf.constant(np.full([3], 2.0, np.float32))
    middle = w * c
    out = tf.exp(middle) + tf.negative(w.value())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got_middle, got_out = sess.run([middle, out])
        np.testing.assert_array_equal(sess.run(w), np.ones(3))
        np.testing.assert_array_equal(sess.run(c), np.full(3, 2.0))
    np.testing.assert_array_equal(got_middle, np.full(3, 2.0))
    np.testing.assert_allclose(got_out, np.exp(2.0) - 1, rtol=1e-6)


def test_broadcast_inputs_are_not_used_as_output_buffers():
    small = tf.placeholder(tf.float32, [3])
    grown = tf.exp(small) + tf.ones([2, 3])  # exp's result dies here but is smaller than the sum
    with tf.Session() as sess:
        got = sess.run(grown, {small: np.zeros(3, np.float32)})
    np.testing.assert_array_equal(got, np.full([2, 3], 2.0))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(1, 3), max_size=3), min_size=1, max_size=3), st.data())
def test_a_result_shape_is_told_as_numpy_broadcasting_tells_it(shapes, data):
    arrays = [np.zeros(shape) for shape in shapes]
    candidate = data.draw(st.sampled_from(arrays)).shape
    try:
        expected = np.broadcast_shapes(*shapes) == candidate
    except ValueError:  # shapes that do not broadcast together never reach a kernel
        return
    assert plan_module._is_result_shape(candidate, arrays) == expected


def test_an_output_nothing_reads_is_dropped_where_it_is_made():
    logits = tf.placeholder(tf.float32, [None, 3])
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones([2, 3]) / 3, logits=logits)
    backprop = loss.op.outputs[1]  # TF's second output, which only the gradient reads
    with tf.Session() as sess:
        sess.run(loss, {logits: np.zeros((2, 3), np.float32)})
        (plan,) = sess._plans.values()
    (step,) = [step for step in plan.steps if step[0] is loss.op]
    _, _, _, (_, backprop_index), _, dropped, _ = step
    assert backprop_index == plan.index_of[backprop] and backprop_index in dropped


def test_floating_point_edge_cases_give_inf_and_nan_without_warnings(recwarn):
    x = tf.placeholder(tf.float32, [3])
    results = tf.Session().run([tf.log(x), x / 0.0, tf.sqrt(x - 1.0)], {x: [0.0, 1.0, -1.0]})
    np.testing.assert_array_equal(results[0][:2], [-np.inf, 0.0])
    assert np.isnan(results[0][2])
    np.testing.assert_array_equal(results[1], [np.nan, np.inf, -np.inf])
    np.testing.assert_array_equal(np.isnan(results[2]), [True, False, True])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
