"""One numeric gradient checker for every op: ``tf.gradients`` against central differences.

``check_gradients(build, x1, x2, ...)`` feeds float64 placeholders, one per input array, to
``build`` and compares the symbolic gradient of ``sum(grad_y * y)`` for a random ``grad_y``
(so that every output element matters, with its own weight) with the finite difference
``(f(x + h) - f(x - h)) / 2h`` taken element by element.
"""

from __future__ import annotations

import numpy as np

import tutorflow as tf

DELTA = 1e-6  # central differences in float64: truncation ~DELTA**2, rounding ~1e-16/DELTA
RTOL = 1e-6
ATOL = 1e-8


def check_gradients(
    build, *inputs, shapes=None, seed=0, delta=DELTA, rtol=RTOL, atol=ATOL, expect_op=None
):
    """Asserts that ``tf.gradients`` of ``build(*placeholders)`` matches finite differences.

    Args:
      build: called with one float64 placeholder per input; returns a tensor or a list of them.
      inputs: the float64 values at which to check, kept away from kinks and ties.
      shapes: optional static shapes for the placeholders (``None`` dimensions allowed), to
        check the gradients of graphs whose shapes are known only at run time.
      expect_op: an op type that ``build`` must create (so a case checks the op it claims to).
    Returns:
      The analytic gradients, one numpy array per input.
    """
    inputs = [np.array(x, dtype=np.float64) for x in inputs]
    shapes = shapes or [x.shape for x in inputs]
    graph = tf.Graph()
    with graph.as_default():
        xs = [tf.placeholder(tf.float64, shape, name=f"x{i}") for i, shape in enumerate(shapes)]
        ys = build(*xs)
        ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
        if expect_op is not None:
            types = {op.type for op in graph.get_operations()}
            assert expect_op in types, f"the case builds no {expect_op} op, only {sorted(types)}"
        for y in ys:
            assert y.dtype == tf.float64, f"{y} is not float64"
        sess = tf.Session(graph=graph)
        feed = dict(zip(xs, inputs))
        y_values = [np.asarray(v) for v in sess.run(ys, feed)]
        rng = np.random.default_rng(seed)
        weights = [rng.uniform(0.5, 1.5, v.shape) * rng.choice([-1, 1], v.shape) for v in y_values]
        grad_ys = [tf.constant(w) for w in weights]
        grads = tf.gradients(ys, xs, grad_ys=grad_ys)
        for i, (x, g) in enumerate(zip(xs, grads)):
            assert g is not None, f"tf.gradients gave None for input {i} ({x.name})"
            assert g.dtype == tf.float64, f"gradient {g} of input {i} is not float64"
            assert g.shape.is_compatible_with(x.shape), (
                f"gradient {g} has static shape {g.shape}, input {i} has {x.shape}"
            )
        analytic = [np.asarray(v) for v in sess.run(grads, feed)]

    def objective(values):
        outs = sess.run(ys, dict(zip(xs, values)))
        return sum(float(np.sum(w * np.asarray(o))) for w, o in zip(weights, outs))

    for i, (x, a) in enumerate(zip(inputs, analytic)):
        assert a.shape == x.shape, f"gradient of input {i} has shape {a.shape}, not {x.shape}"
        numeric = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            values = [v.copy() for v in inputs]
            values[i][index] = x[index] + delta
            up = objective(values)
            values[i][index] = x[index] - delta
            down = objective(values)
            numeric[index] = (up - down) / (2 * delta)
        np.testing.assert_allclose(
            a, numeric, rtol=rtol, atol=atol, err_msg=f"gradient of input {i} ({xs[i].name})"
        )
    return analytic
