"""Every public op has a docstring that teaches (issue 14): a one-line summary, ``Args:`` naming
each argument, ``Returns:``, and the notebook that teaches it ("notebook NN", one that exists).

The public ops are the functions and classes that ``tf``, ``tf.nn``, ``tf.losses``,
``tf.summary`` and ``tf.train`` export and that are defined in ``tutorflow.ops.*``,
``tutorflow.nn`` or ``tutorflow.losses``, with the public methods of those classes
(``tf.Variable.assign``). An alias (``tf.mod``, ``softmax_cross_entropy_with_logits_v2``) is the
same function, checked once. Left out: what is defined elsewhere (``tf.gradients``, the
optimizers of ``tf.train``, ``tf.test``, ``tf.register_op``), properties, and arguments whose
names start with an underscore (``_sentinel``). A function annotated ``-> None`` and a class
need no ``Returns:``.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import tutorflow as tf

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMESPACES = {
    "tf": tf,
    "tf.nn": tf.nn,
    "tf.losses": tf.losses,
    "tf.summary": tf.summary,
    "tf.train": tf.train,
}


def is_op_code(obj) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.startswith("tutorflow.ops.") or module in ("tutorflow.nn", "tutorflow.losses")


def public_ops() -> list[tuple[str, object]]:
    """``(the name it is exported as, the function, class or method)``, each object once."""
    found = {}
    for prefix, namespace in NAMESPACES.items():
        for name in sorted(dir(namespace)):
            obj = getattr(namespace, name)
            if name.startswith("_") or not is_op_code(obj):
                continue
            if inspect.isfunction(obj):
                found.setdefault(obj, f"{prefix}.{name}")
            elif inspect.isclass(obj):
                found.setdefault(obj, f"{prefix}.{name}")
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(member):
                        found.setdefault(member, f"{prefix}.{name}.{attr}")
    return sorted((label, obj) for obj, label in found.items())


def arguments(obj) -> list[str]:
    """The arguments a caller passes: ``self`` and names starting with ``_`` aside."""
    names = list(inspect.signature(obj).parameters)
    if names and names[0] == "self" and not inspect.isclass(obj):
        names = names[1:]
    return [name for name in names if not name.startswith("_")]


def args_section(doc: str) -> list[str] | None:
    """The argument names listed under ``Args:``, or None without that section."""
    lines = doc.splitlines()
    if "Args:" not in lines:
        return None
    names = []
    for line in lines[lines.index("Args:") + 1 :]:
        if line and not line[0].isspace():
            break
        match = re.match(r"\s+\*{0,2}(\w+)(?: \(.*\))?:", line)
        if match:
            names.append(match.group(1))
    return names


def returns_something(obj) -> bool:
    if inspect.isclass(obj):
        return False
    return inspect.signature(obj).return_annotation not in (None, "None")


def doc_problems(obj) -> list[str]:
    """What the docstring of ``obj`` lacks; empty when it has everything."""
    doc = inspect.getdoc(obj)
    if not doc:
        return ["no docstring"]
    problems = []
    lines = doc.splitlines()
    if len(lines) > 1 and lines[1].strip():
        problems.append("the summary is not one line followed by a blank line")
    if arguments(obj):
        listed = args_section(doc)
        if listed is None:
            problems.append("no Args: section")
        elif missing := [name for name in arguments(obj) if name not in listed]:
            problems.append(f"Args: does not name {', '.join(missing)}")
    if returns_something(obj) and "Returns:" not in lines:
        problems.append("no Returns: section")
    numbers = re.findall(r"\bnotebooks? (\d{2})\b", doc, re.IGNORECASE)
    if not numbers:
        problems.append('names no notebook ("notebook NN")')
    for number in numbers:
        if not list(NOTEBOOKS.glob(f"{number}_*.ipynb")):
            problems.append(f"names notebook {number}, which does not exist")
    return problems


OPS = public_ops()


def test_the_public_ops_are_found():
    labels = {label for label, _ in OPS}
    expected = {"tf.matmul", "tf.nn.relu", "tf.losses.get_total_loss", "tf.summary.scalar"}
    assert expected | {"tf.Variable", "tf.Variable.assign"} <= labels
    assert not {"tf.gradients", "tf.train.AdamOptimizer", "tf.mod"} & labels  # tf.mod: floormod
    assert len(OPS) > 80


@pytest.mark.parametrize("label, obj", OPS, ids=[label for label, _ in OPS])
def test_every_public_op_has_a_docstring_that_teaches(label, obj):
    problems = doc_problems(obj)
    assert not problems, f"{label} ({obj.__module__}): " + "; ".join(problems)


def test_the_checker_names_what_is_missing():
    def bare(x, name=None):
        return x

    def half(x, y, _sentinel=None):
        """Adds things
        over two lines.

        Args:
            x: one thing.

        Taught in notebook 99 (none).
        """

    def quiet(x) -> None:
        """Stores ``x``.

        Args:
            x: a value.

        Taught in notebook 03 (placeholders and variables).
        """

    assert doc_problems(bare) == ["no docstring"]
    assert doc_problems(half) == [
        "the summary is not one line followed by a blank line",
        "Args: does not name y",
        "no Returns: section",
        "names notebook 99, which does not exist",
    ]
    assert doc_problems(quiet) == []
    assert doc_problems(tf.nn.relu) == []
