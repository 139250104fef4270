"""``tf.logging``: TF 1.x's log, a Python logger that prints ``INFO:tensorflow:message``
(here ``INFO:tutorflow:``) to stderr once its verbosity lets the level through.

    tf.logging.set_verbosity(tf.logging.INFO)
    tf.logging.info("Step %d: loss = %.2f", step, loss)

The default verbosity is WARN, as in TF 1.x: ``info`` prints nothing until it is lowered.
"""

from __future__ import annotations

import logging
import sys

DEBUG = logging.DEBUG
INFO = logging.INFO
WARN = logging.WARNING
ERROR = logging.ERROR
FATAL = logging.FATAL

_logger = logging.getLogger("tutorflow")
_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
_logger.addHandler(_handler)
_logger.setLevel(WARN)
_logger.propagate = False


def set_verbosity(level: int) -> None:
    """Prints messages at ``level`` and above (``tf.logging.INFO`` shows ``info``)."""
    _logger.setLevel(level)


def get_verbosity() -> int:
    return _logger.getEffectiveLevel()


def log(level: int, msg, *args) -> None:
    _logger.log(level, msg, *args)


def debug(msg, *args) -> None:
    _logger.debug(msg, *args)


def info(msg, *args) -> None:
    _logger.info(msg, *args)


def warning(msg, *args) -> None:
    _logger.warning(msg, *args)


warn = warning


def error(msg, *args) -> None:
    _logger.error(msg, *args)


def fatal(msg, *args) -> None:
    _logger.fatal(msg, *args)
