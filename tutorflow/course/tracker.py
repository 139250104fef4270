"""The learner's progress through the exercises: which are done, tried or not started.

Kept in ``progress.json`` in the data folder (or ``$TUTORFLOW_PROGRESS``), written atomically,
so it survives a kernel restart and a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..datasets.fetch import cache_dir

DONE, TRIED, NOT_STARTED = "done", "tried", "not started"


def progress_file() -> Path:
    return Path(os.environ.get("TUTORFLOW_PROGRESS") or cache_dir() / "progress.json")


def load() -> dict[str, dict]:
    """``{"05.2": {"status": "done", "attempts": 3}, …}``; empty when nothing is recorded or
    the file cannot be read (progress is a convenience, never a reason to stop a lesson)."""
    try:
        return json.loads(progress_file().read_text())
    except (OSError, ValueError):
        return {}


def record(exercise_id: str, correct: bool) -> None:
    """One more attempt at ``exercise_id``; once done, an exercise stays done."""
    state = load()
    entry = state.setdefault(exercise_id, {"status": TRIED, "attempts": 0})
    entry["attempts"] += 1
    if correct:
        entry["status"] = DONE
    path = progress_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, prefix=".progress-", suffix=".tmp", delete=False
        ) as out:
            json.dump(state, out, indent=1, sort_keys=True)
        os.replace(out.name, path)
    except OSError as error:  # a read-only data folder must not break the exercise
        print(f"(progress not saved: {error.strerror})")


def status(exercise_id: str, state: dict | None = None) -> str:
    state = load() if state is None else state
    return state.get(exercise_id, {}).get("status", NOT_STARTED)
