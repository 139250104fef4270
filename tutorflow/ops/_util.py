"""Small helpers shared by the op modules: one-output ops, element-wise builders and
static-shape arithmetic."""

from __future__ import annotations

from ..framework import ops
from ..framework.tensor_shape import TensorShape, shape_string


def make(op_type: str, inputs, dtype, shape, attrs=None, name=None):
    """Creates an op with a single output and returns that output tensor."""
    return ops.create_op(op_type, inputs, [(dtype, shape)], attrs, name).outputs[0]


def unary(op_type: str, x, name=None):
    """Creates an element-wise op of one input: the output has ``x``'s dtype and shape."""
    x = ops.convert_to_tensor(x)
    return make(op_type, [x], x.dtype, x.shape, name=name)


def binary(op_type: str, x, y, name=None, default_name=None, out_dtype=None):
    """Creates an element-wise op of two inputs, broadcast together as numpy does."""
    with ops.name_scope(name, default_name or op_type, [x, y]) as scope:
        x, y = convert_pair(x, y, op_type)
        shape = broadcast_shape(x.shape, y.shape, op_type)
        return make(op_type, [x, y], out_dtype or x.dtype, shape, name=scope)


def convert_pair(x, y, op_type: str):
    """Converts both operands; a Python value takes the dtype of the tensor beside it."""
    if _is_tensor_like(x) or not _is_tensor_like(y):
        x = ops.convert_to_tensor(x, name="x")
        y = y if _is_tensor_like(y) else _convert_operand(y, x.dtype, "y", op_type)
        y = ops.convert_to_tensor(y)
    else:
        y = ops.convert_to_tensor(y, name="y")
        x = _convert_operand(x, y.dtype, "x", op_type)
    if x.dtype is not y.dtype:
        raise TypeError(
            f"Input 'y' of '{op_type}' Op has type {y.dtype.name} that does not "
            f"match type {x.dtype.name} of argument 'x'."
        )
    return x, y


def _is_tensor_like(value) -> bool:
    return isinstance(value, ops.Tensor) or hasattr(value, "_as_graph_element")


def _convert_operand(value, dtype, parameter, op_type):
    try:
        return ops.convert_to_tensor(value, dtype, name=parameter)
    except TypeError as error:
        raise TypeError(
            f"Expected {dtype.name} passed to parameter '{parameter}' of op '{op_type}', got "
            f"{value!r} of type '{type(value).__name__}' instead. Error: {error}"
        ) from None


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


_NOTEBOOKS = {
    2: "02 (graphs and sessions)",
    3: "03 (placeholders and variables)",
    5: "05 (softmax regression)",
    6: "06 (how learning works)",
    8: "08 (LeNet-5)",
    11: "11 (when training goes wrong)",
}


def taught_in(notebook: int) -> str:
    """The docstring line that names the notebook teaching an op, for ops built from tables."""
    return f"Taught in notebook {_NOTEBOOKS[notebook]}."
