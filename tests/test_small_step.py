"""The shortcuts that make a small training step cheap (issue 18) give what the general code
gives, bit for bit, and raise its errors. Each is checked against the numpy calls it stands
for: the kernels' former code, written out here as the reference. The fused cross-entropy's
own loop (loops/softmax.py) rounds differently: it matches within a few units in the last
place, with its NaNs and infinities in the same places."""

import numpy as np
import pytest

import tutorflow as tf
from tutorflow import loops
from tutorflow.client.fetches import fed_tensor
from tutorflow.framework.errors import InvalidArgumentError
from tutorflow.ops import training_ops

rng = np.random.default_rng(18)


def assert_same(got, expected):
    """The same dtype, shape and bytes (NaNs and the sign of zeros included)."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert (got.dtype, got.shape) == (expected.dtype, expected.shape)
    assert got.tobytes() == expected.tobytes(), (got, expected)


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


# -- the softmax family: the row's largest value picked by argmax ------------------------------


def awkward_logits(dtype, rows=40, classes=10):
    """Random logits, and rows that test the row maximum: ties, both zeros, NaN, infinities."""
    x = rng.standard_normal((rows, classes)) * 30
    x[0] = 0.0
    x[1, ::2], x[1, 1::2] = -0.0, -5.0
    x[2, 3] = np.nan
    x[3, 7] = np.inf
    x[4] = -np.inf
    x[5] = 3.5  # all tied
    x[6, [2, 8]] = 1e30
    return x.astype(dtype)


def reference_parts(logits):
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=-1, keepdims=True), shifted, exps


def reference_xent(logits, labels):
    probabilities, shifted, exps = reference_parts(logits)
    log_probabilities = shifted - np.log(np.sum(exps, axis=-1, keepdims=True))
    return 0.0 - np.sum(labels * log_probabilities, axis=-1), probabilities - labels


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(40, 10), (40, 1), (3, 4, 5), (7,)])
def test_softmax_family_matches_the_max_based_code(dtype, shape):
    logits = awkward_logits(dtype) if shape == (40, 10) else rng.normal(size=shape).astype(dtype)
    labels = np.abs(rng.normal(size=shape)).astype(dtype)
    x, y = tf.placeholder(dtype), tf.placeholder(dtype)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x)
    backprop = loss.op.outputs[1]
    fetches = [tf.nn.softmax(x), tf.nn.log_softmax(x), loss, backprop]
    with np.errstate(all="ignore"):
        probabilities, shifted, exps = reference_parts(logits)
        log_softmax = shifted - np.log(np.sum(exps, axis=-1, keepdims=True))
        expected = [probabilities, log_softmax, *reference_xent(logits, labels)]
    got = run(fetches, {x: logits, y: labels})
    for value, want in zip(got[:2], expected[:2]):
        assert_same(value, want)
    tol = 1e-6 if dtype == np.float32 else 1e-14
    for value, want in zip(got[2:], expected[2:]):  # the fused op's own loop
        assert value.dtype == want.dtype
        np.testing.assert_allclose(value, want, rtol=tol, atol=tol)


def test_sparse_cross_entropy_matches_the_max_based_code():
    logits = awkward_logits(np.float32)
    labels = rng.integers(0, 10, len(logits)).astype(np.int32)
    x, y = tf.placeholder(tf.float32, [None, 10]), tf.placeholder(tf.int32, [None])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x)
    with np.errstate(all="ignore"):
        probabilities, shifted, exps = reference_parts(logits)
        rows = np.arange(len(labels))
        expected_loss = np.log(np.sum(exps, axis=-1)) - shifted[rows, labels]
        expected_backprop = probabilities.copy()
        expected_backprop[rows, labels] -= 1
    got_loss, got_backprop = run([loss, loss.op.outputs[1]], {x: logits, y: labels})
    assert_same(got_loss, expected_loss)
    assert_same(got_backprop, expected_backprop)


def test_softmax_of_no_classes_raises_numpys_error_as_before():
    x = tf.placeholder(tf.float32)
    with pytest.raises(InvalidArgumentError, match="zero-size array to reduction operation"):
        run(tf.nn.softmax(x), {x: np.zeros((3, 0), np.float32)})


# -- Mean: numpy's own sum and division, without np.mean's Python ------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "axis, keepdims", [(None, False), (None, True), (0, False), (-1, True), ([0, 2], False)]
)
def test_mean_matches_np_mean(dtype, axis, keepdims):
    values = (rng.normal(size=(6, 5, 4)) * 100).astype(dtype)
    x = tf.placeholder(dtype, [None, 5, 4])
    axes = None if axis is None else tuple(np.atleast_1d(axis))
    expected = np.mean(values, axis=axes, keepdims=keepdims)
    got = run(tf.reduce_mean(x, axis=axis, keepdims=keepdims), {x: values})
    assert_same(got, expected)
    assert type(got) is type(expected)  # a numpy scalar for a mean of everything


def test_mean_of_nothing_is_nan_as_before():
    x = tf.placeholder(tf.float32, [None])
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        assert np.isnan(run(tf.reduce_mean(x), {x: np.zeros(0, np.float32)}))


# -- ExpandDims: np.expand_dims's reshape -------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 1, 3)])
def test_expand_dims_matches_numpy_at_every_axis(shape):
    values = rng.normal(size=shape).astype(np.float32)
    x = tf.placeholder(tf.float32)  # rank unknown: the kernel alone handles the axis
    for axis in range(-len(shape) - 1, len(shape) + 1):
        assert_same(run(tf.expand_dims(x, axis), {x: values}), np.expand_dims(values, axis))


@pytest.mark.parametrize("axis", [3, -4])
def test_expand_dims_out_of_range_raises_numpys_error(axis):
    values = np.zeros((2, 3), np.float32)
    x = tf.placeholder(tf.float32)
    with pytest.raises(np.exceptions.AxisError) as numpy_error:
        np.expand_dims(values, axis)
    with pytest.raises(InvalidArgumentError) as ours:
        run(tf.expand_dims(x, axis), {x: values})
    assert str(numpy_error.value) in str(ours.value)


# -- BroadcastToShapeOf: a scalar gradient filled in --------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_scalar_gradient_spreads_as_np_broadcast_to(dtype):
    values = rng.normal(size=(4, 3)).astype(dtype)
    x = tf.placeholder(dtype, [None, 3])
    (spread,) = tf.gradients(tf.reduce_sum(x), x)
    (averaged,) = tf.gradients(tf.reduce_mean(x), x)
    got_spread, got_averaged = run([spread, averaged], {x: values})
    assert_same(got_spread, np.broadcast_to(np.ones((), dtype), values.shape))
    assert_same(got_averaged, np.broadcast_to(np.ones((), dtype), values.shape) / dtype(12))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_mean_of_everything_divides_its_gradient_by_the_size_alone(dtype):
    values = rng.normal(size=(7, 3)).astype(dtype)
    x = tf.placeholder(dtype, [None, 3])
    (grad,) = tf.gradients(tf.reduce_mean(x), x)
    assert [op.type for op in tf.get_default_graph().get_operations()].count("Size") == 1
    size = dtype(values.size)
    assert_same(run(grad, {x: values}), np.ones_like(values) / (size / dtype(1)))


# -- ApplyGradientDescent: one numpy call for a small variable ----------------------------------


def _descend(initial, lr, grad):
    """One ApplyGradientDescent step of a variable starting at ``initial``; its new value."""
    var = tf.Variable(initial)
    step = training_ops.apply_gradient_descent(var._ref, lr, grad)
    with tf.Session() as sess:
        sess.run(var.initializer)
        sess.run(step)
        return sess.run(var)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [1, 10, 7840, training_ops._ONE_NUMPY_CALL_BELOW - 1])
def test_small_variables_descend_as_the_compiled_loop(dtype, size):
    initial = rng.normal(size=size).astype(dtype)
    grad = rng.normal(size=size)  # float64: converted to the variable's dtype first
    lr = np.float64(0.37)
    expected = initial.copy()
    loops.sgd_update(expected, grad.astype(dtype), lr)
    assert_same(_descend(initial, lr, grad), expected)


@pytest.mark.parametrize("size", [12, training_ops._ONE_NUMPY_CALL_BELOW + 12])
def test_a_gradient_of_any_layout_descends_as_a_contiguous_one(size):
    initial = rng.normal(size=(size // 4, 4)).astype(np.float32)
    grad = rng.normal(size=(4, size // 4)).astype(np.float32).T  # Fortran order
    read_only = np.ascontiguousarray(grad)
    read_only.flags.writeable = False
    expected = _descend(initial, 0.5, np.ascontiguousarray(grad))
    g = tf.placeholder(tf.float32, initial.shape)
    for fed in (grad, read_only):
        var = tf.Variable(initial)
        step = training_ops.apply_gradient_descent(var._ref, 0.5, g)
        with tf.Session() as sess:
            sess.run(var.initializer)
            sess.run(step, {g: fed})
            assert_same(sess.run(var), expected)


def test_a_gradient_of_another_shape_raises_as_before():
    with pytest.raises(InvalidArgumentError, match=r"same shape: \[4\] \[1\]"):
        _descend(np.zeros(4, np.float32), 0.5, np.ones(1, np.float32))


def test_a_variable_the_loop_refuses_still_gets_the_loops_error():
    with pytest.raises(InvalidArgumentError, match="must be a float32 or float64 array"):
        _descend(np.zeros(4, np.int32), 1, np.ones(4, np.int32))


# -- feeds: the usual key, a tensor of the session's graph, taken as it is ----------------------


def test_feed_keys_name_the_same_tensor_however_given():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    graph = tf.get_default_graph()
    assert fed_tensor(graph, x) is fed_tensor(graph, "x:0") is x
    with tf.Graph().as_default(), pytest.raises(TypeError, match="not an element of this graph"):
        fed_tensor(tf.get_default_graph(), x)
    with pytest.raises(TypeError, match="is an Operation"):
        fed_tensor(graph, x.op)


def test_feeds_convert_check_and_accept_any_layout():
    x = tf.placeholder(tf.float32, [None, 3])
    doubled = x * 2.0
    values = rng.normal(size=(6, 4))  # float64
    strided = values[::2, 1:]  # neither contiguous nor float32
    expected = np.ascontiguousarray(strided, np.float32) * np.float32(2)
    assert_same(run(doubled, {x: strided}), expected)
    assert_same(run(doubled, {x: strided.tolist()}), expected)
    assert_same(run(doubled, {x: np.asfortranarray(strided, np.float32)}), expected)
    with pytest.raises(ValueError, match=r"Cannot feed value of shape \(6, 4\) for Tensor"):
        run(doubled, {x: values})
