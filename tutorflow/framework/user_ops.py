"""Ops a learner defines from Python: a numpy kernel and a gradient, registered together in
one ``OpDef``, as every built-in op in ``tutorflow/ops`` is. Taught in notebook 14.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from . import errors, ops, registry

_DEFINED_HERE: set[str] = set()  # op types that register_op registered, and may replace


def register_op(
    op_type: str,
    kernel: Callable,
    gradient: Callable | None = None,
    takes=(),
    replace: bool = False,
):
    """Registers a new element-wise op and returns the function that builds it.

    Args:
      op_type: a CamelCase op type not yet registered, such as ``"LeakyRelu"``.
      kernel: ``kernel(op, *input_values) -> value``: numpy in, numpy out, shaped like the
        first input and of its dtype; settings given to the builder are in ``op.get_attr(name)``.
      gradient: ``gradient(op, grad) -> [grad for each input, or None]``, built from ops.
      takes: the dtypes its first input may have (default: any).
      replace: give an op type that ``register_op`` registered before (say, by a notebook cell
        run twice) this new kernel and gradient. Built-in op types can never be replaced.
    Returns:
      ``build(*inputs, name=None, **attrs)``, which adds one such op to the graph and returns
      its output: a tensor with the first input's dtype and shape.
    Raises:
      KeyError: if ``op_type`` is already registered and may not be replaced.

    A kernel whose value has another dtype than its tensor's (float64 for float32, say) makes
    the run raise InvalidArgumentError, as TF's ``py_func`` does.

    >>> import numpy as np
    >>> import tutorflow as tf
    >>> def leaky_relu_kernel(op, x):
    ...     return np.where(x > 0, x, op.get_attr("alpha") * x)
    >>> def leaky_relu_grad(op, grad):
    ...     x = op.inputs[0]
    ...     return [tf.where(x > 0, grad, op.get_attr("alpha") * grad)]
    >>> leaky_relu = tf.register_op("LeakyRelu", leaky_relu_kernel, leaky_relu_grad)
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([-2.0, 3.0])
    ...     y = leaky_relu(x, alpha=0.1)
    ...     dy_dx, = tf.gradients(y, x)
    ...     with tf.Session() as sess:
    ...         print(y.op.type, sess.run(y), sess.run(dy_dx))
    LeakyRelu [-0.2  3. ] [0.1 1. ]
    """
    if op_type in registry.registered_op_types():
        _check_replaceable(op_type, replace)
        opdef = registry.lookup(op_type)
        opdef.kernel, opdef.gradient, opdef.takes = _checked(kernel), gradient, tuple(takes)
    else:
        registry.kernel(op_type, takes=tuple(takes))(_checked(kernel))
        if gradient is not None:
            registry.gradient(op_type)(gradient)
        _DEFINED_HERE.add(op_type)

    def build(*inputs, name=None, **attrs):
        inputs = [ops.convert_to_tensor(x) for x in inputs]
        outputs = [(inputs[0].dtype, inputs[0].shape)]
        return ops.create_op(op_type, inputs, outputs, attrs, name).outputs[0]

    build.__name__ = op_type
    build.__doc__ = f"Adds a {op_type} op (defined with tf.register_op) and returns its output."
    return build


def _check_replaceable(op_type: str, replace: bool) -> None:
    if op_type not in _DEFINED_HERE:
        raise KeyError(
            f"Op type '{op_type}' is already registered: it is one of tutorflow's own ops, "
            "which cannot be replaced. Give your op another name."
        )
    if not replace:
        raise KeyError(
            f"Op type '{op_type}' is already registered, by an earlier tf.register_op (did "
            "this cell run before?). Pass replace=True to give it your new kernel and "
            "gradient, or choose another name."
        )


def _checked(kernel: Callable) -> Callable:
    """``kernel``, refusing a value whose dtype is not its output tensor's (``inspect`` still
    finds the kernel's own source, through ``__wrapped__``)."""

    @functools.wraps(kernel)
    def run(op, *values):
        value = np.asarray(kernel(op, *values))
        expected = op.outputs[0].dtype
        if value.dtype != expected.as_numpy_dtype:
            raise errors.InvalidArgumentError(
                None,
                op,
                f"The kernel of {op.type} returned {value.dtype.name} values, but its output "
                f"'{op.outputs[0].name}' is {expected.name}: convert them with "
                f".astype(np.{expected.name}) or, better, compute in the input's dtype.",
            )
        return value

    return run
