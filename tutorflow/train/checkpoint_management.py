"""Where checkpoints are: their files, and TF 1.x's ``checkpoint`` state file that lists them.

Each ``Saver.save`` also writes a small text file named ``checkpoint`` in the checkpoint's
folder, in TF 1.x's format, so that ``tf.train.latest_checkpoint(folder)`` finds the newest::

    model_checkpoint_path: "model.ckpt-2"
    all_model_checkpoint_paths: "model.ckpt-1"
    all_model_checkpoint_paths: "model.ckpt-2"

Paths are written relative to the folder (TF's ``save_relative_paths=True``), so the folder
can be moved or copied; absolute ones, from files TF wrote, are read as well.
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import NamedTuple

STATE_FILENAME = "checkpoint"
_LINE = re.compile(r'^(model_checkpoint_path|all_model_checkpoint_paths): "(.*)"$')


class CheckpointState(NamedTuple):
    """What the state file says: the newest checkpoint and all those still kept, oldest first."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list[str]


def checkpoint_file(save_path) -> str:
    """The file that holds the checkpoint ``save_path``: the path with ``.npz`` added."""
    save_path = os.fspath(save_path)
    return save_path if save_path.endswith(".npz") else f"{save_path}.npz"


def update_checkpoint_state(
    save_dir: str, model_checkpoint_path: str, all_model_checkpoint_paths, latest_filename=None
) -> None:
    """Writes the state file of ``save_dir`` (replacing it at once, never half written)."""
    paths = list(all_model_checkpoint_paths)
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    lines = [f'model_checkpoint_path: "{os.path.relpath(model_checkpoint_path, save_dir)}"']
    lines += [f'all_model_checkpoint_paths: "{os.path.relpath(p, save_dir)}"' for p in paths]
    fd, temporary = tempfile.mkstemp(dir=save_dir, prefix=".checkpoint.", suffix=".part")
    try:
        with os.fdopen(fd, "w") as file:
            file.write("".join(f"{line}\n" for line in lines))
        os.replace(temporary, os.path.join(save_dir, latest_filename or STATE_FILENAME))
    except BaseException:
        os.unlink(temporary)
        raise


def get_checkpoint_state(checkpoint_dir, latest_filename=None) -> CheckpointState | None:
    """The state file of ``checkpoint_dir``, or None if there is none (as in TF 1.x).

    Raises:
        ValueError: the file exists but is not a state file; the message names it.
    """
    checkpoint_dir = os.fspath(checkpoint_dir)
    state_file = os.path.join(checkpoint_dir, latest_filename or STATE_FILENAME)
    try:
        with open(state_file) as file:
            lines = file.read().splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return None
    latest, kept = None, []
    for line in lines:
        match = _LINE.match(line.strip())
        if match is None:
            raise ValueError(f"Invalid checkpoint state file {state_file}: {line!r}")
        path = os.path.join(checkpoint_dir, match.group(2))  # unchanged if already absolute
        if match.group(1) == "model_checkpoint_path":
            latest = path
        else:
            kept.append(path)
    if latest is None:
        raise ValueError(f"Invalid checkpoint state file {state_file}: no model_checkpoint_path")
    return CheckpointState(latest, kept)


def latest_checkpoint(checkpoint_dir, latest_filename=None) -> str | None:
    """The newest checkpoint saved in ``checkpoint_dir``, ready for ``Saver.restore``; None if
    there is none, or if the state file names a checkpoint whose file is gone.

    >>> latest_checkpoint("/no/such/folder") is None
    True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not os.path.isfile(checkpoint_file(state.model_checkpoint_path)):
        return None
    return state.model_checkpoint_path
