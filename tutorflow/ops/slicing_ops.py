"""Joining tensors and taking pieces out of them: concat (whose gradient slices) and
``tensor[key]``."""

from __future__ import annotations

import numpy as np

from ..framework import ops, registry
from ..framework.tensor_shape import TensorShape
from ._util import make
from .constant_ops import zeros_like


def concat(values, axis, name="concat"):
    """Joins tensors along ``axis``; their other dimensions must agree.

    Args:
      values: a list of tensors (or convertible values) of one rank and dtype.
      axis: the dimension to join along; negative counts from the end.
      name: a name for the op.

    Returns:
      A tensor whose ``axis`` dimension is the sum of theirs.

    Raises:
      ValueError: if the ranks or the other dimensions differ.

    Shapes are taught in notebook 08 (LeNet-5), with ``tf.reshape``.
    """
    with ops.name_scope(name, "concat", values) as scope:
        values = [ops.convert_to_tensor(v) for v in values]
        values = [values[0]] + [ops.convert_to_tensor(v, values[0].dtype) for v in values[1:]]
        ranks = {v.shape.ndims for v in values} - {None}
        if len(ranks) > 1:
            raise ValueError(
                f"Shapes of all inputs must have the same rank for 'ConcatV2', "
                f"got {[str(v.shape) for v in values]}"
            )
        static = None
        if ranks and all(v.shape.ndims is not None for v in values):
            ndims = ranks.pop()
            axis = axis % ndims
            static = list(values[0].shape.as_tuple())
            sizes = [v.shape.as_tuple()[axis] for v in values]
            static[axis] = None if None in sizes else sum(sizes)
            for v in values[1:]:
                others = [d for i, d in enumerate(v.shape.as_tuple()) if i != axis]
                mine = [d for i, d in enumerate(static) if i != axis]
                if not TensorShape(others).is_compatible_with(mine):
                    raise ValueError(
                        f"Dimension mismatch in 'ConcatV2': shapes "
                        f"{values[0].shape} and {v.shape} along axis {axis}"
                    )
        return make("ConcatV2", values, values[0].dtype, static, {"axis": int(axis)}, scope)


@registry.kernel("ConcatV2")
def _concat(op, *values):
    return np.concatenate(values, axis=op.attrs["axis"])


@registry.gradient("ConcatV2")
def _concat_grad(op, grad):
    return [slice_like(grad, op.inputs, i, op.attrs["axis"]) for i in range(len(op.inputs))]


def slice_like(grad, parts, index, axis):
    """The piece of ``grad`` that the ``index``-th of ``parts`` contributed along ``axis``.

    Args:
      grad: the gradient of a concat's output.
      parts: the tensors that were joined.
      index: which of them.
      axis: the dimension they were joined along.

    Returns:
      A tensor of ``grad``'s dtype and ``parts[index]``'s shape.

    Taught in notebook 06 (how learning works).
    """
    return make(
        "ConcatSlice",
        [grad, *parts],
        grad.dtype,
        parts[index].shape,
        {"index": index, "axis": axis},
    )


@registry.kernel("ConcatSlice")
def _concat_slice(op, grad, *parts):
    axis, index = op.attrs["axis"], op.attrs["index"]
    start = sum(np.shape(p)[axis] for p in parts[:index])
    return np.take(grad, range(start, start + np.shape(parts[index])[axis]), axis=axis)


@registry.gradient("ConcatSlice")
def _concat_slice_grad(op, grad):
    """Puts ``grad`` back in its place along ``axis``, between zeros for the other parts."""
    parts = op.inputs[1:]
    index = op.attrs["index"]
    pieces = [grad if i == index else zeros_like(p) for i, p in enumerate(parts)]
    return [concat(pieces, op.attrs["axis"]), *[None] * len(parts)]


# -- indexing ---------------------------------------------------------------------------------


def getitem(tensor, key):
    """``tensor[key]``: basic numpy slicing and integer indexing (Tensor's ``[]``).

    Args:
      tensor: a tensor.
      key: ints, slices, None and Ellipsis, or a tuple of them.

    Returns:
      A tensor of ``tensor``'s dtype.

    Raises:
      TypeError: for any other key, such as a tensor or a list.

    Shapes are taught in notebook 08 (LeNet-5), with ``tf.reshape``.
    """
    key = key if isinstance(key, tuple) else (key,)
    for k in key:
        if not (k is None or k is Ellipsis or isinstance(k, (int, slice))):
            raise TypeError(
                f"Only integers, slices, None and Ellipsis are valid indices, got {k!r}"
            )
    static = None
    if tensor.shape.is_fully_defined():
        static = np.empty(tensor.shape.as_tuple(), np.bool_)[key].shape
    return make("StridedSlice", [tensor], tensor.dtype, static, {"key": key}, "strided_slice")


@registry.kernel("StridedSlice")
def _strided_slice(op, x):
    return np.asarray(x)[op.attrs["key"]]


@registry.gradient("StridedSlice")
def _strided_slice_grad(op, grad):
    x = op.inputs[0]
    return [make("StridedSliceGrad", [x, grad], grad.dtype, x.shape, {"key": op.attrs["key"]})]


@registry.kernel("StridedSliceGrad")
def _strided_slice_grad_kernel(op, x, grad):
    out = np.zeros(np.shape(x), np.asarray(grad).dtype)
    out[op.attrs["key"]] = grad
    return out


@registry.gradient("StridedSliceGrad")
def _strided_slice_grad_grad(op, grad):
    return [
        None,
        make("StridedSlice", [grad], grad.dtype, op.inputs[1].shape, {"key": op.attrs["key"]}),
    ]
