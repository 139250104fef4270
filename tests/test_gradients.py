"""Every differentiable op's gradient against finite differences, and the rules of tf.gradients.

``OP_CASES`` maps each op type to the cases that check it. The test parametrised over the
registry fails for any differentiable op type without a case: a new op must bring its check.
To add one, append ``case(build, *inputs)`` under the op type; ``build`` receives one float64
placeholder per input array.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pytest
from gradient_check import check_gradients

import tutorflow as tf
from tutorflow.framework import registry
from tutorflow.ops import _util

_rng = np.random.default_rng(20240601)


# -- inputs kept away from kinks and ties ----------------------------------------------------


def normal(*shape):
    return _rng.standard_normal(shape)


def positive(*shape):
    """For Log, Sqrt, and the base of Pow."""
    return _rng.uniform(0.5, 2.0, shape)


def away_from_zero(*shape):
    """For Abs, Relu, and divisors: at least 0.2 from the kink (or pole) at 0."""
    return _rng.uniform(0.2, 1.5, shape) * _rng.choice([-1.0, 1.0], shape)


def distinct(*shapes):
    """Arrays whose values are all different (by at least 0.1), for Max, Min, Maximum, Minimum:
    no ties within an array or between the arrays, even after broadcasting."""
    sizes = [int(np.prod(s)) for s in shapes]
    values = (_rng.permutation(sum(sizes)) - sum(sizes) / 2) * 0.1 + _rng.uniform(0, 0.01)
    arrays, start = [], 0
    for shape, n in zip(shapes, sizes):
        arrays.append(values[start : start + n].reshape(shape))
        start += n
    return arrays[0] if len(arrays) == 1 else arrays


def probabilities(rows, classes):
    p = _rng.uniform(0.1, 1.0, (rows, classes))
    return p / p.sum(axis=1, keepdims=True)


# -- cases -------------------------------------------------------------------------------------


class Case(NamedTuple):
    build: Callable
    inputs: tuple
    options: dict


def case(build, *inputs, **options):
    """One gradient check: ``build(*placeholders)`` at ``inputs``; ``options`` go to
    ``check_gradients`` (``shapes``, ``delta``, ``rtol``, ``atol``)."""
    return Case(build, inputs, options)


def grad_of(f, x_value, **kwargs):
    """A builder of ``tf.gradients(f(x), x, grad_ys=g)`` as a function of ``g``, with ``x`` a
    constant: checks the gradient of the ops that the gradient of ``f`` is made of."""

    def build(g):
        x = tf.constant(x_value)
        return tf.gradients(f(x, **kwargs), x, grad_ys=g)[0]

    return build


def sum_grad_to(x_shape, y_shape, g_shape, which=0):
    """The gradient of ``x + y`` with respect to ``x`` (or ``y``), as a function of ``g``:
    SumToShapeOf undoing the broadcast."""

    def build(g):
        x, y = tf.constant(np.zeros(x_shape)), tf.constant(np.zeros(y_shape))
        return tf.gradients(x + y, [x, y][which], grad_ys=g)[0]

    return case(build, normal(*g_shape))


def conv(x, f, stride, padding):
    return tf.nn.conv2d(x, f, [1, stride, stride, 1], padding)


def conv_grad_input(stride, padding, x_shape=(2, 5, 5, 2)):
    """``d conv / d x`` as a function of the filter and the incoming gradient."""

    def build(f, g):
        x = tf.constant(np.zeros(x_shape))
        return tf.gradients(conv(x, f, stride, padding), x, grad_ys=g)[0]

    return build


def conv_grad_filter(stride, padding, f_shape=(3, 3, 2, 3)):
    """``d conv / d filter`` as a function of the input and the incoming gradient."""

    def build(x, g):
        f = tf.constant(np.zeros(f_shape))
        return tf.gradients(conv(x, f, stride, padding), f, grad_ys=g)[0]

    return build


def pool(fn, x, k, stride, padding):
    return fn(x, [1, k, k, 1], [1, stride, stride, 1], padding)


_COND = _rng.random((3, 4)) > 0.5
_LABELS = probabilities(4, 5)
_SPARSE_LABELS = np.array([0, 4, 2, 2], np.int32)

OP_CASES: dict[str, list[Case]] = {
    # -- element-wise arithmetic, with broadcasting --------------------------------------------
    "Add": [
        case(tf.add, normal(3, 1), normal(4)),
        case(lambda x, y: x + y, normal(2, 3), normal()),
        case(lambda x: 1.5 + x, normal(2)),
        case(tf.add, normal(3, 1), normal(4), shapes=[None, None]),  # shapes known at run time
    ],
    "Sub": [
        case(tf.subtract, normal(3, 1), normal(4)),
        case(lambda x, y: x - y, normal(), normal(2, 3)),
    ],
    "Mul": [
        case(tf.multiply, normal(3, 1), normal(4)),
        case(lambda x, y: x * y, normal(2, 1, 3), normal(4, 1)),
        case(lambda x: x * x, normal(3)),
        case(tf.multiply, normal(2, 3), normal(3), shapes=[[None, 3], None]),
    ],
    "RealDiv": [
        case(tf.divide, normal(3, 1), away_from_zero(4)),
        case(lambda x, y: x / y, normal(4), away_from_zero(2, 1)),
        case(lambda x: 2.0 / x, away_from_zero(3)),
    ],
    "FloorMod": [  # x / y kept away from whole numbers, where x mod y jumps
        case(tf.mod, np.array([0.3, 1.7, -2.2, 5.1]), np.array([1.5, 1.5, 1.5, -2.0])),
        case(lambda x, y: x % y, np.array([[0.7], [-1.2]]), np.array([0.5, 2.5])),
    ],
    "Pow": [
        case(tf.pow, positive(3, 1), normal(4)),
        case(lambda x: x**3.0, normal(2, 3)),
        case(lambda x: 2.0**x, normal(3)),
    ],
    "Maximum": [
        case(tf.maximum, *distinct((3, 1), (4,))),
        case(tf.maximum, *distinct((2, 3), (2, 3))),
        case(tf.maximum, *distinct((3, 1), (4,)), shapes=[None, [None]]),
    ],
    "Minimum": [
        case(tf.minimum, *distinct((3, 1), (4,))),
        case(tf.minimum, *distinct((2, 3), ())),
    ],
    "Select": [
        case(lambda x, y: tf.where(_COND, x, y), normal(3, 4), normal(3, 4)),
        case(lambda x, y: tf.where(_COND, x, y), normal(3, 4), normal(4)),
    ],
    "AddN": [
        case(lambda a, b, c: tf.add_n([a, b, c]), normal(2, 3), normal(2, 3), normal(2, 3)),
        case(lambda a: tf.add_n([a, a]), normal(3)),
    ],
    "BiasAdd": [
        case(tf.nn.bias_add, normal(2, 3, 4), normal(4)),
        case(tf.nn.bias_add, normal(5, 3), normal(3)),
        case(tf.nn.bias_add, normal(5, 3), normal(3), shapes=[[None, 3], [3]]),
    ],
    # -- element-wise functions ----------------------------------------------------------------
    "Neg": [case(tf.negative, normal(3, 2)), case(lambda x: -x, normal(4))],
    "Abs": [case(tf.abs, away_from_zero(3, 4))],
    "Square": [case(tf.square, normal(3, 4))],
    "Sqrt": [case(tf.sqrt, positive(3, 4))],
    "Exp": [case(tf.exp, normal(3, 4))],
    "Log": [case(tf.log, positive(3, 4))],
    "Sigmoid": [case(tf.nn.sigmoid, 3 * normal(3, 4))],
    "Tanh": [case(tf.nn.tanh, normal(3, 4))],
    "Relu": [case(tf.nn.relu, away_from_zero(3, 4))],
    "ReluGrad": [case(grad_of(tf.nn.relu, away_from_zero(3, 4)), normal(3, 4))],
    "Cast": [
        case(lambda x: tf.cast(x, tf.float64) * x, normal(3)),
        # through float32 and back: linear, so a wide step measures the slope despite rounding
        case(
            lambda x: 3.0 * tf.cast(tf.cast(x, tf.float32), tf.float64),
            normal(4),
            delta=1e-2,
            rtol=1e-4,
            atol=1e-4,
        ),
    ],
    # -- matrix multiplication ----------------------------------------------------------------
    "MatMul": [
        case(tf.matmul, normal(2, 3), normal(3, 4)),
        case(lambda a, b: tf.matmul(a, b, transpose_a=True), normal(3, 2), normal(3, 4)),
        case(lambda a, b: tf.matmul(a, b, transpose_b=True), normal(2, 3), normal(4, 3)),
        case(
            lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
            normal(3, 2),
            normal(4, 3),
        ),
        case(lambda a, b: a @ b, normal(1, 3), normal(3, 1)),
    ],
    # -- reductions ----------------------------------------------------------------------------
    "Sum": [
        case(tf.reduce_sum, normal(2, 3)),
        case(lambda x: tf.reduce_sum(x, axis=1), normal(2, 3, 2)),
        case(lambda x: tf.reduce_sum(x, axis=[0, 2], keepdims=True), normal(2, 3, 2)),
        case(lambda x: tf.reduce_sum(x, reduction_indices=-1, keep_dims=True), normal(2, 3)),
        case(lambda x: tf.reduce_sum(x, axis=-1), normal(2, 3), shapes=[[None, 3]]),
        case(lambda x: tf.reduce_sum(x, axis=-1), normal(2, 3, 2), shapes=[None]),
        case(tf.reduce_sum, normal(2, 3), shapes=[None]),
    ],
    "Mean": [
        case(tf.reduce_mean, normal(2, 3)),
        case(lambda x: tf.reduce_mean(x, axis=0, keepdims=True), normal(2, 3)),
        case(lambda x: tf.reduce_mean(x, reduction_indices=[1]), normal(2, 3, 2)),
        case(lambda x: tf.reduce_mean(x, axis=1), normal(4, 3), shapes=[[None, 3]]),
        case(lambda x: tf.reduce_mean(x, axis=-1), normal(2, 3), shapes=[None]),
        case(tf.reduce_mean, normal(2, 3), shapes=[None]),
    ],
    "Max": [
        case(tf.reduce_max, distinct((2, 3))),
        case(lambda x: tf.reduce_max(x, axis=1), distinct((2, 3, 2))),
        case(lambda x: tf.reduce_max(x, axis=[0, 2], keepdims=True), distinct((2, 3, 2))),
        case(lambda x: tf.reduce_max(x, axis=-1), distinct((3, 4)), shapes=[[None, 4]]),
    ],
    "Min": [
        case(tf.reduce_min, distinct((2, 3))),
        case(lambda x: tf.reduce_min(x, axis=0), distinct((3, 2))),
        case(lambda x: tf.reduce_min(x, axis=-1, keepdims=True), distinct((2, 3, 2))),
    ],
    "L2Loss": [case(tf.nn.l2_loss, normal(3, 4)), case(tf.nn.l2_loss, normal())],
    # -- softmax and losses -------------------------------------------------------------------
    "Softmax": [case(tf.nn.softmax, normal(3, 5)), case(tf.nn.softmax, 10 * normal(2, 3))],
    "LogSoftmax": [case(tf.nn.log_softmax, normal(3, 5))],
    "SoftmaxCrossEntropyWithLogits": [
        case(
            lambda x: tf.nn.softmax_cross_entropy_with_logits(labels=_LABELS, logits=x),
            normal(4, 5),
        ),
        case(
            lambda x: tf.nn.softmax_cross_entropy_with_logits_v2(
                labels=np.eye(5)[_SPARSE_LABELS], logits=x
            ),
            3 * normal(4, 5),
        ),
    ],
    "SparseSoftmaxCrossEntropyWithLogits": [
        case(
            lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=_SPARSE_LABELS, logits=x
            ),
            normal(4, 5),
        ),
        case(
            lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=_SPARSE_LABELS.astype(np.int64), logits=x
            ),
            normal(4, 5),
            shapes=[[None, 5]],
        ),
    ],
    # -- shapes and copies ---------------------------------------------------------------------
    "Identity": [case(tf.identity, normal(3))],
    "CheckNumerics": [case(lambda x: tf.check_numerics(x, "x"), normal(2, 3))],
    "PlaceholderWithDefault": [
        case(lambda x: 2.0 * tf.placeholder_with_default(x, [None, 2]), normal(3, 2))
    ],
    "Reshape": [
        case(lambda x: tf.reshape(x, [3, -1]), normal(2, 3, 2)),
        case(lambda x: tf.reshape(x, [-1]), normal(2, 3), shapes=[[None, 3]]),
        case(lambda x: tf.reshape(x, [tf.shape(x)[0], -1]), normal(2, 3, 2), shapes=[[None, 3, 2]]),
    ],
    "ReshapeLike": [case(grad_of(tf.reshape, normal(2, 3), shape=[6]), normal(6))],
    "Transpose": [
        case(tf.transpose, normal(2, 3)),
        case(lambda x: tf.transpose(x, [1, 2, 0]), normal(2, 3, 4)),
    ],
    "ExpandDims": [
        case(lambda x: tf.expand_dims(x, 1), normal(2, 3)),
        case(lambda x: tf.expand_dims(x, -1), normal(2, 3)),
    ],
    "Squeeze": [
        case(tf.squeeze, normal(3, 1, 2)),
        case(lambda x: tf.squeeze(x, axis=[2]), normal(2, 3, 1)),
    ],
    "ConcatV2": [
        case(lambda a, b: tf.concat([a, b], 1), normal(2, 3), normal(2, 2)),
        case(lambda a, b, c: tf.concat([a, b, c], 0), normal(1, 3), normal(2, 3), normal(1, 3)),
        case(lambda a, b: tf.concat([a, b], -1), normal(2, 1, 2), normal(2, 1, 3)),
        case(lambda a, b: tf.stack([a, b], axis=1), normal(2, 3), normal(2, 3)),
    ],
    "StridedSlice": [
        case(lambda x: x[1:, 0], normal(3, 4)),
        case(lambda x: x[::2, ..., None], normal(3, 2, 2)),
        case(lambda x: x[-1], normal(3, 2)),
        case(lambda x: x[::-1, 1:-1], normal(3, 4)),
    ],
    # -- the helper ops that gradients are made of (their gradients give second derivatives) --
    "SumToShapeOf": [
        sum_grad_to((3, 1), (4,), (3, 4)),
        sum_grad_to((3, 1), (4,), (3, 4), which=1),
        sum_grad_to((2, 1, 3), (4, 1), (2, 4, 3), which=1),
    ],
    "BroadcastToShapeOf": [
        case(grad_of(tf.reduce_sum, normal(2, 3, 4), axis=1), normal(2, 4)),
        case(grad_of(tf.reduce_sum, normal(2, 3), axis=0, keepdims=True), normal(1, 3)),
        case(grad_of(tf.reduce_mean, normal(2, 3)), normal()),
    ],
    # -- convolution and pooling (NHWC); strides 2 with SAME pad unevenly, as TF does -------
    "Conv2D": [
        case(lambda x, f: conv(x, f, 1, "SAME"), normal(2, 5, 5, 2), normal(3, 3, 2, 3)),
        case(lambda x, f: conv(x, f, 2, "SAME"), normal(1, 6, 5, 2), normal(2, 3, 2, 2)),
        case(lambda x, f: conv(x, f, 2, "VALID"), normal(2, 7, 6, 1), normal(3, 2, 1, 2)),
        # 16 channels: through the Fourier transform (tests/test_loops.py checks the choice);
        # sums of 144 products are large, so finite differences round to ~1e-8 (atol)
        case(
            lambda x, f: conv(x, f, 1, "SAME"), normal(1, 4, 4, 16), normal(3, 3, 16, 16), atol=1e-7
        ),
    ],
    "Conv2DBackpropInput": [
        case(conv_grad_input(2, "SAME"), normal(3, 3, 2, 3), normal(2, 3, 3, 3)),
        case(conv_grad_input(1, "VALID"), normal(2, 2, 2, 2), normal(2, 4, 4, 2)),
        case(
            conv_grad_input(1, "SAME", (1, 4, 4, 16)),
            normal(3, 3, 16, 16),
            normal(1, 4, 4, 16),
            atol=1e-7,
        ),
    ],
    "Conv2DBackpropFilter": [
        case(conv_grad_filter(2, "SAME"), normal(2, 5, 5, 2), normal(2, 3, 3, 3)),
        case(conv_grad_filter(1, "VALID"), normal(1, 5, 4, 2), normal(1, 3, 2, 3)),
        case(
            conv_grad_filter(1, "SAME", (3, 3, 16, 16)),
            normal(1, 4, 4, 16),
            normal(1, 4, 4, 16),
            atol=1e-7,
        ),
    ],
    "MaxPool": [
        case(lambda x: pool(tf.nn.max_pool, x, 2, 2, "SAME"), distinct((2, 5, 5, 3))),
        case(lambda x: pool(tf.nn.max_pool, x, 3, 2, "VALID"), distinct((1, 7, 6, 2))),
    ],
    "AvgPool": [
        case(lambda x: pool(tf.nn.avg_pool, x, 2, 2, "SAME"), normal(2, 5, 5, 3)),
        case(lambda x: pool(tf.nn.avg_pool, x, 3, 1, "VALID"), normal(1, 5, 4, 2)),
    ],
    "AvgPoolGrad": [
        case(
            grad_of(lambda x: pool(tf.nn.avg_pool, x, 3, 2, "SAME"), normal(2, 5, 5, 2)),
            normal(2, 3, 3, 2),
        ),
    ],
    "StridedSliceGrad": [
        case(grad_of(lambda x: x[1:, 0], normal(3, 4)), normal(2)),
        case(grad_of(lambda x: x[:, ::2], normal(2, 5)), normal(2, 3)),
    ],
    "ConcatSlice": [
        case(grad_of(lambda x: tf.concat([x, x[:, :1]], 1), normal(2, 3)), normal(2, 4)),
    ],
    # Conv2D, MaxPool, AvgPool and their gradient ops get their cases with tutorflow/ops/conv_ops.
}


def _differentiable_op_types():
    return [t for t in registry.registered_op_types() if registry.lookup(t).differentiable]


@pytest.mark.parametrize("op_type", _differentiable_op_types())
def test_gradient_of_every_differentiable_op(op_type):
    cases = OP_CASES.get(op_type)
    if not cases:
        pytest.fail(f"no gradient check for op type {op_type}: add one to OP_CASES")
    for build, inputs, options in cases:
        check_gradients(build, *inputs, expect_op=op_type, **options)


def test_every_case_names_a_registered_differentiable_op():
    stale = set(OP_CASES) - set(_differentiable_op_types())
    assert not stale, f"OP_CASES has cases for unknown or non-differentiable op types {stale}"


def test_the_checker_catches_a_wrong_gradient():
    """The checker must be able to fail: a deliberately wrong gradient (2x instead of x)."""
    registry._REGISTRY["WrongSquareForTest"] = registry.OpDef(lambda op, x: x * x / 2)
    registry.gradient("WrongSquareForTest")(lambda op, grad: [grad * 2 * op.inputs[0]])
    try:
        build = lambda x: _util.unary("WrongSquareForTest", x, None)
        with pytest.raises(AssertionError, match="Not equal to tolerance"):
            check_gradients(build, normal(3))
    finally:
        del registry._REGISTRY["WrongSquareForTest"]


# -- second derivatives: the gradient graphs are themselves differentiated --------------------

SECOND_ORDER = {
    "cube": (lambda x: x * x * x, normal(3)),
    "tanh": (tf.nn.tanh, normal(2, 3)),
    "sigmoid": (tf.nn.sigmoid, normal(2, 3)),
    "softmax": (lambda x: tf.nn.softmax(x) * np.arange(4.0), normal(2, 4)),
    "log_softmax": (lambda x: tf.nn.log_softmax(x) * np.arange(4.0), normal(2, 4)),
    "matmul": (lambda x: tf.matmul(x, x, transpose_b=True), normal(2, 3)),
    "mean_square": (lambda x: tf.reduce_mean(tf.square(x), axis=1), normal(2, 3)),
    "max": (lambda x: tf.square(tf.reduce_max(x, axis=0)), distinct((3, 2))),
    "div_log": (lambda x: tf.log(x) / x, positive(3)),
    "l2_sqrt": (lambda x: tf.nn.l2_loss(tf.sqrt(x)) * x, positive(2, 2)),
    "slice_concat": (lambda x: tf.square(tf.concat([x, x[:, :1]], 1)), normal(2, 2)),
    "pow": (lambda x: tf.pow(x, x), positive(3)),
    "broadcast": (lambda x: tf.exp(x * tf.transpose(x)), normal(3, 1)),
    "relu_square": (lambda x: tf.square(tf.nn.relu(x)), away_from_zero(4)),
}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_derivatives(name):
    f, x = SECOND_ORDER[name]
    check_gradients(lambda t: tf.gradients(f(t), t)[0], x)


def test_second_derivative_of_softmax_cross_entropy():
    check_gradients(
        lambda x: tf.gradients(
            tf.nn.softmax_cross_entropy_with_logits(labels=_LABELS, logits=x), x
        )[0],
        normal(4, 5),
    )


def test_ties_share_the_gradient_as_in_tf():
    """reduce_max splits the gradient among tied maxima; maximum gives a tie to x."""
    x = tf.constant([1.0, 3.0, 3.0])
    y = tf.constant([1.0, 2.0, 3.0])
    (g_max,) = tf.gradients(tf.reduce_max(x), x)
    gx, gy = tf.gradients(tf.maximum(x, y), [x, y])
    hx, hy = tf.gradients(tf.minimum(x, y), [x, y])
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(g_max), [0.0, 0.5, 0.5])
    np.testing.assert_array_equal(sess.run([gx, gy]), [[1, 1, 1], [0, 0, 0]])
    np.testing.assert_array_equal(sess.run([hx, hy]), [[1, 0, 1], [0, 1, 0]])


def test_second_derivative_of_sparse_softmax_cross_entropy():
    def build(x):
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=_SPARSE_LABELS, logits=x)
        return tf.gradients(loss, x)[0]

    check_gradients(build, normal(4, 5))


# -- the rules of tf.gradients ----------------------------------------------------------------


def test_non_differentiable_inputs_get_none():
    x = tf.placeholder(tf.float32, [2, 3])
    labels = tf.placeholder(tf.float32, [2, 3])
    int_labels = tf.placeholder(tf.int32, [2])
    assert tf.gradients(tf.argmax(x, 1), x) == [None]
    assert tf.gradients(tf.argmin(x, 0), x) == [None]
    assert tf.gradients(tf.cast(x, tf.int32), x) == [None]
    assert tf.gradients(tf.cast(tf.greater(x, 0.0), tf.float32), x) == [None]
    assert tf.gradients(tf.floor(x) + tf.sign(x), x) == [None]
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=x)
    g_logits, g_labels = tf.gradients(loss, [x, labels])
    assert g_logits is not None and g_labels is None
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=int_labels, logits=x)
    g_logits, g_labels = tf.gradients(sparse, [x, int_labels])
    assert g_logits is not None and g_labels is None


def test_gradients_with_respect_to_an_int_tensor_are_none_as_in_tf():
    x = tf.placeholder(tf.int32, [2])
    assert tf.gradients(x * 2, x) == [None]
    assert tf.gradients(tf.reduce_sum(tf.cast(x, tf.float32) * 2.0), x) == [None]
    v = tf.Variable([1, 2])
    assert tf.gradients(tf.reduce_sum(v * v), v) == [None]


def test_unrelated_input_gets_none():
    x, z = tf.placeholder(tf.float32, [3]), tf.placeholder(tf.float32, [3])
    y = tf.reduce_sum(tf.square(x))
    gx, gz = tf.gradients(y, [x, z])
    assert gz is None
    value = np.array([1.0, -2.0, 3.0], np.float32)
    np.testing.assert_allclose(tf.Session().run(gx, {x: value}), 2 * value)


def test_condition_of_where_gets_none():
    cond = tf.placeholder(tf.bool, [3])
    x, y = tf.constant([1.0, 2.0, 3.0]), tf.constant([4.0, 5.0, 6.0])
    gc, gx, gy = tf.gradients(tf.where(cond, x, y), [cond, x, y])
    assert gc is None
    out = tf.Session().run([gx, gy], {cond: [True, False, True]})
    np.testing.assert_array_equal(out[0], [1, 0, 1])
    np.testing.assert_array_equal(out[1], [0, 1, 0])


def test_gradient_with_respect_to_a_variable():
    init = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
    v = tf.Variable(init)
    (g,) = tf.gradients(tf.reduce_sum(v * v) + 3.0 * tf.reduce_sum(v), v)
    assert g.dtype == tf.float32 and g.shape.as_list() == [2, 2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(g), 2 * init + 3)


def test_fan_out_sums_the_gradients():
    x = tf.placeholder(tf.float64, [3])
    y = x * x + 3.0 * x + tf.exp(x)
    (g,) = tf.gradients(y, x)
    value = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(tf.Session().run(g, {x: value}), 2 * value + 3 + np.exp(value))


def test_several_ys_add_their_gradients():
    x = tf.placeholder(tf.float64, [2])
    (g,) = tf.gradients([tf.square(x), tf.reduce_sum(5.0 * x)], x)
    value = np.array([1.5, -2.0])
    np.testing.assert_allclose(tf.Session().run(g, {x: value}), 2 * value + 5)


def test_grad_ys_are_honoured():
    x = tf.placeholder(tf.float64, [3])
    y1, y2 = tf.square(x), tf.reduce_sum(x)
    w = np.array([2.0, -1.0, 0.5])
    (g,) = tf.gradients([y1, y2], x, grad_ys=[tf.constant(w), tf.constant(4.0, tf.float64)])
    (g_array,) = tf.gradients(y1, x, grad_ys=w)  # a numpy value works too
    value = np.array([1.0, 2.0, 3.0])
    sess = tf.Session()
    np.testing.assert_allclose(sess.run(g, {x: value}), w * 2 * value + 4)
    np.testing.assert_allclose(sess.run(g_array, {x: value}), w * 2 * value)


def test_gradient_of_x_with_respect_to_itself_is_ones():
    x = tf.placeholder(tf.float32, [2, 2])
    (g,) = tf.gradients(x, x)
    np.testing.assert_array_equal(tf.Session().run(g, {x: np.zeros((2, 2))}), np.ones((2, 2)))


def test_gradient_of_float32_graph_is_float32():
    x = tf.placeholder(tf.float32, [None, 4])
    w = tf.Variable(tf.zeros([4, 3]))
    loss = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones([5, 3]) / 3, logits=x @ w)
    )
    gx, gw = tf.gradients(loss, [x, w])
    assert gx.dtype == gw.dtype == tf.float32
    assert gw.shape.as_list() == [4, 3]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(gw, {x: np.ones((5, 4))})
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, np.zeros((4, 3)), atol=1e-7)  # uniform labels, zero weights


def test_missing_gradient_raises_lookup_error():
    registry._REGISTRY["NoGradientForTest"] = registry.OpDef(lambda op, x: x)
    try:
        x = tf.placeholder(tf.float32, [2])
        y = _util.unary("NoGradientForTest", x, "nograd")
        with pytest.raises(LookupError, match="NoGradientForTest"):
            tf.gradients(y, x)
    finally:
        del registry._REGISTRY["NoGradientForTest"]


@pytest.mark.parametrize(
    "x_shape, y_shape, x_value_shape, y_value_shape, sums",
    [
        ([None, 3], [3], (4, 3), (3,), {"y"}),  # a bias beside a batch: only the bias is summed
        ([None, 5, 3], [1, 3], (2, 5, 3), (1, 3), {"y"}),
        ([None, 1], [None, 3], (2, 1), (2, 3), {"x", "y"}),  # x's 1 is stretched to 3
        ([None, None], [None], (5, 1), (4,), {"x", "y"}),  # unknown sizes may be stretched
        ([None, 3], [None, 3], (2, 3), (1, 3), {"x", "y"}),  # y's rows are stretched
    ],
)
def test_a_broadcast_input_is_summed_only_where_its_shape_may_have_been_stretched(
    x_shape, y_shape, x_value_shape, y_value_shape, sums
):
    with tf.Graph().as_default():
        x, y = tf.placeholder(tf.float64, x_shape), tf.placeholder(tf.float64, y_shape)
        dx, dy = tf.gradients(tf.reduce_sum(tf.square(x + y)), [x, y])
        summed = {name for name, d in [("x", dx), ("y", dy)] if d.op.type == "SumToShapeOf"}
        rng = np.random.default_rng(0)
        x_value, y_value = rng.standard_normal(x_value_shape), rng.standard_normal(y_value_shape)
        with tf.Session() as sess:
            got_dx, got_dy = sess.run([dx, dy], {x: x_value, y: y_value})
    g = 2 * (x_value + y_value)
    assert summed == sums
    np.testing.assert_allclose(got_dx, _summed_to(g, x_value_shape))
    np.testing.assert_allclose(got_dy, _summed_to(g, y_value_shape))


def _summed_to(g, shape):
    """``g`` summed onto an array of ``shape`` that broadcasting stretched to ``g``'s shape:
    each element of ``g`` added to the element of ``shape`` it came from."""
    size = int(np.prod(shape))
    source = np.broadcast_to(np.arange(size).reshape(shape), g.shape)
    return np.bincount(source.ravel(), g.ravel(), minlength=size).reshape(shape)
