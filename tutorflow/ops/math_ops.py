"""Element-wise arithmetic: add, subtract, multiply, divide, pow, maximum, where, exp, log…

Most of these ops differ only in a numpy function and a derivative, so two tables build them,
as tinygrad builds its ops: a row names the op type, its builder, what it computes, the numpy
function its kernel calls, the dtypes it takes, whether the kernel may write its result into
an input that no one reads again, and its derivative, built from ops. The one-off ops (the
divisions, ``where``, ``add_n``) keep their own code.

Taught in notebook 02 (graphs and sessions); their gradients in notebook 06 (how learning works).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .. import loops
from ..framework import dtypes, ops, registry
from ..framework.dtypes import FLOATS, NUMBERS, SIGNED
from ..framework.errors import InvalidArgumentError
from ..framework.tensor_shape import TensorShape
from . import array_ops
from ._util import binary, broadcast_shape, convert_pair, make, taught_in, unary
from .comparison_ops import greater, greater_equal, less_equal
from .constant_ops import ones_like, zeros_like
from .reduction_ops import sum_to_shape_of

# -- functions of one tensor ---------------------------------------------------------------------


class Unary(NamedTuple):
    op_type: str
    name: str  # of the builder: tf.negative builds a Neg op
    computes: str
    numpy: Callable
    takes: tuple  # the dtypes of x
    inplace: bool  # whether the kernel may write into x
    derivative: Callable | None  # (grad, x, y) -> the gradient for x; None: not differentiable
    notebook: int = 2


UNARY = [
    Unary("Neg", "negative", "``-x``", np.negative, SIGNED, True, lambda g, x, y: negative(g)),
    Unary("Abs", "abs", "``|x|``", np.abs, SIGNED, False, lambda g, x, y: g * sign(x)),
    Unary("Sign", "sign", "the sign of ``x`` (-1, 0 or 1)", np.sign, SIGNED, False, None),
    Unary("Floor", "floor", "the largest integer ``<= x``", np.floor, FLOATS, True, None),
    Unary("Square", "square", "``x * x``", np.square, NUMBERS, True,
          lambda g, x, y: g * (x + x), notebook=6),
    Unary("Sqrt", "sqrt", "the square root of ``x``", np.sqrt, FLOATS, True,
          lambda g, x, y: g * 0.5 / y),
    Unary("Exp", "exp", "``e`` to the power ``x``", np.exp, FLOATS, True, lambda g, x, y: g * y),
    Unary("Log", "log", "the natural logarithm of ``x``", np.log, FLOATS, True,
          lambda g, x, y: g / x, notebook=5),
]  # fmt: skip


def _unary_op(row: Unary) -> Callable:
    """Registers the kernel and gradient of one row of UNARY and returns its builder."""
    fn = row.numpy
    if row.inplace:
        kernel = lambda op, x, out=None: fn(x, out=out)
    else:
        kernel = lambda op, x: fn(x)
    registry.kernel(row.op_type, inplace=row.inplace, takes=row.takes)(kernel)
    if row.derivative is None:
        registry.not_differentiable(row.op_type)
    else:

        @registry.gradient(row.op_type)
        def gradient(op, grad):
            return [row.derivative(grad, op.inputs[0], op.outputs[0])]

    def build(x, name=None):
        return unary(row.op_type, x, name)

    build.__name__ = build.__qualname__ = row.name
    build.__doc__ = f"""Computes {row.computes}, element by element (TF's ``{row.op_type}``).

    Args:
      x: a {_names(row.takes)} tensor, or a value convertible to one.
      name: a name for the op (optional).

    Returns:
      A tensor with the dtype and shape of ``x``.

    {taught_in(row.notebook)}
    """
    return build


def _names(dtypes_) -> str:
    """``(float32, float64)`` as "float32 or float64"."""
    names = [dtype.name for dtype in dtypes_]
    return f"{', '.join(names[:-1])} or {names[-1]}"


negative, abs, sign, floor, square, sqrt, exp, log = (_unary_op(row) for row in UNARY)


# -- arithmetic on two tensors, broadcast together ---------------------------------------------


class Binary(NamedTuple):
    op_type: str
    name: str  # of the builder: tf.subtract builds a Sub op
    computes: str
    kernel: Callable  # numpy's function, or one that adds TF's checks
    takes: tuple  # the dtypes of x and y
    inplace: bool  # whether the kernel may write into x or y
    derivative: Callable | None  # (grad, x, y, z) -> (grad for x, grad for y), before unbroadcast
    default_name: str | None = None  # of the op, when the builder is given none (default: type)


def add_arrays(x, y, out=None):
    """``x + y`` on arrays; a layer's bias added to every row of its activations takes one
    fast loop."""
    if loops.is_bias_add(x, y):
        return loops.bias_add(x, y, out)
    return np.add(x, y, out=out)


def _floor_divide(x, y):
    _check_integer_divisor(y)
    return np.floor_divide(x, y)


def _floor_mod(x, y):
    _check_integer_divisor(y)
    return np.mod(x, y)


def _check_integer_divisor(y) -> None:
    """TF refuses to divide integers by zero, where numpy would quietly give 0."""
    if np.asarray(y).dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError(None, None, "Integer division by zero")


def _pow_derivative(grad, x, y, z):
    dx = grad * y * pow(x, y - 1)
    safe_x = where(greater(x, 0), x, ones_like(x))  # log is only defined for x > 0
    dy = where(greater(x, 0), grad * z * log(safe_x), zeros_like(z))
    return dx, dy


def _picks(compare):
    """The derivative of maximum (compare: >=) or minimum (<=): grad goes to the one chosen."""

    def derivative(grad, x, y, z):
        pick_x = compare(x, y)
        zeros = zeros_like(grad)
        return where(pick_x, grad, zeros), where(pick_x, zeros, grad)

    return derivative


BINARY = [
    Binary("Add", "add", "``x + y``", add_arrays, NUMBERS, True, lambda g, x, y, z: (g, g)),
    Binary("Sub", "subtract", "``x - y``", np.subtract, NUMBERS, True,
           lambda g, x, y, z: (g, negative(g))),
    Binary("Mul", "multiply", "``x * y``", np.multiply, NUMBERS, True,
           lambda g, x, y, z: (g * y, g * x)),
    Binary("RealDiv", "realdiv", "``x / y`` of two floats", np.true_divide, FLOATS, True,
           lambda g, x, y, z: (g / y, negative(g) * x / (y * y))),
    Binary("FloorDiv", "floordiv", "``x // y``, rounded down", _floor_divide, NUMBERS, False, None,
           "floordiv"),
    # x mod y = x - floor(x / y) * y, and the floor is flat between its jumps
    Binary("FloorMod", "floormod", "``x mod y``, with the sign of ``y``", _floor_mod, NUMBERS,
           False, lambda g, x, y, z: (g, g * negative(floordiv(x, y))), "mod"),
    Binary("Pow", "pow", "``x`` to the power ``y``", np.power, SIGNED, False, _pow_derivative),
    Binary("Maximum", "maximum", "the larger of ``x`` and ``y``", np.maximum, NUMBERS, True,
           _picks(greater_equal)),
    Binary("Minimum", "minimum", "the smaller of ``x`` and ``y``", np.minimum, NUMBERS, True,
           _picks(less_equal)),
]  # fmt: skip


def _binary_op(row: Binary) -> Callable:
    """Registers the kernel and gradient of one row of BINARY and returns its builder."""
    fn = row.kernel
    if row.inplace:
        kernel = lambda op, x, y, out=None: fn(x, y, out=out)
    else:
        kernel = lambda op, x, y: fn(x, y)
    registry.kernel(row.op_type, inplace=row.inplace, takes=row.takes)(kernel)
    if row.derivative is None:
        registry.not_differentiable(row.op_type)
    else:

        @registry.gradient(row.op_type)
        def gradient(op, grad):
            x, y = op.inputs
            dx, dy = row.derivative(grad, x, y, op.outputs[0])
            return [sum_to_shape_of(dx, x, y), sum_to_shape_of(dy, y, x)]  # undo the broadcasting

    def build(x, y, name=None):
        return binary(row.op_type, x, y, name, row.default_name)

    build.__name__ = build.__qualname__ = row.name
    build.__doc__ = f"""Computes {row.computes}, element by element (TF's ``{row.op_type}``).

    ``x`` and ``y`` broadcast together as numpy arrays do.

    Args:
      x: a {_names(row.takes)} tensor, or a value convertible to one.
      y: a tensor of the same dtype as ``x``; a Python value takes ``x``'s dtype.
      name: a name for the op (optional).

    Returns:
      A tensor of ``x``'s dtype, in the broadcast shape of ``x`` and ``y``.

    {taught_in(2)}
    """
    return build


add, subtract, multiply, realdiv, floordiv, floormod, pow, maximum, minimum = (
    _binary_op(row) for row in BINARY
)


# -- the one-off ops -----------------------------------------------------------------------------


def truediv(x, y, name=None):
    """Computes ``x / y`` element by element, as Python 3's ``/`` does.

    Integers are first cast to float64; floats stay as they are.

    Args:
      x: a numeric tensor, or a value convertible to one.
      y: a tensor of ``x``'s dtype; a Python value takes ``x``'s dtype.
      name: a name for the op (optional).

    Returns:
      A float tensor in the broadcast shape of ``x`` and ``y``.

    Taught in notebook 02 (graphs and sessions).
    """
    with ops.name_scope(name, "truediv", [x, y]) as scope:
        x, y = convert_pair(x, y, "RealDiv")
        if not x.dtype.is_floating:
            x, y = array_ops.cast(x, dtypes.float64), array_ops.cast(y, dtypes.float64)
        return binary("RealDiv", x, y, scope)


def div(x, y, name=None):
    """Divides in Python 2's style, as TF 1.x's ``tf.div`` does.

    Integers are floored (``7 // 2`` is 3); floats are divided exactly.

    Args:
      x: a numeric tensor, or a value convertible to one.
      y: a tensor of ``x``'s dtype; a Python value takes ``x``'s dtype.
      name: a name for the op (optional).

    Returns:
      A tensor of ``x``'s dtype in the broadcast shape of ``x`` and ``y``.

    Taught in notebook 02 (graphs and sessions).
    """
    with ops.name_scope(name, "div", [x, y]) as scope:
        x, y = convert_pair(x, y, "Div")
        return binary("RealDiv" if x.dtype.is_floating else "FloorDiv", x, y, scope)


def where(condition, x=None, y=None, name=None):
    """Picks ``x`` where ``condition`` holds, else ``y`` (all three broadcast together).

    With ``condition`` alone: the coordinates of its true elements.

    Args:
      condition: a bool tensor.
      x: a tensor, or a value convertible to one (optional, with ``y``).
      y: a tensor of ``x``'s dtype (optional, with ``x``).
      name: a name for the op (optional).

    Returns:
      A tensor of ``x``'s dtype in the broadcast shape of the three; with ``condition`` alone,
      an int64 tensor of shape ``[number of true elements, rank of condition]``.

    Raises:
      ValueError: if only one of ``x`` and ``y`` is given.

    Taught in notebook 02 (graphs and sessions).
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
    """Adds a list of tensors of one shape and dtype, element by element.

    Args:
      inputs: a list of tensors (or values convertible to them).
      name: a name for the op (optional).

    Returns:
      A tensor of the inputs' dtype and shape.

    Taught in notebook 06 (how learning works), where gradients sum with it.
    """
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
