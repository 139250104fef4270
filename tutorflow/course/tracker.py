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


def summary() -> list[tuple[str, dict[str, str]]]:
    """For each notebook, in course order: its name and ``{exercise id: status}``."""
    from .exercises import by_notebook

    state = load()
    return [
        (notebook, {item.id: status(item.id, state) for item in items})
        for notebook, items in by_notebook().items()
    ]


_MARKS = {DONE: "✓", TRIED: "✗", NOT_STARTED: "·"}


def as_text() -> str:
    """One line a notebook: ``05_softmax_regression  ✓✓✗··  2 done, 1 tried, 2 not started``."""
    lines = []
    for notebook, statuses in summary():
        marks = "".join(_MARKS[s] for s in statuses.values())
        counts = ", ".join(f"{list(statuses.values()).count(s)} {s}" for s in _MARKS)
        lines.append(f"{notebook:<30} {marks:<8} {counts}")
    return "\n".join(lines)


def as_html() -> str:
    colours = {DONE: "#2e7d32", TRIED: "#c62828", NOT_STARTED: "#9e9e9e"}
    rows = []
    for notebook, statuses in summary():
        cells = "".join(
            f'<span title="{ex_id}: {s}" style="color:{colours[s]};font-size:1.2em">'
            f"{_MARKS[s]}</span>"
            for ex_id, s in statuses.items()
        )
        done = list(statuses.values()).count(DONE)
        rows.append(
            f"<tr><td><code>{notebook}</code></td><td>{cells}</td>"
            f"<td>{done}/{len(statuses)} done</td></tr>"
        )
    legend = " ".join(f'<span style="color:{colours[s]}">{_MARKS[s]}</span> {s}' for s in _MARKS)
    return f"<table>{''.join(rows)}</table><p>{legend}</p>"


def show():
    """A small widget of the progress where widgets work; the text table otherwise."""
    try:
        import ipywidgets
        from IPython import get_ipython

        if get_ipython() is not None and hasattr(get_ipython(), "kernel"):
            return ipywidgets.HTML(as_html())
    except ImportError:
        pass
    print(as_text())
    return None
