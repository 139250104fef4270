"""Saving variables to disk and restoring them, so one notebook can reuse another's model.

A checkpoint is a single ``.npz`` file mapping each variable's name (``conv1/W``) to its value.
"""

from __future__ import annotations

import numbers
import os
import tempfile

import numpy as np

from ..framework.errors import InvalidArgumentError, NotFoundError
from ..framework.graph import GraphKeys, get_default_graph


class Saver:
    """Saves and restores the values of ``var_list`` (default: every global variable).

    ``var_list`` may also be a dict from checkpoint names to variables. Every ``save`` writes
    its own file; old checkpoints are not deleted (``max_to_keep`` is accepted and ignored).
    """

    def __init__(self, var_list=None, max_to_keep=5):
        if var_list is None:
            var_list = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
        if not isinstance(var_list, dict):
            var_list = {v.op.name: v for v in var_list}
        if not var_list:
            raise ValueError("No variables to save")
        self._variables = var_list

    def save(self, sess, save_path: str, global_step=None) -> str:
        """Writes the variables' values in ``sess`` to ``save_path`` (``-<step>`` appended
        when ``global_step`` is given) plus ``.npz``; returns the path without ``.npz``."""
        if global_step is not None:
            # a Python or numpy integer (what sess.run(global_step) returns), or the variable
            integral = isinstance(global_step, numbers.Integral)
            step = global_step if integral else sess.run(global_step)
            save_path = f"{os.fspath(save_path)}-{int(step)}"
        values = sess.run(self._variables)
        folder = os.path.dirname(os.path.abspath(save_path))
        os.makedirs(folder, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".npz.part")
        try:
            with os.fdopen(fd, "wb") as file:
                np.savez(file, **values)
            os.replace(temporary, _file(save_path))
        except BaseException:
            os.unlink(temporary)
            raise
        return save_path

    def restore(self, sess, save_path: str) -> None:
        """Loads the values saved at ``save_path`` into the variables, in ``sess``."""
        path = _file(save_path)
        if not os.path.exists(path):
            raise NotFoundError(
                None, None, f"Unsuccessful restore: no checkpoint at {save_path!r} ({path})"
            )
        with np.load(path) as saved:
            for name, var in self._variables.items():
                if name not in saved:
                    raise NotFoundError(None, None, f"Key {name} not found in checkpoint {path}")
                value = saved[name]
                if not var.shape.is_compatible_with(value.shape):
                    raise InvalidArgumentError(
                        None,
                        None,
                        f"Assign requires shapes of both tensors to match. lhs shape= "
                        f"{var.shape.as_list()} rhs shape= {list(value.shape)} "
                        f"(variable {name}, checkpoint {path})",
                    )
                var.load(value, sess)


def _file(save_path) -> str:
    save_path = os.fspath(save_path)
    return save_path if save_path.endswith(".npz") else f"{save_path}.npz"
