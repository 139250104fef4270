"""``tf.reshape``, and how it reads a shape that the graph fixes already."""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, ops, registry
from ..framework.errors import InvalidArgumentError
from ..framework.tensor_shape import TensorShape
from ._util import make
from .array_ops import reshape_like, stack


def reshape(tensor, shape, name=None):
    """Gives ``tensor`` a new shape with the same elements; one dimension may be -1.

    Args:
      tensor: a tensor, or a value convertible to one.
      shape: a list of ints, or a tensor (``tf.shape(y)``) or list holding tensors
        (``[tf.shape(x)[0], -1]``) whose value is read at run time.
      name: a name for the op (optional).

    Returns:
      A tensor of ``tensor``'s dtype and elements in the new shape.

    Raises:
      ValueError: if the element counts cannot match.

    Taught in notebook 08 (LeNet-5).
    """
    tensor = ops.convert_to_tensor(tensor)
    if _holds_tensors(shape):
        known = _static_dims(shape)
        if None in known:
            return _reshape_at_run_time(tensor, shape, known, name)
        shape = known
    target = [int(d) for d in shape]
    if target.count(-1) > 1:
        raise ValueError(f"Cannot reshape to {target}: only one dimension can be -1")
    known = tensor.shape.num_elements()
    rest = int(np.prod([d for d in target if d != -1]))
    if -1 in target:
        static = [
            d if d != -1 else (known // rest if known is not None and rest else None)
            for d in target
        ]
        if known is not None and rest and known % rest:
            raise ValueError(f"Cannot reshape a tensor with {known} elements to shape {target}")
    else:
        static = target
        if known is not None and known != rest:
            raise ValueError(
                f"Cannot reshape a tensor with {known} elements to shape "
                f"{target} ({rest} elements) for 'Reshape'"
            )
    return make("Reshape", [tensor], tensor.dtype, static, {"shape": tuple(target)}, name)


def _holds_tensors(shape) -> bool:
    items = shape if isinstance(shape, (list, tuple)) else [shape]
    return any(isinstance(d, ops.Tensor) or hasattr(d, "_as_graph_element") for d in items)


def _static_dims(shape) -> list:
    """Each dimension of a ``reshape`` shape that the graph fixes already (else None)."""
    if isinstance(shape, (list, tuple)):
        return [d if isinstance(d, int) else _static_value(ops.convert_to_tensor(d)) for d in shape]
    shape = ops.convert_to_tensor(shape)
    if not shape.dtype.is_integer or shape.shape.ndims not in (None, 1):
        raise TypeError(
            f"The shape given to reshape must be a 1-D int32 or int64 tensor, got"
            f" {shape.dtype.name} of shape {shape.shape}"
        )
    value = _static_value(shape)
    if value is None and shape.op.type == "Shape" and shape.op.inputs[0].shape.ndims is not None:
        return shape.op.inputs[0].shape.as_list()  # tf.shape(y): y's dims, None where unknown
    return [None] if value is None else [int(d) for d in value]


def _static_value(tensor):
    """The value of ``tensor`` if the graph fixes it: a constant, the shape of a tensor whose
    shape is fully known, or part of either; else None."""
    op = tensor.op
    if op.type == "Const":
        return op.attrs["value"]
    if op.type == "Shape" and op.inputs[0].shape.is_fully_defined():
        return np.array(op.inputs[0].shape.as_tuple(), op.attrs["out_type"].as_numpy_dtype)
    if op.type == "StridedSlice":
        value = _static_value(op.inputs[0])
        return None if value is None else value[op.attrs["key"]]
    return None


def _reshape_at_run_time(tensor, shape, known, name):
    """``Reshape`` with the shape as its second input, as TF builds it."""
    with ops.name_scope(name, "Reshape", [tensor]) as scope:
        if isinstance(shape, (list, tuple)):
            shape = stack([ops.convert_to_tensor(d, dtypes.int32) for d in shape])
        shape = ops.convert_to_tensor(shape)
        static = TensorShape(None)
        if shape.shape.is_fully_defined():
            dims = known if len(known) == shape.shape[0].value else [None] * shape.shape[0].value
            static = TensorShape([d if d is not None and d >= 0 else None for d in dims])
        return make("Reshape", [tensor, shape], tensor.dtype, static, {}, scope)


@registry.kernel("Reshape")
def _reshape(op, x, shape=None):
    target = op.attrs["shape"] if shape is None else tuple(int(d) for d in shape)
    size, rest = np.size(x), int(np.prod([d for d in target if d != -1]))
    if target.count(-1) > 1:
        raise InvalidArgumentError(None, None, f"Only one input size may be -1, got {target}")
    mismatch = f"Input to reshape is a tensor with {size} values, but the requested shape"
    if -1 in target and (rest == 0 or size % rest):
        raise InvalidArgumentError(None, None, f"{mismatch} requires a multiple of {rest}")
    if -1 not in target and size != rest:
        raise InvalidArgumentError(None, None, f"{mismatch} has {rest}")
    return np.reshape(x, target)


@registry.gradient("Reshape")
def _reshape_grad(op, grad):
    return [reshape_like(grad, op.inputs[0]), *[None] * (len(op.inputs) - 1)]
