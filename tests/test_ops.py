"""Forward values of the public ops against numpy, static shapes and dtypes against the values
they describe, dtype promotion, the stable losses, and the errors that bad inputs raise."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pytest

import tutorflow as tf
from tutorflow.framework import registry

_rng = np.random.default_rng(7)


def f32(*shape):
    return _rng.standard_normal(shape).astype(np.float32)


def f64(*shape):
    return _rng.standard_normal(shape)


def pos32(*shape):
    return _rng.uniform(0.5, 2.0, shape).astype(np.float32)


def nonzero32(*shape):
    return (_rng.uniform(0.5, 2.0, shape) * _rng.choice([-1, 1], shape)).astype(np.float32)


def i32(*shape, low=-3, high=4):
    return _rng.integers(low, high, shape).astype(np.int32)


def b(*shape):
    return _rng.random(shape) > 0.5


def _log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _int_mean(x, axis=None):
    total = np.sum(x.astype(np.int64), axis=axis)
    count = x.size // np.size(total)
    return np.fix(total / count).astype(x.dtype)  # C integer division: toward zero


class Forward(NamedTuple):
    build: Callable  # placeholders -> tensor
    expected: Callable  # numpy arrays -> numpy array
    inputs: tuple
    rtol: float = 1e-6


def fwd(build, expected, *inputs, rtol=1e-6):
    return Forward(build, expected, inputs, rtol)


_LABELS = _softmax(f32(4, 5) * 3)
_SPARSE = np.array([1, 0, 4, 4], np.int32)

FORWARD: dict[str, list[Forward]] = {
    # -- arithmetic with broadcasting ----------------------------------------------------------
    "add": [
        fwd(tf.add, np.add, f32(3, 1), f32(4)),
        fwd(lambda x, y: x + y, np.add, i32(2, 3), i32(3)),
    ],
    "subtract": [fwd(tf.subtract, np.subtract, f64(2, 1, 3), f64(4, 1))],
    "multiply": [
        fwd(tf.multiply, np.multiply, f32(3, 1), f32(4)),
        fwd(tf.multiply, np.multiply, i32(3), i32()),
    ],
    "divide": [fwd(tf.divide, np.true_divide, f32(3, 1), nonzero32(4))],
    "truediv": [
        fwd(tf.truediv, np.true_divide, f64(3), nonzero32(3).astype(np.float64)),
        fwd(tf.truediv, np.true_divide, i32(2, 3), i32(3, low=1)),  # int32 / int32 -> float64
    ],
    "realdiv": [fwd(tf.realdiv, np.true_divide, f64(2, 3), nonzero32(3).astype(np.float64))],
    "floordiv": [
        fwd(tf.floordiv, np.floor_divide, i32(2, 3, low=-9, high=9), i32(3, low=1)),
        fwd(lambda x, y: x // y, np.floor_divide, f32(4), nonzero32(4)),
    ],
    "div": [
        fwd(tf.div, np.floor_divide, i32(2, 3, low=-9, high=9), i32(3, low=1)),
        fwd(tf.div, np.true_divide, f32(3, 1), nonzero32(4)),
    ],
    "mod (%)": [fwd(lambda x, y: x % y, np.mod, i32(2, 3, low=-9, high=9), i32(3, low=1))],
    "floormod": [fwd(tf.floormod, np.mod, f32(2, 3), nonzero32(3))],
    "mod": [fwd(tf.mod, np.mod, i32(4, low=-9, high=9), i32(4, low=1))],
    "pow": [
        fwd(tf.pow, np.power, pos32(3, 1), f32(4)),
        fwd(lambda x, y: x**y, np.power, i32(3), i32(3, low=0, high=4)),
    ],
    "maximum": [fwd(tf.maximum, np.maximum, f32(3, 1), f32(4))],
    "minimum": [fwd(tf.minimum, np.minimum, i32(3, 1), i32(4))],
    "add_n": [
        fwd(
            lambda a, b, c: tf.add_n([a, b, c]),
            lambda a, b, c: a + b + c,
            f32(2, 3),
            f32(2, 3),
            f32(2, 3),
        )
    ],
    "where": [fwd(tf.where, np.where, b(3, 4), f32(3, 4), f32(3, 4))],
    # -- element-wise functions ----------------------------------------------------------------
    "abs": [fwd(tf.abs, np.abs, f32(3, 4)), fwd(tf.abs, np.abs, i32(5))],
    "negative": [fwd(tf.negative, np.negative, f64(3)), fwd(lambda x: -x, np.negative, i32(4))],
    "sign": [fwd(tf.sign, np.sign, np.array([-2.5, 0.0, 3.0], np.float32))],
    "floor": [fwd(tf.floor, np.floor, 3 * f32(3, 4))],
    "square": [fwd(tf.square, np.square, f32(3, 4)), fwd(tf.square, np.square, i32(3))],
    "sqrt": [fwd(tf.sqrt, np.sqrt, pos32(3, 4))],
    "exp": [fwd(tf.exp, np.exp, f32(3, 4))],
    "log": [fwd(tf.log, np.log, pos32(3, 4))],
    # -- comparisons (ties included) -----------------------------------------------------------
    "equal": [fwd(tf.equal, np.equal, i32(3, 4, low=-1, high=2), i32(4, low=-1, high=2))],
    "not_equal": [
        fwd(tf.not_equal, np.not_equal, i32(3, 4, low=-1, high=2), i32(4, low=-1, high=2))
    ],
    "less": [fwd(tf.less, np.less, i32(3, 4, low=-1, high=2), i32(4, low=-1, high=2))],
    "less_equal": [
        fwd(tf.less_equal, np.less_equal, i32(3, 4, low=-1, high=2), i32(4, low=-1, high=2))
    ],
    "greater": [fwd(tf.greater, np.greater, f32(3, 1), f32(4))],
    "greater_equal": [
        fwd(tf.greater_equal, np.greater_equal, i32(3, 4, low=-1, high=2), i32(4, low=-1, high=2))
    ],
    # -- matmul --------------------------------------------------------------------------------
    "matmul": [
        fwd(tf.matmul, np.matmul, f32(2, 3), f32(3, 4), rtol=1e-5),
        fwd(
            lambda a, b: tf.matmul(a, b, transpose_a=True),
            lambda a, b: a.T @ b,
            f64(3, 2),
            f64(3, 4),
        ),
        fwd(
            lambda a, b: tf.matmul(a, b, transpose_b=True),
            lambda a, b: a @ b.T,
            f64(2, 3),
            f64(4, 3),
        ),
        fwd(lambda a, b: tf.matmul(a, b, True, True), lambda a, b: a.T @ b.T, f64(3, 2), f64(4, 3)),
        fwd(lambda a, b: a @ b, np.matmul, i32(2, 3), i32(3, 2)),
    ],
    # -- reductions ----------------------------------------------------------------------------
    "reduce_sum": [
        fwd(tf.reduce_sum, np.sum, f64(2, 3)),
        fwd(lambda x: tf.reduce_sum(x, 1), lambda x: x.sum(1), f32(2, 3, 4), rtol=1e-5),
        fwd(
            lambda x: tf.reduce_sum(x, [0, 2], keepdims=True),
            lambda x: x.sum((0, 2), keepdims=True),
            f64(2, 3, 4),
        ),
        fwd(
            lambda x: tf.reduce_sum(x, reduction_indices=-1, keep_dims=True),
            lambda x: x.sum(-1, keepdims=True, dtype=np.int32),  # int32 stays int32, as in TF
            i32(2, 3),
        ),
        fwd(lambda x: tf.reduce_sum(x, axis=[]), lambda x: x, f64(2, 3)),
    ],
    "reduce_mean": [
        fwd(tf.reduce_mean, np.mean, f64(2, 3)),
        fwd(lambda x: tf.reduce_mean(x, axis=0), lambda x: x.mean(0), f32(5, 3)),
        fwd(lambda x: tf.reduce_mean(x, reduction_indices=[1]), lambda x: x.mean(1), f64(2, 3, 4)),
        fwd(
            lambda x: tf.reduce_mean(x, -1, keepdims=True),
            lambda x: x.mean(-1, keepdims=True),
            f64(2, 3),
        ),
        fwd(lambda x: tf.reduce_mean(x, 1), lambda x: _int_mean(x, 1), i32(3, 4, low=-9, high=9)),
        fwd(tf.reduce_mean, _int_mean, i32(3, 4, low=-9, high=9)),
    ],
    "reduce_max": [
        fwd(tf.reduce_max, np.max, f32(2, 3)),
        fwd(
            lambda x: tf.reduce_max(x, axis=[0, 1], keep_dims=True),
            lambda x: x.max((0, 1), keepdims=True),
            f64(2, 3, 2),
        ),
        fwd(lambda x: tf.reduce_max(x, -1), lambda x: x.max(-1), i32(3, 4)),
    ],
    "reduce_min": [
        fwd(tf.reduce_min, np.min, f32(2, 3)),
        fwd(lambda x: tf.reduce_min(x, reduction_indices=0), lambda x: x.min(0), f64(4, 3)),
        fwd(
            lambda x: tf.reduce_min(x, 1, keepdims=True),
            lambda x: x.min(1, keepdims=True),
            i32(3, 4),
        ),
    ],
    "argmax": [
        fwd(lambda x: tf.argmax(x, 1), lambda x: np.argmax(x, 1).astype(np.int64), f32(4, 5)),
        fwd(tf.argmax, lambda x: np.argmax(x, 0).astype(np.int64), f64(4, 5)),
        fwd(
            lambda x: tf.argmax(x, -1, output_type=tf.int32),
            lambda x: np.argmax(x, -1).astype(np.int32),
            i32(3, 4, 2),
        ),
        fwd(
            lambda x: tf.argmax(x, dimension=1),
            lambda x: np.argmax(x, 1).astype(np.int64),
            f32(3, 4),
        ),
    ],
    "argmin": [
        fwd(lambda x: tf.argmin(x, 1), lambda x: np.argmin(x, 1).astype(np.int64), f32(4, 5)),
        fwd(lambda x: tf.argmin(x, 0), lambda x: np.argmin(x, 0).astype(np.int64), i32(4, 5)),
    ],
    # -- casts, copies and shapes --------------------------------------------------------------
    "cast": [
        fwd(
            lambda x: tf.cast(x, tf.int32), lambda x: x.astype(np.int32), 3 * f32(3, 4)
        ),  # truncates
        fwd(lambda x: tf.cast(x, "float"), lambda x: x.astype(np.float32), i32(3)),
        fwd(lambda x: tf.cast(x, tf.float64), lambda x: x.astype(np.float64), b(4)),
        fwd(lambda x: tf.cast(x, tf.bool), lambda x: x != 0, i32(5)),
        fwd(lambda x: tf.cast(x, tf.uint8), lambda x: x.astype(np.uint8), i32(5, low=0, high=255)),
        fwd(lambda x: tf.cast(x, tf.int64), lambda x: x.astype(np.int64), i32(5)),
    ],
    "identity": [fwd(tf.identity, lambda x: x, f32(2, 3))],
    "check_numerics": [fwd(lambda x: tf.check_numerics(x, "finite"), lambda x: x, f64(2, 3))],
    "placeholder_with_default": [
        fwd(lambda x: tf.placeholder_with_default(x, x.shape) * 2, lambda x: x * 2, f32(2, 3))
    ],
    "reshape": [
        fwd(lambda x: tf.reshape(x, [3, -1]), lambda x: x.reshape(3, -1), f32(2, 3, 2)),
        fwd(lambda x: tf.reshape(x, [-1]), np.ravel, i32(2, 3)),
        fwd(lambda x: tf.reshape(x, [1, 6, 1]), lambda x: x.reshape(1, 6, 1), f64(6)),
        # a shape known only at run time: a tensor, or a list holding tensors
        fwd(
            lambda x: tf.reshape(x, tf.shape(tf.zeros([3, 4]))), lambda x: x.reshape(3, 4), f32(12)
        ),
        fwd(
            lambda x: tf.reshape(x, [tf.shape(x)[0], 2, -1]),
            lambda x: x.reshape(4, 2, 3),
            i32(4, 6),
        ),
    ],
    "transpose": [
        fwd(tf.transpose, np.transpose, f32(2, 3)),
        fwd(lambda x: tf.transpose(x, [1, 2, 0]), lambda x: x.transpose(1, 2, 0), i32(2, 3, 4)),
    ],
    "expand_dims": [
        fwd(lambda x: tf.expand_dims(x, 0), lambda x: x[None], f32(2, 3)),
        fwd(lambda x: tf.expand_dims(x, -1), lambda x: x[..., None], f32(2, 3)),
        fwd(lambda x: tf.expand_dims(x, 1), lambda x: x[:, None], i32(2, 3)),
    ],
    "squeeze": [
        fwd(tf.squeeze, np.squeeze, f32(1, 3, 1, 2)),
        fwd(lambda x: tf.squeeze(x, [2]), lambda x: x.squeeze(2), f32(1, 3, 1, 2)),
        fwd(lambda x: tf.squeeze(x, axis=-1), lambda x: x.squeeze(-1), i32(3, 1)),
    ],
    "concat": [
        fwd(
            lambda a, b: tf.concat([a, b], 1),
            lambda a, b: np.concatenate([a, b], 1),
            f32(2, 3),
            f32(2, 2),
        ),
        fwd(
            lambda a, b: tf.concat([a, b], 0),
            lambda a, b: np.concatenate([a, b], 0),
            i32(1, 3),
            i32(2, 3),
        ),
        fwd(
            lambda a, b: tf.concat([a, b], -1),
            lambda a, b: np.concatenate([a, b], -1),
            f64(2, 1, 2),
            f64(2, 1, 3),
        ),
    ],
    "stack": [
        fwd(lambda a, b: tf.stack([a, b]), lambda a, b: np.stack([a, b]), f32(2, 3), f32(2, 3)),
        fwd(
            lambda a, b: tf.stack([a, b], axis=1),
            lambda a, b: np.stack([a, b], 1),
            i32(2, 3),
            i32(2, 3),
        ),
        fwd(
            lambda a, b: tf.stack([a, b], axis=-1),
            lambda a, b: np.stack([a, b], -1),
            f64(4),
            f64(4),
        ),
    ],
    "shape": [
        fwd(tf.shape, lambda x: np.array(x.shape, np.int32), f32(2, 3, 4)),
        fwd(
            lambda x: tf.shape(x, out_type=tf.int64), lambda x: np.array(x.shape, np.int64), f32(5)
        ),
    ],
    "size": [fwd(tf.size, lambda x: np.int32(x.size), f32(2, 3, 4))],
    "zeros_like": [
        fwd(tf.zeros_like, np.zeros_like, f32(2, 3)),
        fwd(
            lambda x: tf.zeros_like(x, dtype=tf.int64),
            lambda x: np.zeros(x.shape, np.int64),
            f32(2),
        ),
    ],
    "ones_like": [
        fwd(tf.ones_like, np.ones_like, i32(2, 3)),
        fwd(lambda x: tf.ones_like(x, tf.float64), lambda x: np.ones(x.shape), f32(3)),
    ],
    "[] (strided slice)": [
        fwd(lambda x: x[1:, ::2], lambda x: x[1:, ::2], f32(3, 4)),
        fwd(lambda x: x[..., 0], lambda x: x[..., 0], i32(2, 3, 4)),
        fwd(lambda x: x[None, -1], lambda x: x[None, -1], f64(3, 2)),
        fwd(lambda x: x[1], lambda x: x[1], f64(3)),
    ],
    # -- tf.nn ---------------------------------------------------------------------------------
    "relu": [
        fwd(tf.nn.relu, lambda x: np.maximum(x, 0), f32(3, 4)),
        fwd(tf.nn.relu, lambda x: np.maximum(x, 0), i32(5)),
    ],
    "sigmoid": [
        fwd(tf.nn.sigmoid, lambda x: 1 / (1 + np.exp(-x)), f64(3, 4)),
        fwd(
            tf.nn.sigmoid,
            lambda x: (1 / (1 + np.exp(-x.astype(np.float64)))).astype(np.float32),
            np.array([-100, -20, 0, 20, 100], np.float32),
        ),
    ],
    "tanh": [fwd(tf.nn.tanh, np.tanh, f32(3, 4))],
    "softmax": [
        fwd(tf.nn.softmax, _softmax, f32(3, 5)),
        fwd(tf.nn.softmax, _softmax, np.array([[1000.0, 0.0, -1000.0], [-1e4, -1e4, -1e4]])),
    ],
    "log_softmax": [
        fwd(tf.nn.log_softmax, _log_softmax, f32(3, 5), rtol=1e-5),
        fwd(tf.nn.log_softmax, _log_softmax, np.array([[1000.0, 0.0, -1000.0]])),
    ],
    "l2_loss": [
        fwd(
            tf.nn.l2_loss,
            lambda x: np.float32(np.sum(x.astype(np.float64) ** 2) / 2),
            f32(3, 4),
            rtol=1e-5,
        ),
        fwd(tf.nn.l2_loss, lambda x: np.sum(x**2) / 2, f64(5)),
    ],
    "bias_add": [
        fwd(tf.nn.bias_add, np.add, f32(2, 3, 4), f32(4)),
        fwd(tf.nn.bias_add, np.add, f64(5, 3), f64(3)),
    ],
    "softmax_cross_entropy_with_logits": [
        fwd(
            lambda x: tf.nn.softmax_cross_entropy_with_logits(labels=_LABELS, logits=x),
            lambda x: -np.sum(_LABELS * _log_softmax(x), axis=1),
            f32(4, 5),
            rtol=1e-5,
        ),
        fwd(
            lambda x, y: tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x),
            lambda x, y: -np.sum(y * _log_softmax(x), axis=1),
            f64(4, 5),
            _softmax(f64(4, 5)),
        ),
    ],
    "sparse_softmax_cross_entropy_with_logits": [
        fwd(
            lambda x, y: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x),
            lambda x, y: -_log_softmax(x)[np.arange(len(y)), y],
            f32(4, 5),
            _SPARSE,
            rtol=1e-5,
        ),
        fwd(
            lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=_SPARSE.astype(np.int64), logits=x
            ),
            lambda x: -_log_softmax(x)[np.arange(4), _SPARSE],
            f64(4, 5),
        ),
    ],
}
FORWARD["softmax_cross_entropy_with_logits_v2"] = FORWARD["softmax_cross_entropy_with_logits"][1:]
FORWARD["divide"] += FORWARD["truediv"][1:]


def _run(case, shapes):
    placeholders = [
        tf.placeholder(tf.as_dtype(x.dtype), shape) for x, shape in zip(case.inputs, shapes)
    ]
    y = case.build(*placeholders)
    before = [x.copy() for x in case.inputs]
    value = tf.Session().run(y, dict(zip(placeholders, case.inputs)))
    for x, original in zip(case.inputs, before):
        np.testing.assert_array_equal(x, original, err_msg="a fed array was overwritten")
    return y, value


@pytest.mark.parametrize("name", sorted(FORWARD))
def test_forward_values_match_numpy(name):
    for case in FORWARD[name]:
        tf.reset_default_graph()
        y, value = _run(case, [x.shape for x in case.inputs])
        expected = np.asarray(case.expected(*case.inputs))
        assert isinstance(value, (np.ndarray, np.generic))
        # the static shape and dtype are exactly those of the value computed
        assert y.shape.is_fully_defined(), f"{name}: static shape {y.shape} not fully known"
        assert y.shape.as_tuple() == np.shape(value), f"{name}: {y.shape} vs {np.shape(value)}"
        assert y.dtype.as_numpy_dtype == value.dtype, f"{name}: {y.dtype} vs {value.dtype}"
        assert value.dtype == expected.dtype, f"{name}: {value.dtype} vs numpy's {expected.dtype}"
        assert np.shape(value) == expected.shape
        if value.dtype.kind == "f":
            np.testing.assert_allclose(value, expected, rtol=case.rtol, atol=1e-6, err_msg=name)
        else:
            np.testing.assert_array_equal(value, expected, err_msg=name)


@pytest.mark.parametrize("name", sorted(FORWARD))
def test_static_shapes_with_unknown_dimensions_agree_with_values(name):
    """With every dimension unknown (rank known), the static shape must still admit the value."""
    for case in FORWARD[name]:
        tf.reset_default_graph()
        shapes = [[None] * x.ndim for x in case.inputs]
        y, value = _run(case, shapes)
        assert y.shape.is_compatible_with(np.shape(value)), (
            f"{name}: {y.shape} vs {np.shape(value)}"
        )
        assert y.dtype.as_numpy_dtype == value.dtype
        np.testing.assert_allclose(value, case.expected(*case.inputs), rtol=case.rtol, atol=1e-6)


def test_reductions_of_a_tensor_of_unknown_rank_resolve_negative_axes_at_run_time():
    x = tf.placeholder(tf.float64)  # no shape at all
    value = f64(2, 3, 4)
    cases = [
        (tf.reduce_sum(x, -1), value.sum(-1)),
        (tf.reduce_max(x, axis=[0, -1]), value.max((0, -1))),
        (tf.reduce_mean(x, -2, keepdims=True), value.mean(-2, keepdims=True)),
        (tf.reduce_min(x, reduction_indices=[1]), value.min(1)),
        (tf.reduce_sum(x), value.sum()),
        (tf.argmax(x, -1), value.argmax(-1)),
    ]
    sess = tf.Session()
    for tensor, expected in cases:
        got = sess.run(tensor, {x: value})
        assert np.shape(got) == np.shape(expected), tensor
        np.testing.assert_allclose(got, expected, rtol=1e-12)


# Public functions checked by their own tests below rather than by FORWARD.
TESTED_BELOW = {
    "constant", "zeros", "ones", "fill", "placeholder",
    "random_normal", "random_uniform", "truncated_normal", "dropout",
    "Variable", "assign", "assign_add", "assign_sub", "global_variables", "trainable_variables",
    "global_variables_initializer", "initialize_all_variables", "variables_initializer",
    "group", "no_op",
    "add_check_numerics_ops",  # in tests/test_numerics.py
    "to_float", "to_double", "to_int32", "to_int64", "in_top_k",  # in tests/test_tf1_support.py
    "scalar_summary", "histogram_summary", "image_summary", "merge_summary",  # there too
    "merge_all_summaries",
}  # fmt: skip


def _public_ops(module):
    """Names of ``module`` that build ops: functions and classes from ``tutorflow.ops``
    (the convolution family is checked against its reference kernels in its own tests)."""
    return {
        name
        for name, obj in vars(module).items()
        if (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__.startswith("tutorflow.ops.")
        and obj.__module__ != "tutorflow.ops.conv_ops"
    }


def test_every_public_op_has_a_forward_test():
    public = _public_ops(tf) | _public_ops(tf.nn)
    missing = public - set(FORWARD) - TESTED_BELOW
    assert not missing, f"no forward test for {sorted(missing)}"


# -- constants, fills and placeholders ---------------------------------------------------------


def test_constants_and_fills():
    cases = [
        (tf.constant([[1, 2], [3, 4]]), np.array([[1, 2], [3, 4]], np.int32)),
        (tf.constant(2.5), np.float32(2.5)),
        (tf.constant(np.arange(3.0)), np.arange(3.0)),
        (tf.constant(0.1, shape=[2, 3]), np.full((2, 3), 0.1, np.float32)),
        (tf.constant([1, 2, 3, 4], tf.float64, shape=[2, 2]), np.array([[1.0, 2], [3, 4]])),
        (tf.constant(2**40), np.int64(2**40)),
        (tf.constant([True, False]), np.array([True, False])),
        (tf.zeros([2, 3]), np.zeros((2, 3), np.float32)),
        (tf.ones([3], tf.int32), np.ones(3, np.int32)),
        (tf.fill([2, 3], 2.5), np.full((2, 3), 2.5, np.float32)),
        (tf.fill([2], 7), np.full(2, 7, np.int32)),
    ]
    sess = tf.Session()
    for tensor, expected in cases:
        value = sess.run(tensor)
        assert tensor.shape.as_tuple() == np.shape(value) == expected.shape
        assert tensor.dtype.as_numpy_dtype == value.dtype == expected.dtype
        np.testing.assert_array_equal(value, expected)


def test_constant_refuses_a_lossy_conversion():
    with pytest.raises(TypeError):
        tf.constant(2.5, dtype=tf.int32)
    with pytest.raises(ValueError):
        tf.constant([1, 2, 3], shape=[2, 2])


def test_placeholder_passes_the_fed_value_through():
    x = tf.placeholder(tf.float32, [None, 2])
    value = tf.Session().run(x * 1, {x: [[1, 2], [3, 4]]})
    assert value.dtype == np.float32
    np.testing.assert_array_equal(value, [[1, 2], [3, 4]])


def test_placeholder_with_default_uses_the_default_unless_fed():
    x = tf.placeholder_with_default(tf.constant([1.0, 2.0]), [None])
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(x), [1.0, 2.0])
    np.testing.assert_array_equal(sess.run(x, {x: [5.0, 6.0, 7.0]}), [5.0, 6.0, 7.0])


# -- random ops and dropout --------------------------------------------------------------------


def test_random_ops_shapes_ranges_and_moments():
    n = (200, 100)
    normal = tf.random_normal(n, mean=2.0, stddev=3.0, dtype=tf.float64, seed=1)
    trunc = tf.truncated_normal(n, mean=-1.0, stddev=0.5, seed=2)
    uniform = tf.random_uniform(n, minval=-2.0, maxval=5.0, seed=3)
    integers = tf.random_uniform(n, minval=3, maxval=7, dtype=tf.int32, seed=4)
    sess = tf.Session()
    a, t, u, i = sess.run([normal, trunc, uniform, integers])
    for tensor, value in zip([normal, trunc, uniform, integers], [a, t, u, i]):
        assert tensor.shape.as_tuple() == value.shape == n
        assert tensor.dtype.as_numpy_dtype == value.dtype
    assert abs(a.mean() - 2.0) < 0.1 and abs(a.std() - 3.0) < 0.1
    assert t.min() >= -2.0 and t.max() <= 0.0  # within two stddevs of the mean
    assert abs(t.mean() + 1.0) < 0.02 and 0.4 < t.std() < 0.5  # truncation narrows it
    assert u.min() >= -2.0 and u.max() < 5.0 and abs(u.mean() - 1.5) < 0.1
    assert set(np.unique(i)) == {3, 4, 5, 6}
    with pytest.raises(ValueError):
        tf.random_uniform([2], dtype=tf.int32)  # integers need a maxval


def test_random_ops_repeat_with_seeds_and_vary_between_runs():
    def draw():
        tf.reset_default_graph()
        tf.set_random_seed(42)
        x = tf.random_normal([5])
        sess = tf.Session()
        return sess.run(x), sess.run(x)

    first, second = draw()
    again_first, again_second = draw()
    np.testing.assert_array_equal(first, again_first)
    np.testing.assert_array_equal(second, again_second)
    assert not np.array_equal(first, second)


def test_dropout_keeps_and_scales():
    x = tf.ones([100, 100])
    keep = tf.placeholder(tf.float32)
    y = tf.nn.dropout(x, keep, seed=5)
    sess = tf.Session()
    dropped = sess.run(y, {keep: 0.25})
    assert set(np.unique(dropped)) <= {0.0, 4.0}
    assert abs((dropped > 0).mean() - 0.25) < 0.03
    np.testing.assert_array_equal(sess.run(y, {keep: 1.0}), np.ones((100, 100)))
    with pytest.raises(ValueError):
        tf.nn.dropout(x, 1.5)


# -- variables ---------------------------------------------------------------------------------


def test_variables_assign_and_collections():
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(3, trainable=False, name="w")
    assert tf.global_variables() == [v, w]
    assert tf.trainable_variables() == [v]
    sess = tf.Session()
    sess.run(tf.variables_initializer([v]))
    with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value w"):
        sess.run(w)
    sess.run(tf.initialize_all_variables())
    np.testing.assert_array_equal(sess.run(tf.assign(v, [5.0, 6.0])), [5.0, 6.0])
    np.testing.assert_array_equal(sess.run(v.assign_add([1.0, 1.0])), [6.0, 7.0])
    np.testing.assert_array_equal(sess.run(tf.assign_sub(v, [0.5, 0.5])), [5.5, 6.5])
    assert sess.run(tf.assign_add(w, 2)) == 5
    assert sess.run(tf.group(tf.assign(w, 0), tf.no_op())) is None
    assert sess.run(w) == 0
    sess.run(tf.global_variables_initializer())
    np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_a_fetched_variable_value_is_a_copy():
    v = tf.Variable([1.0, 2.0])
    sess = tf.Session()
    sess.run(v.initializer)
    value = sess.run(v)
    value[0] = 100.0
    np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_ops_never_overwrite_constants_variables_or_feeds():
    """Kernels may reuse a dead intermediate's memory, never a value someone else holds."""
    c = tf.constant([1.0, -2.0, 3.0])
    v = tf.Variable([4.0, 5.0, -6.0])
    x = tf.placeholder(tf.float32, [3])
    fed = np.array([0.5, 0.25, -1.0], np.float32)
    outputs = [
        tf.negative(tf.identity(c)),
        tf.exp(v) + 1.0,
        tf.nn.relu(tf.identity(x)) * 2.0,
        tf.square(c) - v,
        tf.nn.tanh(v.value()),
    ]
    sess = tf.Session()
    sess.run(v.initializer)
    first = sess.run(outputs, {x: fed})
    second = sess.run(outputs, {x: fed})
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(sess.run(c), [1.0, -2.0, 3.0])
    np.testing.assert_array_equal(sess.run(v), [4.0, 5.0, -6.0])
    np.testing.assert_array_equal(fed, np.array([0.5, 0.25, -1.0], np.float32))
    np.testing.assert_allclose(first[1], np.exp([4.0, 5.0, -6.0]).astype(np.float32) + 1, rtol=1e-6)


# -- dtype promotion, as TF 1.x does it: Python numbers adapt, tensors never mix ------------


def test_python_numbers_take_the_tensor_dtype():
    x = tf.constant([1, 2], tf.int32)
    assert (x + 2).dtype == tf.int32 and (2 * x).dtype == tf.int32
    np.testing.assert_array_equal(tf.Session().run(x + 2), [3, 4])
    y = tf.constant([1.0], tf.float64)
    assert (y * 2).dtype == tf.float64 and (0.5 + y).dtype == tf.float64
    assert (tf.constant(1.0) * 3).dtype == tf.float32


def test_int_tensor_plus_float_number_is_a_type_error():
    x = tf.constant([1, 2], tf.int32)
    with pytest.raises(TypeError):
        x + 2.5
    with pytest.raises(TypeError):
        2.5 * x
    with pytest.raises(TypeError):
        tf.add(x, 2.5)


@pytest.mark.parametrize(
    "op",
    [lambda a, b: a * b, lambda a, b: a + b, tf.multiply, tf.maximum, tf.matmul, tf.equal],
)
def test_tensors_of_different_dtypes_do_not_mix(op):
    a, b = tf.ones([2, 2], tf.float32), tf.ones([2, 2], tf.float64)
    with pytest.raises((TypeError, ValueError)):
        op(a, b)
    with pytest.raises((TypeError, ValueError)):
        op(tf.ones([2, 2], tf.int32), tf.ones([2, 2], tf.int64))


def test_true_division_of_integers_gives_float64():
    q = tf.constant([1, 2, 3]) / tf.constant([2, 2, 2])
    assert q.dtype == tf.float64
    np.testing.assert_array_equal(tf.Session().run(q), [0.5, 1.0, 1.5])


# -- the dtypes each op takes, as TF's op definitions declare them ---------------------------

DTYPES = [tf.float32, tf.float64, tf.int32, tf.int64, tf.uint8, tf.bool]


def _4d(x):
    return tf.reshape(x, [1, 2, 2, 1])


# One way to build each op type that declares its dtypes, from a 2x2 tensor x.
BUILDERS = {
    "InTopK": lambda x: tf.nn.in_top_k(x, tf.constant([0, 1]), 1),
    "MergeSummary": lambda x: tf.summary.merge([x]),  # takes string tensors only
    "Add": lambda x: x + x,
    "Sub": lambda x: x - x,
    "Mul": lambda x: x * x,
    "RealDiv": lambda x: tf.realdiv(x, x),
    "FloorDiv": lambda x: x // x,
    "FloorMod": lambda x: x % x,
    "Pow": lambda x: x**x,
    "Maximum": lambda x: tf.maximum(x, x),
    "Minimum": lambda x: tf.minimum(x, x),
    "AddN": lambda x: tf.add_n([x, x]),
    "Neg": lambda x: -x,
    "Abs": tf.abs,
    "Sign": tf.sign,
    "Floor": tf.floor,
    "Square": tf.square,
    "Sqrt": tf.sqrt,
    "Exp": tf.exp,
    "Log": tf.log,
    "MatMul": lambda x: tf.matmul(x, x),
    "Sum": tf.reduce_sum,
    "Mean": tf.reduce_mean,
    "Max": tf.reduce_max,
    "Min": tf.reduce_min,
    "Less": lambda x: x < x,
    "LessEqual": lambda x: x <= x,
    "Greater": lambda x: x > x,
    "GreaterEqual": lambda x: x >= x,
    "Relu": tf.nn.relu,
    "Sigmoid": tf.sigmoid,
    "CheckNumerics": lambda x: tf.check_numerics(x, "x"),
    "Tanh": tf.tanh,
    "Softmax": tf.nn.softmax,
    "LogSoftmax": tf.nn.log_softmax,
    "SoftmaxCrossEntropyWithLogits": lambda x: tf.nn.softmax_cross_entropy_with_logits(
        labels=x, logits=x
    ),
    "SparseSoftmaxCrossEntropyWithLogits": lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=[0, 1], logits=x
    ),
    "L2Loss": tf.nn.l2_loss,
    "BiasAdd": lambda x: tf.nn.bias_add(x, x[0]),
    "Conv2D": lambda x: tf.nn.conv2d(_4d(x), tf.reshape(x, [2, 2, 1, 1]), [1, 1, 1, 1], "SAME"),
    "MaxPool": lambda x: tf.nn.max_pool(_4d(x), [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
    "AvgPool": lambda x: tf.nn.avg_pool(_4d(x), [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
}


def test_every_op_that_declares_its_dtypes_is_checked_here():
    declared = {t for t in registry.registered_op_types() if registry.lookup(t).takes}
    assert declared == set(BUILDERS)


@pytest.mark.parametrize("op_type", sorted(BUILDERS))
def test_an_op_runs_on_the_dtypes_it_takes_and_refuses_the_others_at_construction(op_type):
    build, takes = BUILDERS[op_type], registry.lookup(op_type).takes
    for dtype in DTYPES:
        x = tf.constant(np.array([[1, 2], [3, 4]]).astype(dtype.as_numpy_dtype))
        if dtype in takes:
            y = build(x)
            assert y.op.type == op_type
            value = np.asarray(tf.Session().run(y))
            assert value.dtype == y.dtype.as_numpy_dtype  # the dtype the tensor says it has
        else:
            allowed = ", ".join(d.name for d in takes)
            message = f"has DataType {dtype.name} not in list of allowed values: {allowed}$"
            with pytest.raises(TypeError, match=message):
                build(x)


def test_the_mean_of_a_bool_tensor_needs_a_cast_as_in_tf():
    correct = tf.equal(tf.constant([1, 2, 3]), tf.constant([1, 2, 4]))
    with pytest.raises(TypeError) as error:
        tf.reduce_mean(correct)
    assert str(error.value) == (
        "Value passed to parameter 'input' has DataType bool not in list of allowed values: "
        "float32, float64, int32, uint8, int64"
    )
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    assert tf.Session().run(accuracy) == np.float32(2 / 3)


# -- the cross-entropy losses ------------------------------------------------------------------


def test_softmax_cross_entropy_is_stable_for_large_logits():
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    labels = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    for dtype in (tf.float32, tf.float64):
        x = tf.constant(logits, dtype)
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=x)
        (grad,) = tf.gradients(tf.reduce_sum(loss), x)
        loss_value, grad_value = tf.Session().run([loss, grad])
        assert np.all(np.isfinite(loss_value)) and np.all(np.isfinite(grad_value))
        expected = -np.sum(labels * _log_softmax(logits), axis=1)  # [1000, 0, log 3]
        np.testing.assert_allclose(loss_value, expected, rtol=1e-6)
        np.testing.assert_allclose(grad_value, _softmax(logits) - labels, atol=1e-6)
        assert not np.signbit(loss_value[1])  # a certain, right answer costs 0.0, not -0.0


def test_sparse_softmax_cross_entropy_equals_the_dense_one_on_one_hot_labels():
    logits = f64(6, 4) * 5
    logits[0, 2] = 1000.0
    labels = np.array([2, 0, 3, 3, 1, 0])
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    dense = tf.nn.softmax_cross_entropy_with_logits(labels=np.eye(4)[labels], logits=logits)
    assert sparse.shape.as_list() == dense.shape.as_list() == [6]
    s, d = tf.Session().run([sparse, dense])
    np.testing.assert_allclose(s, d, rtol=1e-12)
    np.testing.assert_allclose(s, -_log_softmax(logits)[np.arange(6), labels], rtol=1e-12)


def test_softmax_cross_entropy_requires_named_arguments():
    with pytest.raises(ValueError, match="named arguments"):
        tf.nn.softmax_cross_entropy_with_logits(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError):
        tf.nn.softmax_cross_entropy_with_logits(labels=np.ones((2, 3)), logits=np.ones((2, 2)))
    with pytest.raises(TypeError):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0, 1.0], logits=np.ones((2, 2)))


# -- errors from bad inputs -------------------------------------------------------------------


def test_matmul_with_mismatched_shapes_fails_at_construction():
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
        tf.matmul(tf.ones([2, 3]), tf.ones([4, 2]))
    with pytest.raises(ValueError, match="rank 2"):
        tf.matmul(tf.ones([2, 3, 4]), tf.ones([4, 2]))


def test_broadcasting_mismatch_fails_at_construction():
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.ones([3]) + tf.ones([4])


@pytest.mark.parametrize(
    "build",
    [
        lambda x: tf.reduce_sum(x, axis=2),
        lambda x: tf.reduce_mean(x, axis=[0, -3]),
        lambda x: tf.reduce_max(x, reduction_indices=5),
        lambda x: tf.argmax(x, 2),
        lambda x: tf.squeeze(x, axis=[0]),
        lambda x: tf.reshape(x, [4, -1]),
        lambda x: tf.concat([x, tf.ones([3])], 0),
        lambda x: tf.concat([x, tf.ones([2, 2])], 0),
    ],
)
def test_invalid_axes_and_shapes_fail_at_construction(build):
    with pytest.raises(ValueError):
        build(tf.ones([2, 3]))


def _runtime_error(fetch, feed):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.Session().run(fetch, feed)
    return info.value


def test_sparse_labels_out_of_range_fail_at_run_time_naming_the_node():
    labels = tf.placeholder(tf.int32, [None])
    logits = tf.placeholder(tf.float32, [None, 5])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xent")
    for bad in ([1, 5], [-1, 0]):
        error = _runtime_error(loss, {labels: bad, logits: np.zeros((2, 5))})
        assert "outside the valid range of [0, 5)" in str(error)
        assert "[[node xent" in str(error)
        assert error.op is loss.op


def test_matmul_shape_mismatch_at_run_time_names_the_node():
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None, None])
    product = tf.matmul(a, b, name="product")
    error = _runtime_error(product, {a: np.ones((2, 3)), b: np.ones((4, 2))})
    assert error.op is product.op
    assert "Matrix size-incompatible: In[0]: [2,3], In[1]: [4,2]" in str(error)
    assert "[[node product" in str(error)
    transposed = tf.matmul(a, b, transpose_b=True)
    error = _runtime_error(transposed, {a: np.ones((2, 3)), b: np.ones((3, 2))})
    assert "Matrix size-incompatible: In[0]: [2,3], In[1]: [3,2]" in str(error)
    assert tf.Session().run(transposed, {a: np.ones((2, 3)), b: np.ones((4, 3))}).shape == (2, 4)


def test_broadcast_and_reshape_mismatch_at_run_time_name_the_node():
    a = tf.placeholder(tf.float32, [None])
    b = tf.placeholder(tf.float32, [None])
    error = _runtime_error(tf.add(a, b, name="sum_ab"), {a: np.ones(2), b: np.ones(3)})
    assert "Incompatible shapes: [2] vs. [3]" in str(error)
    assert "[[node sum_ab" in str(error)
    m = tf.placeholder(tf.float32)
    error = _runtime_error(tf.equal(m, tf.transpose(m)), {m: np.ones((2, 3))})
    assert "Incompatible shapes: [2,3] vs. [3,2]" in str(error)
    error = _runtime_error(tf.reshape(a, [2, 2], name="square"), {a: np.ones(3)})
    assert "[[node square" in str(error)
    assert "Input to reshape is a tensor with 3 values, but the requested shape has 4" in str(error)


def test_integer_division_by_zero_is_refused_as_in_tf():
    i = tf.placeholder(tf.int32)
    j = tf.placeholder(tf.int32)
    for quotient in (i // j, i % j, tf.div(i, j)):
        error = _runtime_error(quotient, {i: [7, 8], j: [2, 0]})
        assert "Integer division by zero" in str(error)
        assert error.op is quotient.op
    with np.errstate(divide="raise"), tf.Session() as sess:  # floats divide by 0 quietly
        assert sess.run(tf.div(tf.constant([1.0, -1.0]), 0.0)).tolist() == [np.inf, -np.inf]


def test_div_floors_integers_and_divides_floats_as_tf_1x_did():
    with tf.Session() as sess:
        assert sess.run(tf.div(-7, 2)) == -4 and sess.run(tf.div(7, 2)).dtype == np.int32
        assert sess.run(tf.div(-7.0, 2.0)) == -3.5
    with tf.Graph().as_default():
        assert tf.div(7, 2).name == "div:0" and tf.div(7.0, 2.0).op.type == "RealDiv"


def test_reshape_to_a_run_time_shape_checks_it_as_tf_does():
    x = tf.placeholder(tf.float32, [None, 6])
    rows = tf.shape(x)[0]
    y = tf.reshape(x, [rows, 3, -1])
    assert y.shape.as_list() == [None, 3, None] and y.op.inputs[1].op.type != "Const"
    assert tf.reshape(x, tf.shape(x)).shape.as_list() == [None, 6]  # x's own, as TF infers
    cases = [
        ([rows, 4], "a tensor with 12 values, but the requested shape has 8"),
        (
            [rows, 5, -1],
            "a tensor with 12 values, but the requested shape requires a multiple of 10",
        ),
        ([rows, -1, -1], "Only one input size may be -1, got (2, -1, -1)"),
    ]
    for shape, message in cases:
        error = _runtime_error(tf.reshape(x, shape), {x: np.ones((2, 6))})
        assert message in str(error)
    with pytest.raises(TypeError, match="must be a 1-D int32 or int64 tensor, got float32"):
        tf.reshape(x, tf.constant([2.0, 6.0]))


def test_where_with_a_condition_alone_gives_the_coordinates_of_true_elements():
    values = np.array([[0.5, -1.0, 2.0], [-3.0, 0.0, 4.0]], np.float32)
    x = tf.placeholder(tf.float32, [None, 3])
    coordinates = tf.where(x > 0)
    assert str(coordinates) == 'Tensor("Where:0", shape=(?, 2), dtype=int64)'
    got = tf.Session().run(coordinates, {x: values})
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, [[0, 0], [0, 2], [1, 2]])
    assert tf.Session().run(coordinates, {x: -values - 5}).shape == (0, 2)
    with pytest.raises(ValueError, match="x and y must both be non-None or both be None"):
        tf.where(x > 0, x)


def test_assign_outside_the_variables_graph_builds_in_its_graph():
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable([1.0, 2.0])
    update, increment = v.assign([7.0, 7.0]), v.assign_add([1.0, 1.0])
    assert update.graph is graph and increment.graph is graph
    with tf.Session(graph=graph) as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(update), [7.0, 7.0])
        np.testing.assert_array_equal(sess.run(increment), [8.0, 8.0])


@pytest.mark.parametrize(
    "values, largest, smallest",
    [
        ([1.0, np.nan, 3.0], 2, 0),
        ([np.nan, 5.0, -1.0], 1, 2),
        ([np.nan, np.nan], 0, 0),
    ],
)
def test_argmax_and_argmin_pass_over_nans_as_tf_does(values, largest, smallest):
    x = tf.constant(np.array(values, np.float32))
    with tf.Session() as sess:
        assert sess.run([tf.argmax(x), tf.argmin(x)]) == [largest, smallest]


def test_argmax_over_rows_with_nans():
    x = tf.constant([[np.nan, 1.0, 0.0], [2.0, np.nan, 3.0]])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(tf.argmax(x, 1)), [1, 2])


def test_reshape_to_the_shape_of_another_tensor_keeps_its_static_shape():
    x = tf.placeholder(tf.float32, [None, 6])
    y = tf.placeholder(tf.float32, [None, 2, 3])
    reshaped = tf.reshape(x, tf.shape(y))
    assert reshaped.shape.as_list() == [None, 2, 3]
    with tf.Session() as sess:
        value = sess.run(reshaped, {x: np.zeros((4, 6)), y: np.zeros((4, 2, 3))})
    assert value.shape == (4, 2, 3)
