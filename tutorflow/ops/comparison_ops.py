"""Element-wise comparisons: equal, not_equal, less, less_equal, greater, greater_equal."""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, registry
from ._util import binary


def _comparison(op_type):
    def compare(x, y, name=None):
        return binary(op_type, x, y, name, out_dtype=dtypes.bool_)

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
