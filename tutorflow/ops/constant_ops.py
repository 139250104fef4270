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

    Args:
      value: a Python or numpy value (a number, a nested list, an array).
      dtype: its DType (default: inferred; Python ints are int32, floats float32).
      shape: the shape to give it (optional); a scalar fills it, other values keep their
        elements in order.
      name: a name for the op (default ``Const``).

    Returns:
      A tensor of ``dtype`` whose op holds a copy of ``value``.

    Raises:
      ValueError: if ``value`` is no scalar and has not as many elements as ``shape``.
      TypeError: if ``value`` is a tensor or does not fit ``dtype``.

    Taught in notebook 01 (start here).

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

    Args:
      dtype: the DType of the values to be fed.
      shape: their shape; None for any, None in a dimension for any size there. A bare int
        is one dimension, as in TF: ``shape=(batch_size)`` is ``[batch_size]``.
      name: a name for the op (optional).

    Returns:
      A tensor that a run must feed; running it unfed raises InvalidArgumentError.

    Taught in notebook 03 (placeholders and variables).
    """
    dtype, shape = dtypes.as_dtype(dtype), as_shape(shape)
    return make("Placeholder", [], dtype, shape, {"dtype": dtype, "shape": shape}, name)


@registry.kernel("Placeholder", needs_feed=True)
def _placeholder(op):  # reached only if the session did not catch the missing feed first
    raise InvalidArgumentError(None, op, f"You must feed a value for placeholder {op.name}")


def placeholder_with_default(input, shape, name=None):
    """A placeholder that takes the value of ``input`` when it is not fed.

    Args:
      input: the default value: a tensor, or a value convertible to one.
      shape: the shape fed values may have.
      name: a name for the op (optional).

    Returns:
      A tensor of ``input``'s dtype and the given ``shape``.

    Raises:
      ValueError: if ``input``'s shape does not fit ``shape``.

    Taught in notebook 03 (placeholders and variables).
    """
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
    """A tensor of ``shape`` filled with zeros.

    Args:
      shape: a list of ints.
      dtype: the DType (default float32).
      name: a name for the op.

    Returns:
      A constant tensor.

    Taught in notebook 05 (softmax regression).
    """
    return constant(0, dtype=dtype, shape=shape, name=name)


def ones(shape, dtype=dtypes.float32, name="ones"):
    """A tensor of ``shape`` filled with ones.

    Args:
      shape: a list of ints.
      dtype: the DType (default float32).
      name: a name for the op.

    Returns:
      A constant tensor.

    Taught in notebook 11 (when training goes wrong).
    """
    return constant(1, dtype=dtype, shape=shape, name=name)


def fill(dims, value, name="Fill"):
    """A tensor of shape ``dims`` filled with ``value``.

    Args:
      dims: a list of ints.
      value: a Python or numpy scalar; its dtype is inferred.
      name: a name for the op.

    Returns:
      A constant tensor.

    Taught in notebook 02 (graphs and sessions).
    """
    return constant(value, shape=dims, name=name)


def zeros_like(tensor, dtype=None, name=None):
    """Zeros in the shape of ``tensor``, computed when the graph runs.

    Args:
      tensor: a tensor, or a value convertible to one.
      dtype: the DType of the result (default: ``tensor``'s).
      name: a name for the op (optional).

    Returns:
      A tensor with ``tensor``'s shape.

    Taught in notebook 06 (how learning works).
    """
    return _like("ZerosLike", tensor, dtype, name)


def ones_like(tensor, dtype=None, name=None):
    """Ones in the shape of ``tensor``, computed when the graph runs.

    Args:
      tensor: a tensor, or a value convertible to one.
      dtype: the DType of the result (default: ``tensor``'s).
      name: a name for the op (optional).

    Returns:
      A tensor with ``tensor``'s shape; ``tf.gradients`` starts from one.

    Taught in notebook 06 (how learning works).
    """
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
