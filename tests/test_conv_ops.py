"""tf.nn.conv2d / max_pool / avg_pool / dropout as graph ops: values against the numpy
reference kernels, static shapes, TF's argument checks, and dropout's statistics and seeds.
(Numerical gradient checks of these ops are in test_gradients.py.)"""

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import problems

import tutorflow as tf
from tutorflow import loops
from tutorflow.course import models
from tutorflow.loops import conv as conv_kernels
from tutorflow.loops import reference
from tutorflow.loops.padding import window

SETTINGS = settings(max_examples=25, deadline=None)


def _run(fetch, feed):
    with tf.Session() as sess:
        return sess.run(fetch, feed)


@SETTINGS
@given(problems())
def test_conv2d_matches_reference(p):
    c_out = 3
    filt = p.like(p.ksize + (p.x.shape[3], c_out))
    x = tf.placeholder(tf.as_dtype(p.x.dtype), [None, *p.x.shape[1:]])
    y = tf.nn.conv2d(x, tf.constant(filt), [1, *p.strides, 1], p.padding)
    got = _run(y, {x: p.x})
    expected = reference.conv2d(p.x, filt, p.strides, p.padding)
    tol = 1e-4 if p.x.dtype == np.float32 else 1e-10
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)
    assert y.shape.as_list() == [None, *expected.shape[1:]]
    assert got.dtype == p.x.dtype
    tf.reset_default_graph()


@SETTINGS
@given(problems())
def test_pools_match_reference(p):
    x = tf.placeholder(tf.as_dtype(p.x.dtype), p.x.shape)
    ksize, strides = [1, *p.ksize, 1], [1, *p.strides, 1]
    pools = (
        tf.nn.max_pool(x, ksize, strides, p.padding),
        tf.nn.avg_pool(x, ksize, strides, p.padding),
    )
    got_max, got_avg = _run(pools, {x: p.x})
    np.testing.assert_array_equal(got_max, reference.max_pool(p.x, p.ksize, p.strides, p.padding))
    expected_avg = reference.avg_pool(p.x, p.ksize, p.strides, p.padding)
    np.testing.assert_allclose(got_avg, expected_avg, rtol=1e-5, atol=1e-6)
    assert pools[0].shape.as_list() == list(expected_avg.shape)
    tf.reset_default_graph()


def test_seed_lenet_shapes_are_inferred():
    x = tf.placeholder(tf.float32, [None, 784])
    x_image = tf.reshape(x, [-1, 28, 28, 1])
    w = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))
    h = tf.nn.relu(tf.nn.conv2d(x_image, w, strides=[1, 1, 1, 1], padding="SAME"))
    pooled = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    assert str(pooled) == 'Tensor("MaxPool:0", shape=(?, 14, 14, 32), dtype=float32)'
    strided = tf.nn.conv2d(x_image, w, strides=[1, 2, 2, 1], padding="VALID")
    assert strided.shape.as_list() == [None, 12, 12, 32]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"strides": [1, 1, 1]}, "strides must have 4 elements"),
        ({"strides": [2, 1, 1, 1]}, "batch and depth dimensions"),
        ({"padding": "FULL"}, "padding must be 'SAME' or 'VALID'"),
        ({"data_format": "NCHW"}, "only data_format='NHWC'"),
    ],
)
def test_conv2d_rejects_bad_arguments(kwargs, message):
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    w = tf.zeros([5, 5, 1, 4])
    args = {"strides": [1, 1, 1, 1], "padding": "SAME", **kwargs}
    with pytest.raises(ValueError, match=message):
        tf.nn.conv2d(x, w, **args)


def test_conv2d_names_mismatched_channels_and_ranks():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    with pytest.raises(
        ValueError, match=r"Dimensions must be equal, but are 1 and 3 .*\[\?,28,28,1\], \[5,5,3,8\]"
    ):
        tf.nn.conv2d(x, tf.zeros([5, 5, 3, 8]), [1, 1, 1, 1], "SAME")
    flat = tf.placeholder(tf.float32, [None, 784], name="flat")
    with pytest.raises(ValueError, match="rank 4 but is rank 2 .*'flat:0'"):
        tf.nn.max_pool(flat, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")


def test_conv2d_too_small_input_fails_at_run_time_naming_the_node():
    x = tf.placeholder(tf.float32, [None, None, None, 1])
    y = tf.nn.conv2d(x, tf.zeros([5, 5, 1, 2]), [1, 1, 1, 1], "VALID", name="conv")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"conv \(Conv2D\)"):
        _run(y, {x: np.zeros((1, 3, 3, 1))})


def test_dropout_keeps_a_fraction_and_rescales():
    x = tf.ones([200, 500])
    keep_prob = tf.placeholder(tf.float32)
    dropped = tf.nn.dropout(x, keep_prob)
    with tf.Session() as sess:
        half = sess.run(dropped, {keep_prob: 0.5})
        full = sess.run(dropped, {keep_prob: 1.0})
    assert set(np.unique(half)) == {0.0, 2.0}  # kept units scaled by 1 / keep_prob
    assert abs((half > 0).mean() - 0.5) < 0.01  # 100,000 draws: std of the mean ~ 0.0016
    np.testing.assert_array_equal(full, np.ones([200, 500]))


def test_dropout_is_repeatable_with_seeds_and_differs_between_runs():
    def masks():
        tf.reset_default_graph()
        tf.set_random_seed(7)
        dropped = tf.nn.dropout(tf.ones([1000]), 0.5)
        with tf.Session() as sess:
            return sess.run(dropped), sess.run(dropped)

    first, second = masks()
    again, _ = masks()
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, second)


def test_uniform_draws_are_whole_steps_below_one_as_in_tf():
    # numpy's float32 draws can be 1 - 2**-24, and 1.0 + that rounds to 2.0: dropout at
    # keep_prob 1.0 (floor(keep_prob + u)) would then keep a unit twice over.
    for dtype, step in [(tf.float32, 2.0**-23), (tf.float64, 2.0**-52)]:
        u = tf.Session().run(tf.random_uniform([100_000], dtype=dtype, seed=1))
        assert 0 <= u.min() and u.max() <= 1 - step and np.all(np.floor(u / step) == u / step)
        largest = u.dtype.type(1 - step)
        assert np.floor(u.dtype.type(1.0) + largest) == 1


def test_dropout_rejects_bad_keep_prob_and_integer_input():
    with pytest.raises(ValueError, match=r"range \(0, 1\]"):
        tf.nn.dropout(tf.ones([3]), 1.5)
    with pytest.raises(ValueError, match="floating point tensor"):
        tf.nn.dropout(tf.ones([3], tf.int32), 0.5)


class LoopCalls:
    """Records what the convolution kernels pass to ``tutorflow.loops``."""

    def __init__(self, monkeypatch):
        self.calls = []
        for name in ("conv2d", "conv2d_backprop_input", "conv2d_backprop_filter"):
            monkeypatch.setattr(loops, name, self._spy(name, getattr(loops, name)))

    def _spy(self, name, function):
        def spy(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return function(*args, **kwargs)

        return spy

    def of(self, name):
        return [(args, kwargs) for called, args, kwargs in self.calls if called == name]


def _conv_and_gradients(x_shape, w_shape, strides, seed=3):
    rng = np.random.default_rng(seed)
    x_value, w_value = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    x = tf.placeholder(tf.float64, [None, *x_shape[1:]])
    w = tf.constant(w_value)
    y = tf.nn.conv2d(x, w, [1, *strides, 1], "SAME")
    dx, dw = tf.gradients(tf.reduce_sum(y * y), [x, w])
    return x, x_value, w_value, y, dx, dw


@pytest.mark.parametrize(
    "budget, x_shape, w_shape, strides, x_workspace_shape, dy_workspace_shape, transformed",
    [  # a small batch keeps its workspaces; a big one, cut into chunks, does not
        (None, (3, 6, 5, 2), (3, 3, 2, 4), (2, 1), (3 * 3 * 5, 18), None, False),  # im2col
        (1, (3, 6, 5, 2), (3, 3, 2, 4), (2, 1), None, None, False),
        (None, (3, 8, 8, 16), (5, 5, 16, 16), (1, 1), (6 * 10, 32, 3), (6 * 10, 32, 3), True),
        (1, (3, 8, 8, 16), (5, 5, 16, 16), (1, 1), None, None, True),  # in chunks: filter shared
    ],
)
def test_gradients_reuse_the_forward_workspaces_inside_the_run(
    budget,
    x_shape,
    w_shape,
    strides,
    x_workspace_shape,
    dy_workspace_shape,
    transformed,
    monkeypatch,
):
    if budget is not None:
        monkeypatch.setattr(conv_kernels, "CHUNK_BYTES", budget)
    x, x_value, w_value, y, dx, dw = _conv_and_gradients(x_shape, w_shape, strides)
    assert [t.op.type for t in dw.op.inputs[:2]] == ["Placeholder", "Shape"]
    assert len(dw.op.inputs) == len(dx.op.inputs) == 3 and len(y.op.outputs) == 1  # TF's ops
    calls = LoopCalls(monkeypatch)
    with tf.Session() as sess:
        got_y, got_dx, got_dw = sess.run([y, dx, dw], {x: x_value})
        (plan,) = sess._plans.values()
        assert plan.state.workspaces == {}  # nothing outlives the run
    expected_dx = reference.conv2d_backprop_input(2 * got_y, w_value, x_shape, strides, "SAME")
    expected_dw = reference.conv2d_backprop_filter(x_value, 2 * got_y, w_shape, strides, "SAME")
    for got, expected in [(got_dx, expected_dx), (got_dw, expected_dw)]:
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12 * abs(expected).max())
    ((_, forward_kwargs),) = calls.of("conv2d")
    assert forward_kwargs.pop("keep_workspace") is True  # a filter gradient runs later
    filter_workspace = forward_kwargs.pop("filter_workspace")
    assert forward_kwargs == {}
    if transformed:  # the filter's spectrum, (F, 2C, C_out) twice: the same for any batch
        assert [part.shape for part in filter_workspace] == [(6 * 10, 32, 16)] * 2
    else:
        assert filter_workspace is None
    ((filter_args, _),) = calls.of("conv2d_backprop_filter")
    ((input_args, _),) = calls.of("conv2d_backprop_input")
    x_workspace, dy_workspace = filter_args[5:]
    assert _shape(x_workspace) == x_workspace_shape
    assert _shape(dy_workspace) == dy_workspace_shape
    assert input_args[5] is dy_workspace  # dy transformed once, for both gradients
    assert input_args[6] is filter_workspace  # the filter transformed once, for both passes


def _shape(workspace):
    return None if workspace is None else workspace.shape


def test_evaluation_keeps_no_workspace(monkeypatch):
    x, x_value, _, y, _, _ = _conv_and_gradients((3, 8, 8, 16), (5, 5, 16, 16), (1, 1))
    calls = LoopCalls(monkeypatch)
    with tf.Session() as sess:
        sess.run(y, {x: x_value})  # the gradients exist in the graph, but this run skips them
    ((_, forward_kwargs),) = calls.of("conv2d")
    assert forward_kwargs == {"filter_workspace": None}  # no input gradient to share it with


def test_a_run_that_fails_between_forward_and_gradient_leaves_no_workspace():
    x = tf.placeholder(tf.float64, [None, 8, 8, 16])
    w = tf.constant(np.ones((5, 5, 16, 16)))
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    checked = tf.check_numerics(y * np.nan, "y")  # runs after the forward pass, fails
    (dw,) = tf.gradients(tf.reduce_sum(y), [w])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="y : Tensor had NaN"):
            sess.run([checked, dw], {x: np.ones((3, 8, 8, 16))})
        (plan,) = sess._plans.values()
        assert plan.state.workspaces == {}


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_fourier_and_im2col_paths_give_the_same_values(padding, monkeypatch):
    rng = np.random.default_rng(5)
    x_value, w_value = rng.standard_normal((2, 14, 13, 32)), rng.standard_normal((5, 5, 32, 64))
    x = tf.placeholder(tf.float64, [None, 14, 13, 32])  # LeNet's conv2, one column narrower
    w = tf.constant(w_value)
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], padding)
    dx, dw = tf.gradients(tf.reduce_sum(tf.tanh(y)), [x, w])

    def run():
        with tf.Session() as sess:
            return sess.run([y, dx, dw], {x: x_value})

    periods = conv_kernels._spectral_periods(x_value.shape, 64, _window(x_value, w_value, padding))
    assert periods is not None  # this layer goes through the Fourier transform by default
    fourier = run()
    monkeypatch.setattr(conv_kernels, "_spectral_periods", lambda *args: None)
    im2col = run()
    for got, expected in zip(fourier, im2col):
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-11 * abs(expected).max())


def _window(x, w, padding):
    return window("conv2d", x.shape[1:3], w.shape[:2], (1, 1), padding)


def test_gradients_add_no_zeros_for_outputs_nothing_reads():
    x = tf.placeholder(tf.float32, [None, 4, 4, 1])
    w = tf.Variable(tf.ones([2, 2, 1, 1]))
    tf.gradients(tf.reduce_sum(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")), [w])
    assert "ZerosLike" not in {op.type for op in tf.get_default_graph().get_operations()}


def test_lenet5_and_its_gradients_hold_tf_ops_only():
    """A learner's graph shows TF's convolution ops and nothing the engine adds for speed."""
    with tf.Graph().as_default() as graph:
        models.lenet5()  # the seed's LeNet-5 with Adam's training step
    convs = [op for op in graph.get_operations() if "Conv2D" in op.type]
    assert sorted({op.type for op in convs}) == [
        "Conv2D",
        "Conv2DBackpropFilter",
        "Conv2DBackpropInput",
    ]
    assert len(convs) == 2 * 3  # each layer: its Conv2D and the two gradients TF builds
    for op in convs:
        assert len(op.outputs) == 1 and len(op.inputs) == (2 if op.type == "Conv2D" else 3)
    assert not [op.type for op in graph.get_operations() if "orkspace" in op.type]
    for node in graph.as_graph_def().node:  # what TensorBoard draws
        assert not [name for name in node.input if "Conv2D" in name and ":" in name]
