"""Where one session keeps the value of one variable.

A variable's ``VariableV2`` op computes to its storage, not to a value (TF's ref tensors): the
ops that assign or apply gradients update it in place, and reading it (the ``read`` Identity,
or a fetch) takes the value out. Taught in notebook 03 (placeholders and variables).
"""

from __future__ import annotations

import numpy as np

from .errors import FailedPreconditionError


class VariableStorage:
    """The value of one variable in one session; empty until initialised."""

    __slots__ = ("name", "value")

    def __init__(self, op):
        self.name = op.name
        self.value = None

    def read(self) -> np.ndarray:
        """The value, or TF's FailedPreconditionError if the variable was never initialised."""
        if self.value is None:
            raise FailedPreconditionError(
                None, None, f"Attempting to use uninitialized value {self.name}"
            )
        return self.value
