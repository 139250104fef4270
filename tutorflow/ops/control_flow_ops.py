"""Ops that order other ops without computing anything: ``tf.group`` and ``tf.no_op``.

An optimizer's training step is a group of its updates; ``tf.control_dependencies`` hangs
further ops on such a point.
"""

from __future__ import annotations

from ..framework import ops, registry


def group(*inputs, name=None):
    """An op that runs all of ``inputs`` and gives nothing back.

    Args:
        *inputs: operations or tensors to run.
        name: a name for the op (optional).

    Returns:
        A ``NoOp`` operation with a control dependency on each input.

    Notebook 06 (how learning works): an optimizer's training step is a group of its updates.
    """
    graph = ops.graph_of(inputs)
    with graph.control_dependencies([getattr(i, "op", i) for i in inputs]):
        return ops.create_op("NoOp", [], [], name=name) if inputs else no_op(name)


def no_op(name=None):
    """An op that does nothing, as a point to hang control dependencies on.

    Args:
        name: a name for the op (optional).

    Returns:
        A ``NoOp`` operation.

    Not used in the course; ``group`` (an optimizer's step in notebook 06, how learning works)
    is a ``NoOp`` that waits for its inputs.
    """
    return ops.create_op("NoOp", [], [], name=name)


@registry.kernel("NoOp")
def _no_op(op):
    return ()


registry.not_differentiable("NoOp")
