"""Every exercise of the course: its solution passes, each mistake it names gets its own
diagnosis, a blank answer is "not answered yet", and hints say more each time."""

import json

import pytest

from tutorflow import course
from tutorflow.course import kit, tracker
from tutorflow.course.exercises import NOTEBOOKS, by_notebook, find, for_notebook

EXERCISES = [item for items in by_notebook().values() for item in items]
MISTAKES = [
    pytest.param(item, mistake, id=f"{item.id}-mistake{k}")
    for item in EXERCISES
    for k, mistake in enumerate(item.mistakes, 1)
]


@pytest.fixture(autouse=True)
def private_progress(tmp_path, monkeypatch):
    """Checks record progress into a file of the test's own, never the learner's."""
    monkeypatch.setenv("TUTORFLOW_PROGRESS", str(tmp_path / "progress.json"))


def answers_from(exercise, code: str) -> dict:
    """Runs ``code`` as a learner's answer cell (after what the notebook defined before it)
    and returns the answers it set."""
    namespace = {}
    exec(f"import numpy as np\nimport tutorflow as tf\n{exercise.given}\n{code}", namespace)
    return {name: namespace.get(name, Ellipsis) for name in exercise.answers}


def verdict(exercise, answers, capsys) -> str:
    exercise.check(**answers)
    return capsys.readouterr().out


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda item: item.id)
def test_the_solution_passes(exercise, capsys):
    out = verdict(exercise, answers_from(exercise, exercise.solution_code), capsys)
    assert out.startswith("Correct!"), out
    assert tracker.status(exercise.id) == tracker.DONE


@pytest.mark.parametrize("exercise, mistake", MISTAKES)
def test_each_named_mistake_gets_its_diagnosis(exercise, mistake, capsys):
    out = verdict(exercise, answers_from(exercise, mistake.answer), capsys)
    assert out.startswith("Not yet."), out
    assert mistake.says in out
    assert tracker.status(exercise.id) == tracker.TRIED


def test_mistakes_are_told_apart():
    """Two mistakes of one exercise never share their diagnosis fragment."""
    for exercise in EXERCISES:
        says = [mistake.says for mistake in exercise.mistakes]
        assert len(says) == len(set(says)), exercise.id


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda item: item.id)
def test_a_blank_answer_is_not_answered_yet(exercise, capsys):
    blank = {name: ... for name in exercise.answers}
    assert "not answered yet" in verdict(exercise, blank, capsys)
    assert tracker.status(exercise.id) == tracker.NOT_STARTED


def test_a_blank_function_is_not_answered_yet():
    def accuracy(logits, labels): ...

    def with_docstring():
        """Write me."""
        pass

    def answered(x):
        return x

    assert kit.is_blank(accuracy) and kit.is_blank(with_docstring) and kit.is_blank(...)
    assert not kit.is_blank(answered) and not kit.is_blank(0) and not kit.is_blank(None)


def test_check_reads_the_answer_from_the_callers_namespace(capsys):
    notebook = {"ex": find("01.2"), "n_operations": 3}  # a notebook's globals
    exec("ex.check()", notebook)
    assert capsys.readouterr().out.startswith("Correct!")


def test_an_error_in_the_learners_code_is_explained_not_raised(capsys):
    exercise = kit.Exercise(
        notebook="99",
        number=1,
        title="t",
        kind=kit.CODE,
        answers=("f",),
        judge=lambda f: f(),
        hints=("h",),
        solution_code="",
        why="",
        mistakes=(),
    )

    def uninitialised():
        import tutorflow as tf

        v = tf.Variable(1.0, name="v")
        with tf.Session() as sess:
            sess.run(v)

    exercise.check(f=uninitialised)
    out = capsys.readouterr().out
    assert out.startswith("Not yet. FailedPreconditionError")
    assert "global_variables_initializer" in out


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda item: item.id)
def test_hints_are_graded(exercise, capsys):
    assert len(exercise.hints) >= 2
    shown = []
    for _ in range(len(exercise.hints) + 1):
        exercise.hint()
        shown.append(capsys.readouterr().out)
    assert shown[0].startswith(f"Hint 1 of {len(exercise.hints)}: {exercise.hints[0]}")
    assert len(set(shown[:-1])) == len(exercise.hints)  # each call says something new
    assert shown[-1] == shown[-2] and "`.solution()`" in shown[-1]
    exercise.hints_shown = 0


def test_the_solution_is_shown_only_when_asked(capsys):
    exercise = find("01.4")
    exercise.check(product_value=...)
    exercise.hint()
    assert "sess.run(six_times_seven)" not in capsys.readouterr().out
    exercise.solution()
    assert capsys.readouterr().out.strip() == exercise.solution_code
    exercise.hints_shown = 0


def test_every_exercise_names_two_mistakes_and_why_it_matters():
    for exercise in EXERCISES:
        assert len(exercise.mistakes) >= 2, exercise.id
        assert exercise.why and exercise.title, exercise.id
        assert exercise.kind in kit.KINDS


def test_progress_survives_a_restart_and_is_written_atomically(tmp_path):
    tracker.record("01.1", correct=False)
    tracker.record("01.1", correct=True)
    tracker.record("01.1", correct=False)  # once done, it stays done
    tracker.record("01.2", correct=False)
    saved = json.loads((tmp_path / "progress.json").read_text())  # what a new kernel reads
    assert saved == {
        "01.1": {"status": "done", "attempts": 3},
        "01.2": {"status": "tried", "attempts": 1},
    }
    assert [path.name for path in tmp_path.iterdir()] == ["progress.json"]  # no temp left


def test_a_corrupt_progress_file_starts_afresh(tmp_path):
    (tmp_path / "progress.json").write_text("{not json")
    assert tracker.load() == {}
    tracker.record("01.1", correct=True)
    assert tracker.status("01.1") == tracker.DONE


def test_progress_shows_each_notebooks_exercises_as_text(capsys):
    tracker.record("01.1", correct=True)
    tracker.record("01.2", correct=False)
    assert course.progress() is None  # no kernel here: the text table
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(NOTEBOOKS)
    first = lines[0].split()
    n = len(for_notebook("01"))
    assert first[0] == "01_start_here"
    assert first[1] == "✓✗" + "·" * (n - 2)
    assert " ".join(first[2:]) == f"1 done, 1 tried, {n - 2} not started"
