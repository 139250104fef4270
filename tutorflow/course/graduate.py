"""The libraries a learner graduates to, TensorFlow and PyTorch, as optional guests of the course.

Neither is needed by tutorflow: they come with the ``graduate`` extra. Notebook 15 asks for them
here, and its cells that need one run only when it is installed::

    from tutorflow.course.graduate import optional
    torch = optional("torch")  # the module, or None after printing how to install it
    if torch is not None:
        ...
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

INSTALL = 'pip install -e ".[graduate]"'
_TITLES = {"tensorflow": "TensorFlow", "torch": "PyTorch"}


def optional(package: str) -> ModuleType | None:
    """Imports ``package`` if it is installed; otherwise says how to install it.

    Args:
        package: the name to import, e.g. ``"tensorflow"`` or ``"torch"``.

    Returns:
        The module, or None (after printing the install line) when it is not installed.
    """
    if package == "tensorflow":
        # TensorFlow's C++ start-up notices (CPU features, no GPU found) would fill the page.
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        module = importlib.import_module(package)
    except ImportError:
        title = _TITLES.get(package, package)
        print(
            f"{title} is not installed here, so the cells that use it are skipped. To run "
            f"them, install the course's graduate extra from the course checkout: {INSTALL}"
        )
        return None
    if package == "tensorflow":
        module.get_logger().setLevel("ERROR")  # tf.compat.v1's deprecation notices
    return module
