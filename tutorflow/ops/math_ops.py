"""Arithmetic, comparisons, matrix multiplication and reductions, with their gradients."""

from __future__ import annotations

import numpy as np

from .. import loops
from ..framework import dtypes, ops, registry
from ..framework.errors import InvalidArgumentError
from ..framework.tensor_shape import TensorShape, shape_string
from . import array_ops
from ._util import broadcast_shape, make, normalize_axes


def _is_tensor_like(value) -> bool:
    return isinstance(value, ops.Tensor) or hasattr(value, "_as_graph_element")


def _convert_pair(x, y, op_type):
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


def _convert_operand(value, dtype, parameter, op_type):
    try:
        return ops.convert_to_tensor(value, dtype, name=parameter)
    except TypeError as error:
        raise TypeError(
            f"Expected {dtype.name} passed to parameter '{parameter}' of op '{op_type}', got "
            f"{value!r} of type '{type(value).__name__}' instead. Error: {error}"
        ) from None


def _binary(op_type, x, y, name, default_name=None, out_dtype=None):
    with ops.name_scope(name, default_name or op_type, [x, y]) as scope:
        x, y = _convert_pair(x, y, op_type)
        shape = broadcast_shape(x.shape, y.shape, op_type)
        return make(op_type, [x, y], out_dtype or x.dtype, shape, name=scope)


def _unary(op_type, x, name):
    x = ops.convert_to_tensor(x)
    return make(op_type, [x], x.dtype, x.shape, name=name)


# -- broadcasting, undone in gradients ---------------------------------------------------------


def sum_to_shape_of(grad, like):
    """Sums ``grad`` over the axes that broadcasting stretched, to the shape of ``like``."""
    if grad.shape.is_fully_defined() and grad.shape == like.shape:
        return grad
    return make("SumToShapeOf", [grad, like], grad.dtype, like.shape)


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
    """Re-inserts the reduced ``axes`` of ``grad`` and broadcasts it to the shape of ``like``."""
    return make("BroadcastToShapeOf", [grad, like], grad.dtype, like.shape, {"axes": axes})


@registry.kernel("BroadcastToShapeOf")
def _broadcast_to_shape_of(op, grad, like):
    axes = op.attrs["axes"]
    if axes:
        grad = np.expand_dims(grad, axes)
    return np.broadcast_to(grad, np.shape(like))


@registry.gradient("BroadcastToShapeOf")
def _broadcast_to_shape_of_grad(op, grad):
    axes = op.attrs["axes"]
    summed = reduce_sum(grad, axis=list(axes)) if axes else grad
    return [sum_to_shape_of(summed, op.inputs[0]), None]


# -- element-wise arithmetic ------------------------------------------------------------------


def add(x, y, name=None):
    return _binary("Add", x, y, name)


@registry.kernel("Add", inplace=True, takes=dtypes.NUMBERS)
def _add(op, x, y, out=None):
    return add_kernel(x, y, out)


def add_kernel(x, y, out=None):
    """``x + y``; a layer's bias added to every row of its activations takes one fast loop."""
    if loops.is_bias_add(x, y):
        return loops.bias_add(x, y, out)
    return np.add(x, y, out=out)


@registry.gradient("Add")
def _add_grad(op, grad):
    x, y = op.inputs
    return [sum_to_shape_of(grad, x), sum_to_shape_of(grad, y)]


def subtract(x, y, name=None):
    return _binary("Sub", x, y, name)


@registry.kernel("Sub", inplace=True, takes=dtypes.NUMBERS)
def _sub(op, x, y, out=None):
    return np.subtract(x, y, out=out)


@registry.gradient("Sub")
def _sub_grad(op, grad):
    x, y = op.inputs
    return [sum_to_shape_of(grad, x), sum_to_shape_of(negative(grad), y)]


def multiply(x, y, name=None):
    return _binary("Mul", x, y, name)


@registry.kernel("Mul", inplace=True, takes=dtypes.NUMBERS)
def _mul(op, x, y, out=None):
    return np.multiply(x, y, out=out)


@registry.gradient("Mul")
def _mul_grad(op, grad):
    x, y = op.inputs
    return [sum_to_shape_of(grad * y, x), sum_to_shape_of(grad * x, y)]


def truediv(x, y, name=None):
    """``x / y``; integers are first cast to float64, as Python 3 division does."""
    with ops.name_scope(name, "truediv", [x, y]) as scope:
        x, y = _convert_pair(x, y, "RealDiv")
        if not x.dtype.is_floating:
            x, y = array_ops.cast(x, dtypes.float64), array_ops.cast(y, dtypes.float64)
        return _binary("RealDiv", x, y, scope)


divide = truediv


def realdiv(x, y, name=None):
    """``x / y`` for two float tensors of one dtype (TF's ``RealDiv``)."""
    return _binary("RealDiv", x, y, name)


@registry.kernel("RealDiv", inplace=True, takes=dtypes.FLOATS)
def _real_div(op, x, y, out=None):
    return np.true_divide(x, y, out=out)


@registry.gradient("RealDiv")
def _real_div_grad(op, grad):
    x, y = op.inputs
    return [sum_to_shape_of(grad / y, x), sum_to_shape_of(negative(grad) * x / (y * y), y)]


def floordiv(x, y, name=None):
    return _binary("FloorDiv", x, y, name, "floordiv")


@registry.kernel("FloorDiv", takes=dtypes.NUMBERS)
def _floor_div(op, x, y):
    _check_integer_divisor(y)
    return np.floor_divide(x, y)


def div(x, y, name=None):
    """TF 1.x's Python 2 style division: floors for integers, ``x / y`` for floats."""
    with ops.name_scope(name, "div", [x, y]) as scope:
        x, y = _convert_pair(x, y, "Div")
        return _binary("RealDiv" if x.dtype.is_floating else "FloorDiv", x, y, scope)


def floormod(x, y, name=None):
    return _binary("FloorMod", x, y, name, "mod")


@registry.kernel("FloorMod", takes=dtypes.NUMBERS)
def _floor_mod(op, x, y):
    _check_integer_divisor(y)
    return np.mod(x, y)


def _check_integer_divisor(y) -> None:
    """TF refuses to divide integers by zero, where numpy would quietly give 0."""
    if np.asarray(y).dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError(None, None, "Integer division by zero")


@registry.gradient("FloorMod")
def _floor_mod_grad(op, grad):
    """``x mod y = x - floor(x / y) * y``, and the floor is flat between its jumps."""
    x, y = op.inputs
    return [sum_to_shape_of(grad, x), sum_to_shape_of(grad * negative(floordiv(x, y)), y)]


registry.not_differentiable("FloorDiv")


def pow(x, y, name=None):
    return _binary("Pow", x, y, name)


@registry.kernel("Pow", takes=dtypes.SIGNED)
def _pow(op, x, y):
    return np.power(x, y)


@registry.gradient("Pow")
def _pow_grad(op, grad):
    x, y = op.inputs
    z = op.outputs[0]
    dx = grad * y * pow(x, y - 1)
    safe_x = where(greater(x, 0), x, array_ops.ones_like(x))  # log is only defined for x > 0
    dy = where(greater(x, 0), grad * z * log(safe_x), array_ops.zeros_like(z))
    return [sum_to_shape_of(dx, x), sum_to_shape_of(dy, y)]


def maximum(x, y, name=None):
    return _binary("Maximum", x, y, name)


def minimum(x, y, name=None):
    return _binary("Minimum", x, y, name)


@registry.kernel("Maximum", inplace=True, takes=dtypes.NUMBERS)
def _maximum(op, x, y, out=None):
    return np.maximum(x, y, out=out)


@registry.kernel("Minimum", inplace=True, takes=dtypes.NUMBERS)
def _minimum(op, x, y, out=None):
    return np.minimum(x, y, out=out)


def _min_max_grad(op, grad, pick_x):
    x, y = op.inputs
    zeros = array_ops.zeros_like(grad)
    return [
        sum_to_shape_of(where(pick_x, grad, zeros), x),
        sum_to_shape_of(where(pick_x, zeros, grad), y),
    ]


@registry.gradient("Maximum")
def _maximum_grad(op, grad):
    return _min_max_grad(op, grad, greater_equal(*op.inputs))


@registry.gradient("Minimum")
def _minimum_grad(op, grad):
    return _min_max_grad(op, grad, less_equal(*op.inputs))


def where(condition, x=None, y=None, name=None):
    """Picks ``x`` where ``condition`` holds, else ``y`` (all three broadcast together).

    With ``condition`` alone: the coordinates of its true elements, an int64 tensor of shape
    ``[number of true elements, rank of condition]``.
    """
    if x is None and y is None:
        condition = ops.convert_to_tensor(condition)
        shape = TensorShape([None, condition.shape.ndims])
        return make("Where", [condition], dtypes.int64, shape, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with ops.name_scope(name, "Select", [condition, x, y]) as scope:
        condition = ops.convert_to_tensor(condition)
        x, y = _convert_pair(x, y, "Select")
        shape = broadcast_shape(
            broadcast_shape(condition.shape, x.shape, "Select"), y.shape, "Select"
        )
        return make("Select", [condition, x, y], x.dtype, shape, name=scope)


@registry.kernel("Where")
def _where(op, condition):
    return np.argwhere(condition).astype(np.int64)


registry.not_differentiable("Where")


@registry.kernel("Select")
def _select(op, condition, x, y):
    return np.where(condition, x, y)


@registry.gradient("Select")
def _select_grad(op, grad):
    condition, x, y = op.inputs
    zeros = array_ops.zeros_like(grad)
    return [
        None,
        sum_to_shape_of(where(condition, grad, zeros), x),
        sum_to_shape_of(where(condition, zeros, grad), y),
    ]


def add_n(inputs, name=None):
    """Adds a list of tensors of one shape and dtype."""
    inputs = [ops.convert_to_tensor(t) for t in inputs]
    shape = inputs[0].shape
    for t in inputs[1:]:
        shape = shape.merge_with(t.shape)
    return make("AddN", inputs, inputs[0].dtype, shape, name=name)


@registry.kernel("AddN", takes=dtypes.NUMBERS, parameter="inputs")
def _add_n(op, *values):
    total = values[0] + values[1] if len(values) > 1 else np.array(values[0])
    for value in values[2:]:
        total += value
    return total


@registry.gradient("AddN")
def _add_n_grad(op, grad):
    return [grad] * len(op.inputs)


# -- element-wise functions ---------------------------------------------------------------------


def negative(x, name=None):
    return _unary("Neg", x, name)


@registry.kernel("Neg", inplace=True, takes=dtypes.SIGNED)
def _neg(op, x, out=None):
    return np.negative(x, out=out)


@registry.gradient("Neg")
def _neg_grad(op, grad):
    return [negative(grad)]


def abs(x, name=None):
    return _unary("Abs", x, name)


@registry.kernel("Abs", takes=dtypes.SIGNED)
def _abs(op, x):
    return np.abs(x)


@registry.gradient("Abs")
def _abs_grad(op, grad):
    return [grad * sign(op.inputs[0])]


def sign(x, name=None):
    return _unary("Sign", x, name)


@registry.kernel("Sign", takes=dtypes.SIGNED)
def _sign(op, x):
    return np.sign(x)


def floor(x, name=None):
    return _unary("Floor", x, name)


@registry.kernel("Floor", inplace=True, takes=dtypes.FLOATS)
def _floor(op, x, out=None):
    return np.floor(x, out=out)


registry.not_differentiable("Sign", "Floor")


def square(x, name=None):
    return _unary("Square", x, name)


@registry.kernel("Square", inplace=True, takes=dtypes.NUMBERS)
def _square(op, x, out=None):
    return np.square(x, out=out)


@registry.gradient("Square")
def _square_grad(op, grad):
    x = op.inputs[0]
    return [grad * (x + x)]


def sqrt(x, name=None):
    return _unary("Sqrt", x, name)


@registry.kernel("Sqrt", inplace=True, takes=dtypes.FLOATS)
def _sqrt(op, x, out=None):
    return np.sqrt(x, out=out)


@registry.gradient("Sqrt")
def _sqrt_grad(op, grad):
    return [grad * 0.5 / op.outputs[0]]


def exp(x, name=None):
    return _unary("Exp", x, name)


@registry.kernel("Exp", inplace=True, takes=dtypes.FLOATS)
def _exp(op, x, out=None):
    return np.exp(x, out=out)


@registry.gradient("Exp")
def _exp_grad(op, grad):
    return [grad * op.outputs[0]]


def log(x, name=None):
    return _unary("Log", x, name)


@registry.kernel("Log", inplace=True, takes=dtypes.FLOATS)
def _log(op, x, out=None):
    return np.log(x, out=out)


@registry.gradient("Log")
def _log_grad(op, grad):
    return [grad / op.inputs[0]]


# -- comparisons ------------------------------------------------------------------------------


def _comparison(op_type):
    def compare(x, y, name=None):
        return _binary(op_type, x, y, name, out_dtype=dtypes.bool_)

    compare.__name__ = op_type.lower()
    compare.__doc__ = f"Element-wise ``{op_type}`` of ``x`` and ``y``, as a bool tensor."
    return compare


_COMPARISONS = {
    "Equal": np.equal,
    "NotEqual": np.not_equal,
    "Less": np.less,
    "LessEqual": np.less_equal,
    "Greater": np.greater,
    "GreaterEqual": np.greater_equal,
}
equal, not_equal, less, less_equal, greater, greater_equal = (_comparison(t) for t in _COMPARISONS)
for _type, _fn in _COMPARISONS.items():
    _takes = () if _type in ("Equal", "NotEqual") else dtypes.NUMBERS  # bools are not ordered
    registry.kernel(_type, takes=_takes)(lambda op, x, y, fn=_fn: fn(x, y))
registry.not_differentiable(*_COMPARISONS)


# -- matrix multiplication ---------------------------------------------------------------------


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    """The matrix product of two rank-2 tensors, optionally transposing either first."""
    with ops.name_scope(name, "MatMul", [a, b]) as scope:
        a, b = _convert_pair(a, b, "MatMul")
        for t in (a, b):
            if t.shape.ndims not in (None, 2):
                raise ValueError(
                    f"Shape must be rank 2 but is rank {t.shape.ndims} for "
                    f"'MatMul' (op: 'MatMul') with input shapes: {a.shape}, {b.shape}."
                )
        rows = cols = None
        if a.shape.ndims == 2 and b.shape.ndims == 2:
            (m, ka), (kb, n) = _oriented(a, transpose_a), _oriented(b, transpose_b)
            if ka is not None and kb is not None and ka != kb:
                raise ValueError(
                    f"Dimensions must be equal, but are {ka} and {kb} for 'MatMul' "
                    f"(op: 'MatMul') with input shapes: {shape_string(a.shape)}, "
                    f"{shape_string(b.shape)}."
                )
            rows, cols = m, n
        static = [rows, cols] if a.shape.ndims == 2 or b.shape.ndims == 2 else None
        attrs = {"transpose_a": transpose_a, "transpose_b": transpose_b}
        return make("MatMul", [a, b], a.dtype, static, attrs, scope)


def _oriented(t, transposed):
    rows, cols = t.shape.as_tuple()
    return (cols, rows) if transposed else (rows, cols)


@registry.kernel("MatMul", takes=dtypes.NUMBERS, parameter="a")
def _matmul(op, a, b):
    a_oriented = a.T if op.attrs["transpose_a"] else a
    b_oriented = b.T if op.attrs["transpose_b"] else b
    if a_oriented.shape[-1] != b_oriented.shape[0]:
        raise InvalidArgumentError(
            None,
            None,
            f"Matrix size-incompatible: In[0]: {shape_string(TensorShape(a.shape))}, "
            f"In[1]: {shape_string(TensorShape(b.shape))}",
        )
    return a_oriented @ b_oriented


@registry.gradient("MatMul")
def _matmul_grad(op, grad):
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        return [matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)]
    if not ta and tb:
        return [matmul(grad, b), matmul(grad, a, transpose_a=True)]
    if ta and not tb:
        return [matmul(b, grad, transpose_b=True), matmul(a, grad)]
    return [
        matmul(b, grad, transpose_a=True, transpose_b=True),
        matmul(grad, a, transpose_a=True, transpose_b=True),
    ]


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
    """Sums over ``axis`` (all axes by default); TF 1.x's ``reduction_indices`` also works."""
    return _reduce("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    """Averages over ``axis``; integer tensors give the truncated integer mean, as in TF."""
    return _reduce("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    return _reduce("Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    return _reduce("Min", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


@registry.kernel("Sum", takes=dtypes.NUMBERS, parameter="input")
def _sum(op, x):
    x = np.asarray(x)
    return np.sum(x, axis=op.attrs["axes"], keepdims=op.attrs["keepdims"], dtype=x.dtype)


@registry.kernel("Mean", takes=dtypes.NUMBERS, parameter="input")
def _mean(op, x):
    x = np.asarray(x)
    if x.dtype.kind == "f":
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
    count = array_ops.cast(array_ops.size(x), x.dtype) / array_ops.cast(array_ops.size(y), x.dtype)
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
    """The index of the largest value along ``axis`` (int64, as in TF 1.x)."""
    return _arg("ArgMax", input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
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


# -- Python operators on tensors ---------------------------------------------------------------


def _operator(fn, default_name, reflected=False):
    def method(self, other):
        with ops.name_scope(None, default_name, [self, other]) as scope:
            if reflected:
                other = ops.convert_to_tensor(other, _dtype_of(self), name="x")
                return fn(other, self, name=scope)
            return fn(self, other, name=scope)

    return method


def _dtype_of(value):
    return ops.convert_to_tensor(value).dtype


_BINARY_OPERATORS = {
    "add": (add, "add"),
    "sub": (subtract, "sub"),
    "mul": (multiply, "mul"),
    "truediv": (truediv, "truediv"),
    "floordiv": (floordiv, "floordiv"),
    "mod": (floormod, "mod"),
    "pow": (pow, "pow"),
    "matmul": (matmul, "matmul"),
}


def overload_operators(cls) -> None:
    """Gives ``cls`` (Tensor, Variable) the Python operators, each building the matching op."""
    for dunder, (fn, default_name) in _BINARY_OPERATORS.items():
        setattr(cls, f"__{dunder}__", _operator(fn, default_name))
        setattr(cls, f"__r{dunder}__", _operator(fn, default_name, reflected=True))
    for dunder, fn in (("lt", less), ("le", less_equal), ("gt", greater), ("ge", greater_equal)):
        setattr(cls, f"__{dunder}__", lambda self, other, fn=fn: fn(self, other))
    cls.__neg__ = lambda self: negative(self)
    cls.__abs__ = lambda self: abs(self)


overload_operators(ops.Tensor)
