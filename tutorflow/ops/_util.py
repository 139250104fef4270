"""Small helpers shared by the op modules: one-output ops and static-shape arithmetic."""

from __future__ import annotations

from ..framework import ops
from ..framework.tensor_shape import TensorShape, shape_string


def make(op_type: str, inputs, dtype, shape, attrs=None, name=None):
    """Creates an op with a single output and returns that output tensor."""
    return ops.create_op(op_type, inputs, [(dtype, shape)], attrs, name).outputs[0]


def broadcast_shape(a: TensorShape, b: TensorShape, op_type: str) -> TensorShape:
    """The static shape numpy broadcasting gives, with None for dimensions not yet known."""
    da, db = a.as_tuple(), b.as_tuple()
    if da is None or db is None:
        return TensorShape(None)
    ndim = max(len(da), len(db))
    da = (1,) * (ndim - len(da)) + da
    db = (1,) * (ndim - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1 or x == y:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        else:
            raise ValueError(
                f"Dimensions must be equal, but are {x} and {y} for '{op_type}' "
                f"(op: '{op_type}') with input shapes: {shape_string(a)}, {shape_string(b)}."
            )
    return TensorShape(out)


def normalize_axes(axis, ndims: int | None, op_type: str):
    """``axis`` (None, an int or a list, negatives allowed) as a sorted tuple of axes, or None."""
    if axis is None:
        return None if ndims is None else tuple(range(ndims))
    axes = [axis] if isinstance(axis, int) else [int(a) for a in axis]
    if ndims is None:
        if any(a < 0 for a in axes):
            return None
        return tuple(sorted(set(axes)))
    for a in axes:
        if not -ndims <= a < ndims:
            raise ValueError(
                f"Invalid reduction dimension {a} for input with {ndims} dimensions. "
                f"for '{op_type}'"
            )
    return tuple(sorted({a % ndims for a in axes}))
