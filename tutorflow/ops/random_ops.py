"""Random tensors. Each op keeps its own generator in the session, so repeated runs draw new
numbers while a new session, with the same seeds, draws the same sequence again."""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, ops, registry
from ..framework.random_seed import get_seed
from ..framework.tensor_shape import TensorShape
from ._util import make


def _random_op(op_type, shape, dtype, seed, name, **attrs):
    dtype = dtypes.as_dtype(dtype)
    if isinstance(shape, ops.Tensor) or hasattr(shape, "_as_graph_element"):
        shape = ops.convert_to_tensor(shape)  # a shape known only at run time
        inputs, static = [shape], TensorShape([None] * shape.shape.as_list()[0])
    else:
        inputs, static = [], TensorShape([int(d) for d in shape])
    attrs.update(dtype=dtype, seeds=get_seed(seed), shape=static.as_tuple())
    return make(op_type, inputs, dtype, static, attrs, name)


def _generator(op, state) -> np.random.Generator:
    seeds = op.attrs["seeds"]
    return state.resource(op, lambda _: np.random.default_rng(None if seeds[0] is None else seeds))


def _shape(op, dynamic_shape):
    return op.attrs["shape"] if not dynamic_shape else tuple(int(d) for d in dynamic_shape[0])


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution."""
    return _random_op(
        "RandomStandardNormal",
        shape,
        dtype,
        seed,
        name or "random_normal",
        mean=mean,
        stddev=stddev,
    )


@registry.kernel("RandomStandardNormal", stateful=True)
def _random_normal(op, state, *dynamic_shape):
    sample = _generator(op, state).standard_normal(_shape(op, dynamic_shape))
    return (sample * op.attrs["stddev"] + op.attrs["mean"]).astype(op.attrs["dtype"].as_numpy_dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution, redrawing values more than 2 stddevs from the mean."""
    return _random_op(
        "TruncatedNormal", shape, dtype, seed, name or "truncated_normal", mean=mean, stddev=stddev
    )


@registry.kernel("TruncatedNormal", stateful=True)
def _truncated_normal(op, state, *dynamic_shape):
    rng = _generator(op, state)
    sample = rng.standard_normal(_shape(op, dynamic_shape))
    outside = np.abs(sample) > 2
    while outside.any():
        sample[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(sample) > 2
    return (sample * op.attrs["stddev"] + op.attrs["mean"]).astype(op.attrs["dtype"].as_numpy_dtype)


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Samples uniformly from ``[minval, maxval)``; ``maxval`` defaults to 1 for floats."""
    dtype = dtypes.as_dtype(dtype)
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    return _random_op(
        "RandomUniform", shape, dtype, seed, name or "random_uniform", minval=minval, maxval=maxval
    )


@registry.kernel("RandomUniform", stateful=True)
def _random_uniform(op, state, *dynamic_shape):
    rng = _generator(op, state)
    shape, low, high = _shape(op, dynamic_shape), op.attrs["minval"], op.attrs["maxval"]
    dtype = op.attrs["dtype"]
    if dtype.is_integer:
        return rng.integers(low, high, shape).astype(dtype.as_numpy_dtype)
    sample = rng.random(shape, np.float32 if dtype is dtypes.float32 else np.float64)
    return (sample * (high - low) + low).astype(dtype.as_numpy_dtype, copy=False)


registry.not_differentiable("RandomStandardNormal", "TruncatedNormal", "RandomUniform")
