"""The libraries a learner graduates to, TensorFlow and PyTorch, as optional guests of the course.

Neither is needed by tutorflow: they come with the ``graduate`` extra. Notebook 15 asks for them
here, and its cells that need one run only when it is installed::

    from tutorflow.course.graduate import optional
    torch = optional("torch")  # the module, or None after printing how to install it
    if torch is not None:
        ...
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from types import ModuleType

from .language import Text

INSTALL = 'pip install -e ".[graduate]"'
_TITLES = {"tensorflow": "TensorFlow", "torch": "PyTorch"}


def optional(package: str) -> ModuleType | None:
    """Imports ``package`` if it is installed; otherwise says how to install it.

    Args:
        package: the name to import, e.g. ``"tensorflow"`` or ``"torch"``.

    Returns:
        The module, or None (after printing the install line) when it is not installed.
    """
    tensorflow = package == "tensorflow"
    if tensorflow:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's C++ log, once it reads it
    try:
        with _stderr_hidden() if tensorflow else contextlib.nullcontext():
            module = importlib.import_module(package)
    except ImportError:
        title = _TITLES.get(package, package)
        print(
            Text(
                f"{title} is not installed here, so the cells that use it are skipped. To run "
                f"them, install the course's graduate extra from the course checkout: {INSTALL}",
                f"这里没有安装 {title}，所以用到它的单元格会跳过。要运行它们，请在课程目录下"
                f"安装课程的 graduate 附加依赖：{INSTALL}",
            )
        )
        return None
    if tensorflow:
        module.get_logger().setLevel("ERROR")  # tf.compat.v1's deprecation notices
    return module


@contextlib.contextmanager
def _stderr_hidden():
    """Sends what is written to the process's stderr (file descriptor 2) nowhere, for a while.

    TensorFlow's C++ start-up notices (CPU features, no GPU found) are written there before it
    reads any setting that could turn them off, and would fill the notebook's first cell.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as nowhere:
        os.dup2(nowhere.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
