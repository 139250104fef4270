"""Creating tensors: constants, placeholders, and tensors filled with zeros or ones.

Importing this module teaches ``convert_to_tensor`` to make constants of Python and numpy values.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, ops, registry
from ..framework.errors import InvalidArgumentError
from ..framework.tensor_shape import as_shape
from ._util import make


def constant(value, dtype=None, shape=None, name="Const"):
    """A tensor with a fixed value. A scalar with a ``shape`` fills that shape.

    >>> import tutorflow as tf
    >>> tf.constant(0.1, shape=[2]).eval(session=tf.Session())
    array([0.1, 0.1], dtype=float32)
    """
    if isinstance(value, (ops.Tensor, ops.Operation)):
        raise TypeError(f"Expected a Python or numpy value for tf.constant, got {value!r}.")
    dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.infer_dtype(value)
    array = ops.numpy_value(value, dtype)
    if shape is not None:
        shape = tuple(int(d) for d in shape)
        if array.size == 1:
            array = np.full(shape, array.reshape(()), dtype=array.dtype)
        elif array.size == int(np.prod(shape)):
            array = array.reshape(shape)
        else:
            raise ValueError(
                f"Too many elements provided. Needed at most {int(np.prod(shape))},"
                f" but received {array.size}"
            )
    array = np.array(array)  # our own copy: later changes to `value` must not reach the graph
    return make("Const", [], dtype, array.shape, {"value": array, "dtype": dtype}, name)


ops.register_tensor_conversion_function(object, constant)  # Python and numpy values


@registry.kernel("Const", aliases=True)
def _const(op):
    return op.attrs["value"]


def placeholder(dtype, shape=None, name=None):
    """A tensor whose value is fed at run time: ``sess.run(y, feed_dict={x: ...})``.

    A bare int as ``shape`` is one dimension, as in TF: ``shape=(batch_size)`` is
    ``[batch_size]``.
    """
    dtype, shape = dtypes.as_dtype(dtype), as_shape(shape)
    return make("Placeholder", [], dtype, shape, {"dtype": dtype, "shape": shape}, name)


@registry.kernel("Placeholder", needs_feed=True)
def _placeholder(op):  # reached only if the session did not catch the missing feed first
    raise InvalidArgumentError(None, op, f"You must feed a value for placeholder {op.name}")


def placeholder_with_default(input, shape, name=None):
    """A placeholder that takes the value of ``input`` when it is not fed."""
    input = ops.convert_to_tensor(input)
    shape = as_shape(shape)
    if not input.shape.is_compatible_with(shape):
        raise ValueError(f"Default value of shape {input.shape} is not compatible with {shape}")
    return make("PlaceholderWithDefault", [input], input.dtype, shape, {"shape": shape}, name)


@registry.kernel("PlaceholderWithDefault", aliases=True)
def _placeholder_with_default(op, x):
    return x


@registry.gradient("PlaceholderWithDefault")
def _placeholder_with_default_grad(op, grad):
    return [grad]


def zeros(shape, dtype=dtypes.float32, name="zeros"):
    return constant(0, dtype=dtype, shape=shape, name=name)


def ones(shape, dtype=dtypes.float32, name="ones"):
    return constant(1, dtype=dtype, shape=shape, name=name)


def fill(dims, value, name="Fill"):
    return constant(value, shape=dims, name=name)


def zeros_like(tensor, dtype=None, name=None):
    return _like("ZerosLike", tensor, dtype, name)


def ones_like(tensor, dtype=None, name=None):
    return _like("OnesLike", tensor, dtype, name)


def _like(op_type, tensor, dtype, name):
    tensor = ops.convert_to_tensor(tensor)
    dtype = dtypes.as_dtype(dtype) if dtype is not None else tensor.dtype
    return make(op_type, [tensor], dtype, tensor.shape, {"dtype": dtype}, name)


@registry.kernel("ZerosLike")
def _zeros_like(op, x):
    return np.zeros(np.shape(x), op.attrs["dtype"].as_numpy_dtype)


@registry.kernel("OnesLike")
def _ones_like(op, x):
    return np.ones(np.shape(x), op.attrs["dtype"].as_numpy_dtype)


registry.not_differentiable("Const", "Placeholder", "ZerosLike", "OnesLike")
