"""Element-wise arithmetic: add, subtract, multiply, divide, pow, maximum, where, exp, log…"""

from __future__ import annotations

import numpy as np

from .. import loops
from ..framework import dtypes, ops, registry
from ..framework.errors import InvalidArgumentError
from ..framework.tensor_shape import TensorShape
from . import array_ops
from ._util import binary, broadcast_shape, convert_pair, make, unary
from .comparison_ops import greater, greater_equal, less_equal
from .constant_ops import ones_like, zeros_like
from .reduction_ops import sum_to_shape_of

# -- element-wise arithmetic ------------------------------------------------------------------


def add(x, y, name=None):
    return binary("Add", x, y, name)


@registry.kernel("Add", inplace=True, takes=dtypes.NUMBERS)
def _add(op, x, y, out=None):
    return add_arrays(x, y, out)


def add_arrays(x, y, out=None):
    """``x + y``; a layer's bias added to every row of its activations takes one fast loop."""
    if loops.is_bias_add(x, y):
        return loops.bias_add(x, y, out)
    return np.add(x, y, out=out)


@registry.gradient("Add")
def _add_grad(op, grad):
    x, y = op.inputs
    return [sum_to_shape_of(grad, x), sum_to_shape_of(grad, y)]


def subtract(x, y, name=None):
    return binary("Sub", x, y, name)


@registry.kernel("Sub", inplace=True, takes=dtypes.NUMBERS)
def _sub(op, x, y, out=None):
    return np.subtract(x, y, out=out)


@registry.gradient("Sub")
def _sub_grad(op, grad):
    x, y = op.inputs
    return [sum_to_shape_of(grad, x), sum_to_shape_of(negative(grad), y)]


def multiply(x, y, name=None):
    return binary("Mul", x, y, name)


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
        x, y = convert_pair(x, y, "RealDiv")
        if not x.dtype.is_floating:
            x, y = array_ops.cast(x, dtypes.float64), array_ops.cast(y, dtypes.float64)
        return binary("RealDiv", x, y, scope)


def realdiv(x, y, name=None):
    """``x / y`` for two float tensors of one dtype (TF's ``RealDiv``)."""
    return binary("RealDiv", x, y, name)


@registry.kernel("RealDiv", inplace=True, takes=dtypes.FLOATS)
def _real_div(op, x, y, out=None):
    return np.true_divide(x, y, out=out)


@registry.gradient("RealDiv")
def _real_div_grad(op, grad):
    x, y = op.inputs
    return [sum_to_shape_of(grad / y, x), sum_to_shape_of(negative(grad) * x / (y * y), y)]


def floordiv(x, y, name=None):
    return binary("FloorDiv", x, y, name, "floordiv")


@registry.kernel("FloorDiv", takes=dtypes.NUMBERS)
def _floor_div(op, x, y):
    _check_integer_divisor(y)
    return np.floor_divide(x, y)


def div(x, y, name=None):
    """TF 1.x's Python 2 style division: floors for integers, ``x / y`` for floats."""
    with ops.name_scope(name, "div", [x, y]) as scope:
        x, y = convert_pair(x, y, "Div")
        return binary("RealDiv" if x.dtype.is_floating else "FloorDiv", x, y, scope)


def floormod(x, y, name=None):
    return binary("FloorMod", x, y, name, "mod")


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
    return binary("Pow", x, y, name)


@registry.kernel("Pow", takes=dtypes.SIGNED)
def _pow(op, x, y):
    return np.power(x, y)


@registry.gradient("Pow")
def _pow_grad(op, grad):
    x, y = op.inputs
    z = op.outputs[0]
    dx = grad * y * pow(x, y - 1)
    safe_x = where(greater(x, 0), x, ones_like(x))  # log is only defined for x > 0
    dy = where(greater(x, 0), grad * z * log(safe_x), zeros_like(z))
    return [sum_to_shape_of(dx, x), sum_to_shape_of(dy, y)]


def maximum(x, y, name=None):
    return binary("Maximum", x, y, name)


def minimum(x, y, name=None):
    return binary("Minimum", x, y, name)


@registry.kernel("Maximum", inplace=True, takes=dtypes.NUMBERS)
def _maximum(op, x, y, out=None):
    return np.maximum(x, y, out=out)


@registry.kernel("Minimum", inplace=True, takes=dtypes.NUMBERS)
def _minimum(op, x, y, out=None):
    return np.minimum(x, y, out=out)


def _min_max_grad(op, grad, pick_x):
    x, y = op.inputs
    zeros = zeros_like(grad)
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
        x, y = convert_pair(x, y, "Select")
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
    zeros = zeros_like(grad)
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
    return unary("Neg", x, name)


@registry.kernel("Neg", inplace=True, takes=dtypes.SIGNED)
def _neg(op, x, out=None):
    return np.negative(x, out=out)


@registry.gradient("Neg")
def _neg_grad(op, grad):
    return [negative(grad)]


def abs(x, name=None):
    return unary("Abs", x, name)


@registry.kernel("Abs", takes=dtypes.SIGNED)
def _abs(op, x):
    return np.abs(x)


@registry.gradient("Abs")
def _abs_grad(op, grad):
    return [grad * sign(op.inputs[0])]


def sign(x, name=None):
    return unary("Sign", x, name)


@registry.kernel("Sign", takes=dtypes.SIGNED)
def _sign(op, x):
    return np.sign(x)


def floor(x, name=None):
    return unary("Floor", x, name)


@registry.kernel("Floor", inplace=True, takes=dtypes.FLOATS)
def _floor(op, x, out=None):
    return np.floor(x, out=out)


registry.not_differentiable("Sign", "Floor")


def square(x, name=None):
    return unary("Square", x, name)


@registry.kernel("Square", inplace=True, takes=dtypes.NUMBERS)
def _square(op, x, out=None):
    return np.square(x, out=out)


@registry.gradient("Square")
def _square_grad(op, grad):
    x = op.inputs[0]
    return [grad * (x + x)]


def sqrt(x, name=None):
    return unary("Sqrt", x, name)


@registry.kernel("Sqrt", inplace=True, takes=dtypes.FLOATS)
def _sqrt(op, x, out=None):
    return np.sqrt(x, out=out)


@registry.gradient("Sqrt")
def _sqrt_grad(op, grad):
    return [grad * 0.5 / op.outputs[0]]


def exp(x, name=None):
    return unary("Exp", x, name)


@registry.kernel("Exp", inplace=True, takes=dtypes.FLOATS)
def _exp(op, x, out=None):
    return np.exp(x, out=out)


@registry.gradient("Exp")
def _exp_grad(op, grad):
    return [grad * op.outputs[0]]


def log(x, name=None):
    return unary("Log", x, name)


@registry.kernel("Log", inplace=True, takes=dtypes.FLOATS)
def _log(op, x, out=None):
    return np.log(x, out=out)


@registry.gradient("Log")
def _log_grad(op, grad):
    return [grad / op.inputs[0]]
