"""The exercises of every notebook: module ``nbNN`` holds notebook NN's, as ``q1``, ``q2``, …

In a notebook::

    from tutorflow.course.exercises import nb05 as ex
    ex.q1.check()      # judge the answer; ex.q1.hint(), ex.q1.solution()
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..kit import Exercise

NOTEBOOKS = (
    "01_start_here",
    "02_graphs_and_sessions",
    "03_placeholders_and_variables",
    "04_mnist_data",
    "05_softmax_regression",
    "06_how_learning_works",
    "07_convolution_and_pooling",
    "08_lenet5",
    "09_draw_a_digit",
    "10_inside_the_network",
    "11_when_training_goes_wrong",
    "12_inside_session_run",
    "13_backprop_by_hand",
    "14_write_your_own_op",
    "15_graduating",
)


def for_notebook(notebook: str) -> list[Exercise]:
    """The exercises of ``notebook`` (``"05_softmax_regression"`` or ``"05"``), in order."""
    module_file = Path(__file__).with_name(f"nb{notebook[:2]}.py")
    if not module_file.exists():
        return []
    module = importlib.import_module(f"{__name__}.nb{notebook[:2]}")
    found = [value for value in vars(module).values() if isinstance(value, Exercise)]
    return sorted(found, key=lambda item: item.number)


def by_notebook() -> dict[str, list[Exercise]]:
    """Every notebook of the course, in order, with its exercises."""
    return {notebook: for_notebook(notebook) for notebook in NOTEBOOKS}


def find(exercise_id: str) -> Exercise:
    """The exercise ``"05.2"``."""
    notebook, number = exercise_id.split(".")
    for item in for_notebook(notebook):
        if item.number == int(number):
            return item
    raise KeyError(f"no exercise {exercise_id}")
