"""The exceptions TF 1.x raises when a graph runs, under the same names (``tf.errors``)."""


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
