"""Reductions (sum, mean, max, min, argmax, argmin) and the broadcasting plumbing that
gradients use: ``sum_to_shape_of`` undoes broadcasting by summing, ``broadcast_to_shape_of``
undoes a reduction. The two are each other's gradient and use the reductions, so they live
here."""

from __future__ import annotations

import numpy as np

from .. import loops
from ..framework import dtypes, ops, registry
from . import array_ops
from ._util import make, normalize_axes
from .comparison_ops import equal

# -- broadcasting, undone in gradients ---------------------------------------------------------


def sum_to_shape_of(grad, like, beside=None):
    """Sums ``grad`` over the axes that broadcasting stretched, to the shape of ``like``.

    Args:
      grad: the gradient of a broadcast result.
      like: the input that was broadcast.
      beside: the tensor that ``like`` was broadcast against, if known.

    Returns:
      ``grad`` itself where the shapes show that nothing was stretched (both fully known and
      equal, or ``beside`` too small to stretch ``like``, as a bias beside a batch of ``None``
      rows), else a SumToShapeOf op's output.

    Taught in notebook 06 (how learning works).
    """
    if grad.shape.is_fully_defined() and grad.shape == like.shape:
        return grad
    if beside is not None and not _may_stretch(like.shape, beside.shape):
        return grad
    return make("SumToShapeOf", [grad, like], grad.dtype, like.shape)


def _may_stretch(shape, other) -> bool:
    """Whether broadcasting a tensor of ``shape`` against one of ``other`` may make it bigger:
    ``other`` has more axes, or along an axis its size may exceed 1 where ``shape``'s may be 1
    (unknown sizes may be anything)."""
    if shape.ndims is None or other.ndims is None or other.ndims > shape.ndims:
        return True
    return any(
        n in (None, 1) and m != 1 for n, m in zip(shape.as_tuple()[::-1], other.as_tuple()[::-1])
    )


@registry.kernel("SumToShapeOf", aliases=True)
def _sum_to_shape_of(op, grad, like):
    target = np.shape(like)
    if np.shape(grad) == target:
        return grad
    if len(target) == 1 and loops.is_bias_add(grad, like):
        return loops.bias_add_grad(grad)
    lead = np.ndim(grad) - len(target)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(target) if n == 1 and grad.shape[lead + i] != 1
    )
    return np.sum(grad, axis=axes, keepdims=True).reshape(target)


@registry.gradient("SumToShapeOf")
def _sum_to_shape_of_grad(op, grad):
    return [broadcast_to_shape_of(grad, op.inputs[0]), None]


def broadcast_to_shape_of(grad, like, axes=()):
    """Re-inserts the reduced ``axes`` of ``grad`` and broadcasts it to the shape of ``like``.

    Args:
      grad: the gradient of a reduction's output.
      like: the reduction's input.
      axes: the axes the reduction removed (none if it kept them).

    Returns:
      A tensor of ``grad``'s dtype and ``like``'s shape.

    Taught in notebook 06 (how learning works).
    """
    return make("BroadcastToShapeOf", [grad, like], grad.dtype, like.shape, {"axes": axes})


@registry.kernel("BroadcastToShapeOf")
def _broadcast_to_shape_of(op, grad, like):
    if np.ndim(grad) == 0:
        # A scalar spread over `like`, as a loss's gradient starts: filled in, in a third of
        # np.broadcast_to's time. The op after it makes an array of this size anyway, and may
        # now write it here instead (client/plan.py forwards a dying input).
        return np.full(np.shape(like), grad)
    axes = op.attrs["axes"]
    if axes:
        grad = np.expand_dims(grad, axes)
    return np.broadcast_to(grad, np.shape(like))


@registry.gradient("BroadcastToShapeOf")
def _broadcast_to_shape_of_grad(op, grad):
    axes = op.attrs["axes"]
    summed = reduce_sum(grad, axis=list(axes)) if axes else grad
    return [sum_to_shape_of(summed, op.inputs[0]), None]


# -- reductions -------------------------------------------------------------------------------


def _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices, keep_dims):
    x = ops.convert_to_tensor(input_tensor)
    axis = reduction_indices if axis is None else axis
    keepdims = bool(keep_dims if keepdims is None and keep_dims is not None else keepdims)
    ndims = x.shape.ndims
    axes = normalize_axes(axis, ndims, op_type)
    if axes is None and axis is not None:
        # Negative axes of a tensor of unknown rank: numpy resolves them at run time.
        axes = tuple(int(a) for a in np.ravel(axis))
    static = None
    if ndims is not None and axes is not None:
        dims = x.shape.as_tuple()
        static = (
            [1 if i in axes else d for i, d in enumerate(dims)]
            if keepdims
            else [d for i, d in enumerate(dims) if i not in axes]
        )
    attrs = {"axes": axes if axis is not None else None, "keepdims": keepdims}
    return make(op_type, [x], x.dtype, static, attrs, name)


def reduce_sum(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    """Sums the elements of ``input_tensor`` over ``axis``.

    Args:
      input_tensor: a numeric tensor, or a value convertible to one.
      axis: an int or list of ints (negatives count from the end); default: every axis.
      keepdims: whether reduced dimensions stay, with size 1 (default False).
      name: a name for the op (optional).
      reduction_indices: TF 1.x's older name for ``axis``.
      keep_dims: TF 1.x's older name for ``keepdims``.

    Returns:
      A tensor of ``input_tensor``'s dtype, without the reduced dimensions.

    Taught in notebook 03 (placeholders and variables).
    """
    return _reduce("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    """Averages the elements of ``input_tensor`` over ``axis``.

    Integer tensors give the integer mean, truncated toward zero, as in TF.

    Args:
      input_tensor: a numeric tensor, or a value convertible to one.
      axis: an int or list of ints (negatives count from the end); default: every axis.
      keepdims: whether reduced dimensions stay, with size 1 (default False).
      name: a name for the op (optional).
      reduction_indices: TF 1.x's older name for ``axis``.
      keep_dims: TF 1.x's older name for ``keepdims``.

    Returns:
      A tensor of ``input_tensor``'s dtype, without the reduced dimensions.

    Taught in notebook 05 (softmax regression).
    """
    return _reduce("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    """The largest element of ``input_tensor`` over ``axis``.

    Args:
      input_tensor: a numeric tensor, or a value convertible to one.
      axis: an int or list of ints (negatives count from the end); default: every axis.
      keepdims: whether reduced dimensions stay, with size 1 (default False).
      name: a name for the op (optional).
      reduction_indices: TF 1.x's older name for ``axis``.
      keep_dims: TF 1.x's older name for ``keepdims``.

    Returns:
      A tensor of ``input_tensor``'s dtype, without the reduced dimensions.

    Reductions are taught in notebook 05 (softmax regression), with ``tf.reduce_mean``.
    """
    return _reduce("Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    """The smallest element of ``input_tensor`` over ``axis``.

    Args:
      input_tensor: a numeric tensor, or a value convertible to one.
      axis: an int or list of ints (negatives count from the end); default: every axis.
      keepdims: whether reduced dimensions stay, with size 1 (default False).
      name: a name for the op (optional).
      reduction_indices: TF 1.x's older name for ``axis``.
      keep_dims: TF 1.x's older name for ``keepdims``.

    Returns:
      A tensor of ``input_tensor``'s dtype, without the reduced dimensions.

    Reductions are taught in notebook 05 (softmax regression), with ``tf.reduce_mean``.
    """
    return _reduce("Min", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


@registry.kernel("Sum", takes=dtypes.NUMBERS, parameter="input")
def _sum(op, x):
    x = np.asarray(x)
    return np.sum(x, axis=op.attrs["axes"], keepdims=op.attrs["keepdims"], dtype=x.dtype)


@registry.kernel("Mean", takes=dtypes.NUMBERS, parameter="input")
def _mean(op, x):
    x = np.asarray(x)
    if x.dtype.kind == "f" and x.size:
        # What np.mean computes for float32 and float64 (a sum in the dtype, divided by the
        # count), without its 4 us of Python around it: a small step's loss is a mean.
        total = np.add.reduce(x, axis=op.attrs["axes"], keepdims=op.attrs["keepdims"])
        return total / (x.size // np.size(total))
    if x.dtype.kind == "f":  # nothing to average: nan, with numpy's warning
        return np.mean(x, axis=op.attrs["axes"], keepdims=op.attrs["keepdims"])
    total = np.sum(x, axis=op.attrs["axes"], keepdims=op.attrs["keepdims"], dtype=np.int64)
    count = max(x.size, 1) // max(np.size(total), 1)
    return np.trunc(total / count).astype(x.dtype)  # integer mean rounds toward zero, as in C


@registry.kernel("Max", takes=dtypes.NUMBERS, parameter="input")
def _max(op, x):
    return np.max(x, axis=op.attrs["axes"], keepdims=op.attrs["keepdims"])


@registry.kernel("Min", takes=dtypes.NUMBERS, parameter="input")
def _min(op, x):
    return np.min(x, axis=op.attrs["axes"], keepdims=op.attrs["keepdims"])


def _reduced_axes(op):
    """The axes a reduction removed, to re-insert in its gradient: none if it kept them, and
    none if it reduced every axis (a scalar broadcasts back as it is, whatever the rank)."""
    if op.attrs["keepdims"] or op.attrs["axes"] is None:
        return ()
    return op.attrs["axes"]


@registry.gradient("Sum")
def _sum_grad(op, grad):
    return [broadcast_to_shape_of(grad, op.inputs[0], _reduced_axes(op))]


@registry.gradient("Mean")
def _mean_grad(op, grad):
    x, y = op.inputs[0], op.outputs[0]
    spread = broadcast_to_shape_of(grad, x, _reduced_axes(op))
    x_size, y_size = x.shape.num_elements(), y.shape.num_elements()
    if x_size is not None and y_size is not None:
        return [spread * (y_size / max(x_size, 1))]
    count = array_ops.cast(array_ops.size(x), x.dtype)
    if y_size != 1:  # a mean of everything, a loss, divides by the input's size alone
        count = count / array_ops.cast(array_ops.size(y), x.dtype)
    return [spread / count]


def _extremum_grad(op, grad):
    """Shares the gradient equally among the elements equal to the max (or min)."""
    x, y = op.inputs[0], op.outputs[0]
    axes = _reduced_axes(op)
    chosen = array_ops.cast(equal(x, broadcast_to_shape_of(y, x, axes)), grad.dtype)
    count = broadcast_to_shape_of(
        reduce_sum(chosen, axis=op.attrs["axes"], keepdims=op.attrs["keepdims"]), x, axes
    )
    return [broadcast_to_shape_of(grad, x, axes) * chosen / count]


registry.gradient("Max")(_extremum_grad)
registry.gradient("Min")(_extremum_grad)


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    """The index of the largest value along ``axis`` (NaNs are passed over).

    Args:
      input: a numeric tensor, or a value convertible to one.
      axis: the dimension to search along (default 0).
      name: a name for the op (optional).
      dimension: TF 1.x's older name for ``axis``.
      output_type: int64 (default) or int32.

    Returns:
      A tensor of ``output_type`` without the ``axis`` dimension.

    Taught in notebook 05 (softmax regression).
    """
    return _arg("ArgMax", input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    """The index of the smallest value along ``axis`` (NaNs are passed over).

    Args:
      input: a numeric tensor, or a value convertible to one.
      axis: the dimension to search along (default 0).
      name: a name for the op (optional).
      dimension: TF 1.x's older name for ``axis``.
      output_type: int64 (default) or int32.

    Returns:
      A tensor of ``output_type`` without the ``axis`` dimension.

    Reductions and argmax are taught in notebook 05 (softmax regression), with ``tf.reduce_mean``.
    """
    return _arg("ArgMin", input, axis, name, dimension, output_type)


def _arg(op_type, input, axis, name, dimension, output_type):
    x = ops.convert_to_tensor(input)
    axis = dimension if axis is None else axis
    axis = 0 if axis is None else int(axis)
    ndims = x.shape.ndims
    static = None
    if ndims is not None:
        (axis,) = normalize_axes(axis, ndims, op_type)
        static = [d for i, d in enumerate(x.shape.as_tuple()) if i != axis]
    output_type = dtypes.as_dtype(output_type)
    return make(op_type, [x], output_type, static, {"axis": axis, "output_type": output_type}, name)


@registry.kernel("ArgMax")
def _argmax(op, x):
    found = np.argmax(_without_nans(x, -np.inf), axis=op.attrs["axis"])
    return found.astype(op.attrs["output_type"].as_numpy_dtype)


@registry.kernel("ArgMin")
def _argmin(op, x):
    found = np.argmin(_without_nans(x, np.inf), axis=op.attrs["axis"])
    return found.astype(op.attrs["output_type"].as_numpy_dtype)


def _without_nans(x, never_chosen):
    """``x`` with NaNs replaced, as TF passes over them (NaN compares false), where numpy's
    argmax would pick the first NaN: ``argmax([1, nan, 3])`` is 2."""
    x = np.asarray(x)
    if x.dtype.kind != "f" or not np.isnan(x).any():
        return x
    return np.where(np.isnan(x), never_chosen, x)


registry.not_differentiable("ArgMax", "ArgMin")
