"""Runs every notebook with each exercise's solution typed into its answer cell, in quick mode,
and reports which exercises then pass: the course's own check that every exercise can be solved.

An answer cell carries ``{"tutorflow": {"answer": "05.1"}}`` in its metadata.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import tracker
from .exercises import by_notebook, find

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"


def answer_id(cell) -> str | None:
    return cell.get("metadata", {}).get("tutorflow", {}).get("answer")


def with_solutions(notebook):
    """``notebook`` (nbformat) with each answer cell's source replaced by the solution."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and answer_id(cell):
            cell.source = find(answer_id(cell)).solution_code
    return notebook


def run(notebook_dir: Path = NOTEBOOK_DIR, only=(), timeout: int = 900) -> tuple[int, int]:
    """Executes each notebook that has exercises (or those numbered in ``only``, e.g.
    ``["05"]``); prints a line a notebook and returns ``(passed, total)``."""
    import nbformat
    from nbclient import NotebookClient

    passed = total = 0
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["TUTORFLOW_QUICK"] = "1"
        os.environ["TUTORFLOW_PROGRESS"] = str(Path(scratch) / "progress.json")
        for name, items in by_notebook().items():
            path = notebook_dir / f"{name}.ipynb"
            if not items or not path.exists() or (only and name[:2] not in only):
                continue
            notebook = with_solutions(nbformat.read(path, as_version=4))
            client = NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(notebook_dir)}},
            )
            try:
                client.execute()
                failure = ""
            except Exception as error:  # a cell failed: report it, go on with the others
                failure = f"  (stopped: {type(error).__name__}: {str(error).strip()[-300:]})"
            state = tracker.load()
            ok = [item for item in items if tracker.status(item.id, state) == tracker.DONE]
            failed = [item.id for item in items if item not in ok]
            passed, total = passed + len(ok), total + len(items)
            note = f"  failed: {', '.join(failed)}" if failed else ""
            print(f"{name:<30} {len(ok)}/{len(items)} pass{note}{failure}", flush=True)
    print(f"{passed}/{total} exercises pass")
    return passed, total
