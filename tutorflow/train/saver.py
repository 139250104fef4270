"""Saving variables to disk and restoring them, so one notebook can reuse another's model.

A checkpoint is a single ``.npz`` file mapping each variable's name (``conv1/W``) to its value;
a ``checkpoint`` state file beside it lists the newest ones (see ``checkpoint_management``).
"""

from __future__ import annotations

import io
import numbers
import os
import tempfile
import zipfile
import zlib

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.errors import DataLossError, InvalidArgumentError, NotFoundError
from ..framework.graph import GraphKeys, get_default_graph
from .checkpoint_management import checkpoint_file, update_checkpoint_state

# How a damaged file fails to read: truncated or not a zip, a CRC-32 that does not match, an
# entry whose compression or array header makes no sense.
_CORRUPTION = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError)


class Saver:
    """Saves and restores the values of ``var_list`` (default: every global variable).

    Args:
        var_list: a list of variables, saved under their names, or a dict from checkpoint
            names to variables. No variable may appear twice (TF's ValueError).
        max_to_keep: how many of the newest checkpoints this Saver keeps; it deletes older
            ones as it saves new ones. None or 0 keeps every checkpoint.
    """

    def __init__(self, var_list=None, max_to_keep=5):
        if var_list is None:
            var_list = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
        self._variables = _names_to_variables(var_list)
        if not self._variables:
            raise ValueError("No variables to save")
        self._max_to_keep = max_to_keep
        self._last_checkpoints = []

    @property
    def last_checkpoints(self) -> list[str]:
        """The checkpoints this Saver has written and not deleted, oldest first."""
        return list(self._last_checkpoints)

    def save(
        self, sess, save_path, global_step=None, latest_filename=None, write_state=True
    ) -> str:
        """Writes the variables' values in ``sess`` to ``save_path`` (``-<step>`` appended
        when ``global_step`` is given) plus ``.npz``; returns the path without ``.npz``.

        Also updates the folder's state file (unless ``write_state`` is False), so that
        ``tf.train.latest_checkpoint(folder)`` returns this path, and deletes the checkpoints
        beyond the newest ``max_to_keep``.
        """
        save_path = os.fspath(save_path)
        if global_step is not None:
            # a Python or numpy integer (what sess.run(global_step) returns), or the variable
            integral = isinstance(global_step, numbers.Integral)
            step = global_step if integral else sess.run(global_step)
            save_path = f"{save_path}-{int(step)}"
        values = sess.run(self._variables)
        folder = os.path.dirname(os.path.abspath(save_path))
        os.makedirs(folder, exist_ok=True)
        _write_npz(checkpoint_file(save_path), values)
        self._keep(save_path)
        if write_state:
            update_checkpoint_state(
                folder, os.path.abspath(save_path), self._absolute_checkpoints(), latest_filename
            )
        return save_path

    def restore(self, sess, save_path) -> None:
        """Loads the values saved at ``save_path`` into the variables, in ``sess``.

        Every value is read and checked (present, same dtype, same shape) before any variable
        changes: a failed restore leaves them all as they were.

        Raises:
            NotFoundError: no checkpoint at ``save_path``, or a variable is not in it.
            InvalidArgumentError: a saved value's dtype or shape differs from its variable's.
            DataLossError: the file is truncated or corrupt.
        """
        path = checkpoint_file(save_path)
        if not os.path.exists(path):
            raise NotFoundError(
                None, None, f"Unsuccessful restore: no checkpoint at {save_path!r} ({path})"
            )
        saved = _read_npz(path, self._variables)
        for name, var in self._variables.items():
            _check_restorable(name, var, saved.get(name), path)
        variables = list(self._variables.values())
        sess.run(
            [var.initializer for var in variables],
            {var.initial_value: saved[name] for name, var in self._variables.items()},
        )

    def _keep(self, save_path: str) -> None:
        """Records ``save_path`` as the newest checkpoint; deletes those beyond max_to_keep."""
        if not self._max_to_keep:
            return
        if save_path in self._last_checkpoints:
            self._last_checkpoints.remove(save_path)
        self._last_checkpoints.append(save_path)
        while len(self._last_checkpoints) > self._max_to_keep:
            oldest = self._last_checkpoints.pop(0)
            if os.path.exists(checkpoint_file(oldest)):
                os.remove(checkpoint_file(oldest))

    def _absolute_checkpoints(self) -> list[str]:
        return [os.path.abspath(path) for path in self._last_checkpoints]


def _names_to_variables(var_list) -> dict:
    """``var_list`` as ``{checkpoint name: variable}``, refusing a variable or a name twice."""
    if isinstance(var_list, dict):
        names_of = {}
        for name, var in sorted(var_list.items()):
            if var in names_of:
                raise ValueError(
                    f"The same saveable will be restored with two names: {names_of[var]}, {name}"
                )
            names_of[var] = name
        return dict(var_list)
    names_to_variables = {}
    for var in var_list:
        if var.op.name in names_to_variables:
            raise ValueError(f"At least two variables have the same name: {var.op.name}")
        names_to_variables[var.op.name] = var
    return names_to_variables


def _check_restorable(name: str, var, value, path: str) -> None:
    """Raises TF's error if ``value``, saved as ``name``, cannot be restored into ``var``."""
    if value is None:
        raise NotFoundError(None, None, f"Key {name} not found in checkpoint {path}")
    if value.dtype != var.dtype.as_numpy_dtype:
        raise InvalidArgumentError(
            None,
            None,
            f"tensor_name = {name}; expected dtype {var.dtype.type_name} does not equal "
            f"original dtype {_type_name(value.dtype)} (checkpoint {path})",
        )
    if not var.shape.is_compatible_with(value.shape):
        raise InvalidArgumentError(
            None,
            None,
            f"Assign requires shapes of both tensors to match. lhs shape= "
            f"{var.shape.as_list()} rhs shape= {list(value.shape)} "
            f"(variable {name}, checkpoint {path})",
        )


def _type_name(numpy_dtype) -> str:
    """A saved value's dtype in TF's words (``float``), or numpy's for one TF lacks."""
    try:
        return as_dtype(numpy_dtype).type_name
    except TypeError:
        return str(numpy_dtype)


def _write_npz(path: str, values: dict) -> None:
    """Writes ``values`` as an ``.npz`` that ``np.load`` reads, atomically: a failed save
    leaves any earlier file at ``path`` intact. Names are zip entries, never keyword
    arguments, so every name round-trips (``np.savez(file, file=…)`` cannot)."""
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".npz.part")
    try:
        with os.fdopen(fd, "wb") as file, zipfile.ZipFile(file, "w") as archive:
            for name, value in values.items():
                with archive.open(f"{name}.npy", "w", force_zip64=True) as entry:
                    np.lib.format.write_array(entry, np.asanyarray(value), allow_pickle=False)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _read_npz(path: str, names) -> dict:
    """The arrays saved under ``names`` in ``path`` (those it has), each checked by its
    CRC-32 and never unpickled.

    Raises:
        DataLossError: naming ``path``, if it is truncated, damaged or not a checkpoint.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            stored = set(archive.namelist())
            return {
                name: _array(archive.read(f"{name}.npy"), name)
                for name in names
                if f"{name}.npy" in stored
            }
    except _CORRUPTION as error:
        raise DataLossError(
            None,
            None,
            f"Unable to read checkpoint {path}: {error} (the file is truncated or corrupt). "
            "Delete it and save the model again.",
        ) from None


def _array(data: bytes, name: str) -> np.ndarray:
    try:
        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    except ValueError:
        raise ValueError(f"its entry {name!r} is not an array of numbers") from None
