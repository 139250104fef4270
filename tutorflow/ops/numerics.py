"""Checks that stop a run at the first NaN or Inf, naming where it appeared (TF's numerics).

    y = tf.check_numerics(tf.log(x), "log of the pixels")   # raises if y holds NaN or Inf
    check = tf.add_check_numerics_ops()                      # checks every float tensor
    with tf.control_dependencies([check]):                   # so each step checks first
        train_step = optimizer.minimize(loss)

A learning rate too large is the usual source of NaNs: the loss grows until it overflows.
Taught in notebook 11 (when training goes wrong).
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, ops, registry
from ..framework.errors import InvalidArgumentError
from ..framework.graph import get_default_graph
from ._util import make
from .control_flow_ops import group
from .variables import is_variable_ref


def check_numerics(tensor, message: str, name=None):
    """``tensor`` unchanged, after checking when run that it holds no NaN or Inf.

    Args:
        tensor: a float tensor.
        message: the start of the error's message, saying where the check stands.
        name: a name for the op (optional).

    Returns:
        A tensor like ``tensor``, with its value; running it raises TF's InvalidArgumentError
        ``<message> : Tensor had NaN values`` (or ``Inf``, or ``Inf and NaN``) naming this op
        if the value has any.

    Taught in notebook 11 (when training goes wrong).
    """
    tensor = ops.convert_to_tensor(tensor)
    return make("CheckNumerics", [tensor], tensor.dtype, tensor.shape, {"message": message}, name)


@registry.kernel("CheckNumerics", takes=dtypes.FLOATS, parameter="tensor", aliases=True)
def _check_numerics(op, x):
    if np.isfinite(x).all():
        return x
    found = [kind for kind, test in (("Inf", np.isinf), ("NaN", np.isnan)) if test(x).any()]
    raise InvalidArgumentError(
        None, None, f"{op.attrs['message']} : Tensor had {' and '.join(found)} values"
    )


@registry.gradient("CheckNumerics")
def _check_numerics_grad(op, grad):
    """The identity, with the gradient checked too, as in TF."""
    message = op.attrs["message"]
    return [
        check_numerics(
            grad, f"Not a number (NaN) or infinity (Inf) values detected in gradient. {message}"
        )
    ]


def add_check_numerics_ops():
    """An op that checks every float tensor of the default graph made so far for NaN or Inf.

    The checks run in the order the tensors were made, so that the error names the tensor
    where a NaN or an Inf first appears (the message is its name, ``Log:0``). Running it runs
    those tensors: feed every float placeholder. Variables' storage and the ops that write it
    (TF's ref tensors) are left out.

    Returns:
        A ``NoOp`` operation that runs every check.

    Taught in notebook 11 (when training goes wrong).
    """
    checks = []
    graph = get_default_graph()
    for op in graph.get_operations():
        for output in op.outputs:
            if output.dtype.is_floating and not is_variable_ref(output):
                # each check runs after the one before it: the first bad tensor is reported
                with graph.control_dependencies(checks):
                    checks = [check_numerics(output, output.name).op]
    return group(*checks)
