"""The exercise kit: every exercise checks the learner's answer live on tutorflow, names the
usual mistakes as a teacher would, gives graded hints, and shows its solution only when asked.

An exercise is a *judge*: a function of the learner's answers that returns ``None`` when they
are right and a diagnosis when they are not, a :class:`~tutorflow.course.language.Text` in
English and Chinese, as are its hints and its ``why``. It computes what it expects itself,
on tutorflow, every time; no expected value is stored. ``@exercise`` turns it into an
:class:`Exercise`::

    @exercise(kind=PREDICT, answer="n_train", solution="n_train = 55000", ...)
    def q1(n_train):
        "How many images does mnist.train hold?"
        if n_train == 60000:
            return Text("60,000 is the whole training file; read_data_sets keeps 5,000 ...",
                        "60,000 是整个训练文件；read_data_sets 留出 5,000 ...")
        return differs(n_train, expected_count(), Text("the count", "图像数"))

In a notebook, ``ex.q1.check()`` reads ``n_train`` from the notebook's namespace (or takes it
as an argument), ``ex.q1.hint()`` says a little more each call, ``ex.q1.solution()`` shows the
code. An answer still left as ``...`` is "not answered yet", never an error.
"""

from __future__ import annotations

import dis
import sys
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..framework import errors
from . import tracker
from .language import Text

PREDICT = "predict"  # commit to a value before the cell that reveals it
CODE = "code"  # write a function or a piece of graph
EXPLORE = "explore"  # run an experiment until it meets a measurable criterion
KINDS = (PREDICT, CODE, EXPLORE)


@dataclass(frozen=True)
class Mistake:
    """A wrong answer that learners really give, and a fragment of the diagnosis it must get.

    ``answer`` is code, as a learner would write it in the answer cell; the tests run it
    and check that ``says`` is in what ``check()`` prints.
    """

    answer: str
    says: str


def is_blank(value) -> bool:
    """An answer not given yet: ``...``, or a function whose body is only ``...`` or ``pass``
    (and perhaps a docstring): its code does nothing but return None."""
    if value is Ellipsis:
        return True
    code = getattr(value, "__code__", None)
    if code is None:
        return False
    return all(
        step.opname in ("RESUME", "NOP", "RETURN_VALUE", "RETURN_CONST", "LOAD_CONST")
        and (step.opname not in ("LOAD_CONST", "RETURN_CONST") or step.argval is None)
        for step in dis.get_instructions(code)
    )


@dataclass
class Exercise:
    """One exercise of one notebook. Built by ``@exercise``; see the module docstring."""

    notebook: str  # "05"
    number: int
    title: str
    kind: str
    answers: tuple[str, ...]
    judge: Callable = field(repr=False)
    hints: tuple[Text, ...]
    solution_code: str
    why: Text
    mistakes: tuple[Mistake, ...]
    given: str = ""  # what the notebook has defined before the answer cell (for the tests)
    hints_shown: int = field(default=0, repr=False)

    @property
    def id(self) -> str:
        return f"{self.notebook}.{self.number}"

    def check(self, *values, **named) -> None:
        """Judges the answers, given as arguments or found by name in the caller's namespace,
        prints the verdict and records it in the learner's progress. Never raises."""
        if not values and not named:
            namespace = sys._getframe(1).f_globals
            named = {name: namespace.get(name, Ellipsis) for name in self.answers}
        answers = dict(zip(self.answers, values), **named)
        blank = [name for name in self.answers if is_blank(answers.get(name, Ellipsis))]
        if blank:
            names = [f"`{name}`" for name in blank]
            not_yet = Text(
                f"Exercise {self.id}: not answered yet. Replace the `...` in {', '.join(names)} "
                "with your answer, run that cell, then run this one again.",
                f"练习 {self.id}：还没有作答。把 {'、'.join(names)} 里的 `...` 换成你的答案，"
                "运行那个单元格，再运行这一个。",
            )
            print(not_yet)
            return
        try:
            diagnosis = self.judge(**answers)
        except Exception as error:  # the learner's code failed inside the judge
            diagnosis = explain_error(error)
        tracker.record(self.id, correct=diagnosis is None)
        if diagnosis is None:
            print(Text(f"Correct! {self.why.en}", f"正确！{self.why.zh}"))
        else:
            print(Text(f"Not yet. {diagnosis.en}", f"还不对。{diagnosis.zh}"))

    def hint(self) -> None:
        """Prints the next hint: the first one nudges, later ones say more."""
        index = min(self.hints_shown, len(self.hints) - 1)
        self.hints_shown += 1
        hint, count = self.hints[index], len(self.hints)
        if index == count - 1:
            hint = Text(
                f"{hint.en} (That is the last hint; `.solution()` shows the answer.)",
                f"{hint.zh}（这是最后一条提示；`.solution()` 会给出答案。）",
            )
        print(
            Text(f"Hint {index + 1} of {count}: {hint.en}", f"提示 {index + 1}/{count}：{hint.zh}")
        )

    def solution(self) -> None:
        """Prints the code of a solution."""
        print(self.solution_code)


def exercise(*, kind, answer, hints, solution, why, mistakes, given="") -> Callable:
    """Turns a judge function ``q<number>`` of module ``nb<notebook>`` into an Exercise.

    Args:
        kind: PREDICT, CODE or EXPLORE.
        answer: the name (or a tuple of names) of the learner's answers, which are also the
            judge's parameters.
        hints: from a nudge to nearly the answer, each a ``Text``.
        solution: the code that answers it, as the learner would type it.
        why: one sentence on why the idea matters, printed when the answer is right (a ``Text``).
        mistakes: the wrong answers the judge diagnoses (two or more), as ``Mistake``\\ s.
        given: code the notebook has run before the answer cell, that the solution needs.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")

    def build(judge: Callable) -> Exercise:
        module = judge.__module__.rsplit(".", 1)[-1]  # "nb05"
        return Exercise(
            notebook=module.removeprefix("nb"),
            number=int(judge.__name__.removeprefix("q")),
            title=(judge.__doc__ or "").strip().splitlines()[0],
            kind=kind,
            answers=(answer,) if isinstance(answer, str) else tuple(answer),
            judge=judge,
            hints=tuple(hints),
            solution_code=solution.strip(),
            why=why,
            mistakes=tuple(mistakes),
            given=given.strip(),
        )

    return build


ANSWER = Text("the answer", "答案")


def differs(received, expected, what: Text | str = ANSWER, rtol: float = 1e-5) -> Text | None:
    """``None`` when ``received`` equals ``expected`` (numbers to ``rtol``), else a sentence that
    shows both, shapes first when they differ. ``what`` names the answer: a ``Text``, or the
    name of a Python variable (the same in both languages)."""
    en, zh = (what.en, what.zh) if isinstance(what, Text) else (f"`{what}`", f"`{what}`")
    if isinstance(expected, str) or isinstance(received, str):
        if str(received).strip() == str(expected).strip():
            return None
        return Text(
            f"Expected {en} to be {expected!r}, received {received!r}.",
            f"{zh}应为 {expected!r}，你给出的是 {received!r}。",
        )
    try:
        got, want = np.asarray(received), np.asarray(expected)
        if got.shape != want.shape:
            return Text(
                f"Expected {en} of shape {want.shape}, received shape {got.shape}: {_short(got)}.",
                f"{zh}的形状应为 {want.shape}，你给出的形状是 {got.shape}：{_short(got)}。",
            )
        if np.issubdtype(want.dtype, np.number) and np.issubdtype(got.dtype, np.number):
            same = np.allclose(got, want, rtol=rtol, atol=rtol, equal_nan=True)
        else:
            same = np.array_equal(got, want)
    except (TypeError, ValueError):
        same = received == expected
    if same:
        return None
    return Text(
        f"Expected {en} to be {_short(expected)}, received {_short(received)}.",
        f"{zh}应为 {_short(expected)}，你给出的是 {_short(received)}。",
    )


def as_shape(answer):
    """A shape as a learner may write it, ``(None, 10)``, ``[-1, 10]``, ``"(?, 10)"``, a
    TensorShape or a numpy shape, as a tuple with None for a size left open; an answer that is
    no shape comes back unchanged."""
    if hasattr(answer, "as_list"):  # a TensorShape
        answer = answer.as_list()
    if isinstance(answer, str):
        answer = [part.strip() for part in answer.strip().strip("()[]").split(",")]
        answer = [part for part in answer if part]
    try:
        return tuple(None if size in (None, -1, "?", "None") else int(size) for size in answer)
    except (TypeError, ValueError):
        return answer


def _short(value) -> str:
    if isinstance(value, np.generic):  # np.float32(5.0) reads as 5.0
        value = value.item()
    text = np.array2string(value, threshold=8) if isinstance(value, np.ndarray) else repr(value)
    return text if len(text) < 80 else text[:77] + "..."


def explain_error(error: Exception) -> Text:
    """What an error raised by the learner's code usually means, in a teacher's words (the
    error's own message stays as the engine wrote it, in English, as TensorFlow's do)."""
    name = type(error).__name__
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, errors.FailedPreconditionError):
        return Text(
            f"{name}: {first_line}. A variable was read before its initializer ran: run "
            "`sess.run(tf.global_variables_initializer())` after building the graph and "
            "before anything that uses the variables.",
            f"{name}: {first_line}。变量在初始化之前就被读取了：建好计算图之后、"
            "用到变量之前，先运行 `sess.run(tf.global_variables_initializer())`。",
        )
    if isinstance(error, errors.InvalidArgumentError) and "placeholder" in first_line.lower():
        return Text(
            f"{name}: {first_line}. Every placeholder that the fetched tensors depend on "
            "needs a value in `feed_dict`.",
            f"{name}: {first_line}。要取的张量所依赖的每个占位符，都需要在 `feed_dict` "
            "里给一个值。",
        )
    return Text(f"Your code raised {name}: {first_line}", f"你的代码抛出了 {name}: {first_line}")
