"""The course layer: every notebook carries its exercises, the command line lists them and
solves them all, and nothing a notebook stores names the machine that ran it."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tutorflow import course
from tutorflow.course import __main__ as cli
from tutorflow.course import shown_path, solve
from tutorflow.course.exercises import NOTEBOOKS, by_notebook, for_notebook

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def cells(notebook: str) -> list:
    return json.loads((NOTEBOOK_DIR / f"{notebook}.ipynb").read_text())["cells"]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_each_exercise_has_one_answer_cell_then_its_check(notebook):
    sources = ["".join(cell["source"]) for cell in cells(notebook)]
    answers = [solve.answer_id(cell) for cell in cells(notebook)]
    for item in for_notebook(notebook):
        assert answers.count(item.id) == 1, f"{item.id}: one answer cell"
        answer_at = answers.index(item.id)
        checks = [i for i, source in enumerate(sources) if f"ex.q{item.number}.check()" in source]
        assert len(checks) == 1 and checks[0] > answer_at, f"{item.id}: its check follows"
    assert {a for a in answers if a} == {item.id for item in for_notebook(notebook)}


def test_every_notebook_of_the_first_ten_has_four_exercises_one_writing_code():
    for notebook, items in list(by_notebook().items())[:10]:
        assert len(items) >= 4, notebook
        if notebook >= "02":
            assert any(item.kind == "code" for item in items), notebook
    assert sum(len(items) for items in by_notebook().values()) >= 40


def test_the_listing_has_a_line_a_notebook(capsys):
    assert cli.main(["exercises"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{notebook:<30} {len(for_notebook(notebook))} exercises" for notebook in NOTEBOOKS
    ]


def test_with_solutions_types_each_solution_into_its_answer_cell():
    notebook = nbformat.read(NOTEBOOK_DIR / "01_start_here.ipynb", as_version=4)
    solved = solve.with_solutions(notebook)
    typed = {solve.answer_id(cell): cell.source for cell in solved.cells if solve.answer_id(cell)}
    assert typed == {item.id: item.solution_code for item in for_notebook("01")}


def test_solving_every_notebook_passes_every_exercise():
    """The course's own end-to-end check: each notebook, executed in quick mode with the
    solutions filled in, passes all its exercises."""
    run = subprocess.run(
        [sys.executable, "-m", "tutorflow.course", "exercises", "--solve"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    total = sum(len(items) for items in by_notebook().values())
    last = run.stdout.strip().splitlines()[-1]
    assert last == f"{total}/{total} exercises pass", run.stdout + run.stderr[-3000:]
    assert run.returncode == 0


def test_stored_outputs_hold_no_machine_path():
    machine = re.compile(r"(/work/|/tmp/|/root/|/home/|[A-Z]:\\\\Users)[A-Za-z0-9_.-]")
    for notebook in sorted(NOTEBOOK_DIR.glob("**/*.ipynb")):  # the Chinese edition's too
        for cell in json.loads(notebook.read_text())["cells"]:
            outputs = json.dumps(cell.get("outputs", []))
            assert not machine.search(outputs), f"{notebook.name}: {machine.search(outputs)[0]}"


def test_paths_are_shown_relative_to_the_checkout_or_home():
    checkout = Path(solve.__file__).resolve().parents[2]
    assert shown_path(checkout / "data") == "data/"
    assert shown_path(checkout / "pyproject.toml") == "pyproject.toml"  # a file: no slash
    assert shown_path(Path.home() / ".cache" / "tutorflow") == "~/.cache/tutorflow"


def test_a_log_dir_starts_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTORFLOW_DATA", str(tmp_path))
    monkeypatch.setattr(course, "QUICK", False)
    first = course.log_dir("11_overfitting/no_dropout")
    (first / "events.out.tfevents.1").write_text("last run")
    again = course.log_dir("11_overfitting/no_dropout")
    assert again == tmp_path / "logs" / "11_overfitting" / "no_dropout"
    assert list(again.iterdir()) == []


def test_quick_mode_keeps_its_logs_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTORFLOW_DATA", str(tmp_path))
    monkeypatch.setattr(course, "QUICK", True)
    assert course.log_dir("run") == tmp_path / "logs" / "quick" / "run"


def test_tensorboard_in_quick_mode_says_how_and_starts_nothing(monkeypatch, capsys):
    monkeypatch.setattr(course, "QUICK", True)
    started = []
    monkeypatch.setitem(sys.modules, "tensorboard.notebook", type(sys)("stand-in"))
    sys.modules["tensorboard.notebook"].start = started.append
    checkout = Path(solve.__file__).resolve().parents[2]
    course.tensorboard(checkout / "data" / "logs" / "run")
    assert capsys.readouterr().out.strip().endswith("tensorboard --logdir data/logs/run")
    assert started == []
