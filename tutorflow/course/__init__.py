"""What the course notebooks share: quick mode for CI, where models are saved, the
environment check of the first notebook, the learner's progress through the exercises
(``tutorflow.course.exercises``), and the language the course speaks (``set_language("zh")``).

Set ``TUTORFLOW_QUICK=1`` to shorten every long loop (CI runs the notebooks that way).
"""

from __future__ import annotations

import importlib
import os
import platform
import shutil
import sys
from pathlib import Path

from ..datasets.fetch import cache_dir
from . import report
from .language import Text, has_chinese, say, set_language  # noqa: F401 (set_language: for the notebooks)

QUICK = os.environ.get("TUTORFLOW_QUICK", "") not in ("", "0")


def steps(full: int, quick: int) -> int:
    """``full`` normally, ``quick`` in quick mode."""
    return quick if QUICK else full


def model_path(name: str) -> Path:
    """Where notebooks save and find a trained model (``data/models/<name>``; never committed).
    Quick mode keeps its briefly trained models apart, in ``data/models/quick/``, so that a CI
    run never replaces a fully trained one."""
    folder = cache_dir() / "models" / ("quick" if QUICK else "")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def shown_path(path: Path) -> str:
    """``path`` as a learner can read it and a notebook can store it: relative to the course's
    checkout (``data/``, ``data/logs/run.json``), or to the home folder (``~/.cache/tutorflow``)."""
    checkout = Path(__file__).resolve().parents[2]
    for base, name in ((checkout, ""), (Path.home(), "~")):
        try:
            relative = path.resolve().relative_to(base.resolve())
        except ValueError:
            continue
        if name:
            return str(Path(name) / relative)
        return f"{relative}/" if path.is_dir() else str(relative)
    return str(path)


def log_dir(name: str) -> Path:
    """An empty folder for TensorBoard's event files of run ``name``: ``data/logs/<name>``
    (never committed), emptied first so that a re-run does not mix with the last one. Quick
    mode keeps its logs apart, in ``data/logs/quick/``, as it does its models."""
    folder = cache_dir() / "logs" / ("quick" if QUICK else "") / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def tensorboard(logdir: Path) -> None:
    """Opens the real TensorBoard on ``logdir`` inside the notebook, as TF's ``%tensorboard
    --logdir`` magic does. In quick mode (CI) it only says how, and starts no server."""
    command = f"tensorboard --logdir {shown_path(logdir)}"
    if QUICK:
        print(
            Text(
                f"Quick mode: TensorBoard not started. To open it: {command}",
                f"快速模式：没有启动 TensorBoard。要打开它，运行：{command}",
            )
        )
        return
    binary = Path(sys.executable).with_name("tensorboard")  # the course environment's own
    if binary.exists():
        os.environ.setdefault("TENSORBOARD_BINARY", str(binary))
    try:
        from tensorboard import notebook
    except ImportError:
        print(
            Text(
                f"TensorBoard is not installed: pip install tensorboard, then {command}",
                f"没有安装 TensorBoard：先 pip install tensorboard，再运行 {command}",
            )
        )
        return
    notebook.start(f"--logdir '{logdir}'")


_PACKAGES = [
    ("numpy", "pip install numpy"),
    ("numba", "pip install numba"),
    ("matplotlib", "pip install matplotlib"),
    ("ipywidgets", "pip install ipywidgets"),
    ("anywidget", "pip install anywidget"),
]


def check_environment() -> bool:
    """Prints what the course needs and whether it is here, with the fix for anything missing,
    then whether the course is ready. Returns True when everything is in place."""
    fine, missing = say("ok", "正常"), say("missing", "缺少")
    fix = say("fix:", "解决：")
    rows = [("Python", platform.python_version(), fine)]
    for name, command in _PACKAGES:
        try:
            rows.append((name, importlib.import_module(name).__version__, fine))
        except ImportError:
            rows.append((name, missing, f"{fix} {command}"))
    from ..datasets import mnist
    from ..datasets.idx import DataError

    problem = None
    try:
        mnist.prefetch("mnist")
        where = shown_path(cache_dir())
        rows.append(
            ("MNIST", say("cached", "已缓存"), fine + say(f" (in {where})", f"（在 {where}）"))
        )
    except DataError as error:  # its message says what was tried and what to do
        rows.append(("MNIST", missing, f"{fix} python -m tutorflow.datasets mnist"))
        problem = error
    for name, state, verdict in rows:
        print(f"{_padded(name, 12)} {_padded(state, 10)} {verdict}")
    if problem is not None:
        print(problem)
    ok = all(state != missing for _, state, _ in rows)
    ready = Text("All set.", "一切就绪。")
    not_ready = Text(
        "Run the 'fix:' commands above in a terminal, restart the kernel, run this cell again.",
        "在终端里运行上面“解决：”后面的命令，重启内核，再运行这个单元格。",
    )
    print(f"\n{ready if ok else not_ready}")
    return ok


def _padded(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns; a Chinese character takes two."""
    return text + " " * (width - len(text) - sum(has_chinese(c) for c in text))


def progress():
    """Shows which exercises are done, tried or not started in each notebook: a small widget
    in JupyterLab, a text table elsewhere. Progress is kept across kernel restarts."""
    return report.show()
