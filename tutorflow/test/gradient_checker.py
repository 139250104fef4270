"""The Jacobian that ``tf.gradients`` builds against the one central differences measure,
as TF 1.x's ``tf.test.compute_gradient_error``."""

from __future__ import annotations

import numpy as np

from ..framework import ops
from ..gradients import gradients
from ..ops import constant_ops


def compute_gradient(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3):
    """The theoretical and numeric Jacobians of ``y`` with respect to ``x``, in the default
    session (``with tf.Session():``).

    Args:
      x: a tensor to perturb (usually a placeholder), or a list of them.
      x_shape: its shape (a list of shapes for a list of ``x``).
      y: the tensor to differentiate; y_shape: its shape.
      x_init_value: the value of ``x`` to check at (a list for a list); default: uniform in [0, 1).
      delta: the perturbation of the central differences ``(y(x + delta) - y(x - delta)) / 2delta``.
    Returns:
      ``(theoretical, numeric)``, each of shape ``[x size, y size]``: row ``i`` holds how each
      element of ``y`` changes with element ``i`` of ``x``. A list of such pairs for a list of
      ``x``.

    >>> import tutorflow as tf
    >>> with tf.Graph().as_default(), tf.Session():
    ...     x = tf.placeholder(tf.float64, [2])
    ...     theoretical, numeric = tf.test.compute_gradient(x, [2], x * x, [2], [1.0, 3.0])
    >>> print(theoretical)
    [[2. 0.]
     [0. 6.]]
    """
    if not isinstance(x, (list, tuple)):
        return compute_gradient([x], [x_shape], y, y_shape, [x_init_value], delta)[0]
    sess = ops.get_default_session()
    if sess is None:
        raise ValueError(
            "compute_gradient needs a default session: call it inside `with tf.Session():`"
        )
    xs = [ops.convert_to_tensor(t) for t in x]
    y = ops.convert_to_tensor(y)
    init = x_init_value if x_init_value is not None else [None] * len(xs)
    values = [_x_value(t, shape, v) for t, shape, v in zip(xs, x_shape, init)]
    _check_shape(y, y_shape)
    grad_y = constant_ops.placeholder(y.dtype, y_shape, name="grad_y")
    grads = gradients(y, xs, grad_ys=grad_y)
    feed = dict(zip(xs, values))
    return [
        (_theoretical(sess, g, v.size, y_shape, grad_y, feed), _numeric(sess, y, t, feed, delta))
        for t, g, v in zip(xs, grads, values)
    ]


def compute_gradient_error(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3):
    """The largest absolute difference between the theoretical and numeric Jacobians of
    ``compute_gradient`` (over every ``x`` of a list): near 0 when ``y``'s gradient is right.

    >>> import tutorflow as tf
    >>> with tf.Graph().as_default(), tf.Session():
    ...     x = tf.placeholder(tf.float64, [3])
    ...     error = tf.test.compute_gradient_error(x, [3], tf.tanh(x), [3])
    >>> error < 1e-6
    True
    """
    pairs = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta)
    pairs = pairs if isinstance(pairs, list) else [pairs]
    return max(float(np.max(np.abs(t - n), initial=0.0)) for t, n in pairs)


def _x_value(x, x_shape, value) -> np.ndarray:
    _check_shape(x, x_shape)
    if value is None:
        value = np.random.random_sample(x_shape)
    value = np.asarray(value, dtype=x.dtype.as_numpy_dtype)
    if value.shape != tuple(x_shape):
        raise ValueError(f"x_init_value has shape {value.shape}, but x_shape is {tuple(x_shape)}")
    return value


def _check_shape(tensor, shape) -> None:
    if not tensor.shape.is_compatible_with(shape):
        raise ValueError(f"{tensor.name} has shape {tensor.shape}, incompatible with {list(shape)}")


def _theoretical(sess, grad, x_size, y_shape, grad_y, feed) -> np.ndarray:
    """Column ``j``: the gradient of ``x`` when only element ``j`` of ``y`` is seeded with 1."""
    y_size = int(np.prod(y_shape))
    jacobian = np.zeros((x_size, y_size))
    if grad is None:  # y does not depend on x
        return jacobian
    for j in range(y_size):
        seed = np.zeros(y_size)
        seed[j] = 1
        jacobian[:, j] = np.ravel(sess.run(grad, {**feed, grad_y: seed.reshape(y_shape)}))
    return jacobian


def _numeric(sess, y, x, feed, delta) -> np.ndarray:
    """Row ``i``: how ``y`` changes when element ``i`` of ``x`` moves by ``±delta``."""
    value = feed[x]
    rows = []
    for i in range(value.size):
        changes = []
        for step in (delta, -delta):
            moved = value.copy()
            moved.flat[i] += step
            changes.append(np.ravel(sess.run(y, {**feed, x: moved})).astype(np.float64))
        rows.append((changes[0] - changes[1]) / (2 * delta))
    return np.array(rows).reshape(value.size, -1)
