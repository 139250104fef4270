"""The exceptions TF 1.x raises when a graph runs, under the same names (``tf.errors``), and how
a kernel's error becomes one that names its op."""

from __future__ import annotations

import numpy as np

from .tensor_shape import TensorShape, shape_string


class OpError(Exception):
    """An error raised while running an operation; ``op`` is the failing Operation, if known."""

    def __init__(self, node_def, op, message):
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message


class InvalidArgumentError(OpError):
    """An op received an invalid argument, such as a missing feed or a bad shape."""


class FailedPreconditionError(OpError):
    """The system is not in a state the op needs, e.g. a variable read before initialisation."""


class NotFoundError(OpError):
    """A requested file or entity was not found."""


class OutOfRangeError(OpError):
    """An operation iterated past the valid range."""


class UnimplementedError(OpError):
    """The operation is not implemented in tutorflow."""


class InternalError(OpError):
    """An internal invariant was broken."""


class DataLossError(OpError):
    """Unrecoverable data loss or corruption, such as a truncated or damaged checkpoint file."""


class AlreadyExistsError(OpError):
    """A file or entity that an operation would create already exists."""


# What a kernel raises for bad input values (numpy's words): TF's InvalidArgumentError.
KERNEL_ERRORS = (ValueError, IndexError, TypeError, ZeroDivisionError)


def invalid_argument(error: Exception, op, args) -> OpError:
    """A kernel's ``error`` (one of `KERNEL_ERRORS`) on input values ``args``, as TF's
    InvalidArgumentError located at ``op``."""
    return located(InvalidArgumentError(None, None, _tf_message(error, args)), op)


def located(error: OpError, op) -> OpError:
    """Names the failing node in the message, as TF 1.x does: ``[[node Variable/read]]``."""
    if error.op is None:
        error.op = op
        error.message = f"{error.message}\n\t [[node {op.name} ({op.type})]]"
        error.args = (error.message,)
    return error


def _tf_message(error: Exception, args) -> str:
    """TF's words for a kernel's error where numpy's differ: two inputs whose shapes do not
    broadcast together are ``Incompatible shapes: [2,3] vs. [4]``."""
    if "broadcast" in str(error) and len(args) == 2:
        x, y = (shape_string(TensorShape(np.shape(a))) for a in args)
        return f"Incompatible shapes: {x} vs. {y}"
    return str(error)
