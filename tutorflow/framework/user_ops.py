"""Ops a learner defines from Python: a numpy kernel and a gradient, registered together in
one ``OpDef``, as every built-in op in ``tutorflow/ops`` is.
"""

from __future__ import annotations

from typing import Callable

from . import ops, registry


def register_op(op_type: str, kernel: Callable, gradient: Callable | None = None, takes=()):
    """Registers a new element-wise op and returns the function that builds it.

    Args:
      op_type: a CamelCase op type not yet registered, such as ``"LeakyRelu"``.
      kernel: ``kernel(op, *input_values) -> value``: numpy in, numpy out, shaped like the
        first input; settings given to the builder are in ``op.get_attr(name)``.
      gradient: ``gradient(op, grad) -> [grad for each input, or None]``, built from ops.
      takes: the dtypes its first input may have (default: any).
    Returns:
      ``build(*inputs, name=None, **attrs)``, which adds one such op to the graph and returns
      its output: a tensor with the first input's dtype and shape.
    Raises:
      KeyError: if ``op_type`` is already registered.

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
    registry.kernel(op_type, takes=takes)(kernel)
    if gradient is not None:
        registry.gradient(op_type)(gradient)

    def build(*inputs, name=None, **attrs):
        inputs = [ops.convert_to_tensor(x) for x in inputs]
        outputs = [(inputs[0].dtype, inputs[0].shape)]
        return ops.create_op(op_type, inputs, outputs, attrs, name).outputs[0]

    build.__name__ = op_type
    build.__doc__ = f"Adds a {op_type} op (defined with tf.register_op) and returns its output."
    return build
