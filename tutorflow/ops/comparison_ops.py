"""Element-wise comparisons: equal, not_equal, less, less_equal, greater, greater_equal."""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, registry
from ._util import binary


def _comparison(op_type):
    def compare(x, y, name=None):
        return binary(op_type, x, y, name, out_dtype=dtypes.bool_)

    compare.__name__ = compare.__qualname__ = _NAMES[op_type]
    symbol = _SYMBOLS[op_type]
    compare.__doc__ = f"""Whether ``x {symbol} y``, element by element (TF's ``{op_type}``).

    ``x`` and ``y`` broadcast together as numpy arrays do.

    Args:
      x: a tensor, or a value convertible to one.
      y: a tensor of ``x``'s dtype; a Python value takes ``x``'s dtype.
      name: a name for the op (optional).

    Returns:
      A bool tensor in the broadcast shape of ``x`` and ``y``.

    Taught in notebook 05 (softmax regression), with ``tf.equal``.
    """
    return compare


_NAMES = {
    "Equal": "equal",
    "NotEqual": "not_equal",
    "Less": "less",
    "LessEqual": "less_equal",
    "Greater": "greater",
    "GreaterEqual": "greater_equal",
}
_SYMBOLS = {"Equal": "==", "NotEqual": "!=", "Less": "<", "LessEqual": "<=", "Greater": ">",
            "GreaterEqual": ">="}  # fmt: skip
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
