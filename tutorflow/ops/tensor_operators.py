"""Tensor's Python operators: ``a + b``, ``a @ b``, ``-a``, ``a < b``, ``a[1:, 0]``…

Each operator builds the op of the matching function (``a + b`` is ``tf.add(a, b)``). They are
installed on ``Tensor`` here, in the ops layer, because the framework that defines ``Tensor``
knows no op; a Variable (``tutorflow.ops.variables``) gets the same operators, but no
``[]``.
"""

from __future__ import annotations

from ..framework import ops
from .comparison_ops import greater, greater_equal, less, less_equal
from .math_ops import abs, add, floordiv, floormod, multiply, negative, pow, subtract, truediv
from .matmul_ops import matmul
from .slicing_ops import getitem


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


def overload_operators(cls, indexing: bool = False) -> None:
    """Gives ``cls`` the Python operators, each building the matching op.

    Args:
      cls: Tensor, or a class that converts to one (Variable).
      indexing: whether ``cls[key]`` slices too (Tensor's ``__getitem__``).
    """
    for dunder, (fn, default_name) in _BINARY_OPERATORS.items():
        setattr(cls, f"__{dunder}__", _operator(fn, default_name))
        setattr(cls, f"__r{dunder}__", _operator(fn, default_name, reflected=True))
    for dunder, fn in (("lt", less), ("le", less_equal), ("gt", greater), ("ge", greater_equal)):
        setattr(cls, f"__{dunder}__", lambda self, other, fn=fn: fn(self, other))
    cls.__neg__ = lambda self: negative(self)
    cls.__abs__ = lambda self: abs(self)
    if indexing:
        cls.__getitem__ = getitem


overload_operators(ops.Tensor, indexing=True)  # a Variable has no [] yet, as before
