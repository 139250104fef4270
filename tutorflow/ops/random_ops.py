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
    """Samples from a normal distribution, new ones at each run.

    Args:
        shape: the output's shape: a list of ints, or a 1-D int tensor known when run.
        mean: the distribution's mean.
        stddev: its standard deviation.
        dtype: the output's dtype.
        seed: an integer; it or the graph's seed (``tf.set_random_seed``) makes each new
            session draw the same sequence; with neither, each session draws anew.
        name: a name for the op (optional).

    Returns:
        A tensor of ``shape`` and ``dtype``.

    Not used in the course; notebook 08 (LeNet-5) starts its weights with ``truncated_normal``.
    """
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
    """Samples from a normal distribution, each more than 2 stddevs from the mean redrawn.

    The usual start for weights: small and random, so that units differ, with no outliers.

    Args:
        shape: the output's shape: a list of ints, or a 1-D int tensor known when run.
        mean: the distribution's mean.
        stddev: the standard deviation before truncation.
        dtype: the output's dtype.
        seed: an integer; it or the graph's seed (``tf.set_random_seed``) makes each new
            session draw the same sequence; with neither, each session draws anew.
        name: a name for the op (optional).

    Returns:
        A tensor of ``shape`` and ``dtype``, each value within 2 stddevs of ``mean``.

    Taught in notebook 08 (LeNet-5).
    """
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
    """Samples uniformly from ``[minval, maxval)``, new ones at each run.

    Args:
        shape: the output's shape: a list of ints, or a 1-D int tensor known when run.
        minval: the lower bound, included.
        maxval: the upper bound, excluded; 1 by default for floats, required for integers.
        dtype: the output's dtype, float or integer.
        seed: an integer; it or the graph's seed (``tf.set_random_seed``) makes each new
            session draw the same sequence; with neither, each session draws anew.
        name: a name for the op (optional).

    Returns:
        A tensor of ``shape`` and ``dtype``.

    Raises:
        ValueError: if ``dtype`` is an integer type and ``maxval`` is not given.

    Not used directly in the course; ``tf.nn.dropout`` (notebook 08, LeNet-5) draws its masks
    with it.
    """
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
    sample = _unit_uniform(rng, shape, dtype.as_numpy_dtype)
    return (sample * (high - low) + low).astype(dtype.as_numpy_dtype, copy=False)


def _unit_uniform(rng, shape, np_dtype) -> np.ndarray:
    """Uniform on [0, 1) in steps of 2**-23 (float32) or 2**-52 (float64), as TF draws it.

    numpy's float32 draws have a 24th bit, so 1 - 2**-24 can come up; 1.0 plus that rounds to
    2.0 in float32, and dropout's mask floor(keep_prob + u) would then keep a unit twice over
    at keep_prob = 1.0 (about once in 16 million values)."""
    bits = 23 if np_dtype == np.float32 else 52
    steps = rng.integers(0, 1 << bits, shape, np.int32 if bits == 23 else np.int64)
    return steps.astype(np_dtype) * np_dtype(2.0**-bits)


registry.not_differentiable("RandomStandardNormal", "TruncatedNormal", "RandomUniform")
