"""Reverse-mode automatic differentiation that builds graph nodes.

``tf.gradients(ys, xs)`` walks back from ``ys`` through the ops that lie between ``xs`` and
``ys``; each op's registered gradient function adds the nodes that compute its input
gradients. Nothing is computed here: the session runs the new nodes like any others.
Taught in notebook 06 (how learning works).
"""

from __future__ import annotations

from .framework import ops, registry
from .ops import constant_ops, math_ops


def gradients(ys, xs, grad_ys=None, name="gradients"):
    """The symbolic derivatives of ``sum(ys)`` with respect to each of ``xs``.

    Args:
      ys: a tensor or list of tensors to differentiate.
      xs: a tensor, Variable, or list of them.
      grad_ys: optional gradients flowing into ``ys`` (default: ones).
    Returns:
      A list with one tensor per ``x``, or None where ``x`` does not affect ``ys``.
    """
    ys = [ops.convert_to_tensor(y) for y in _as_list(ys)]
    xs = [ops.convert_to_tensor(x) for x in _as_list(xs)]
    grad_ys = _as_list(grad_ys) if grad_ys is not None else [None] * len(ys)
    with ops.name_scope(name, "gradients", ys + xs):
        pending = {}  # tensor -> gradients received from its consumers
        for y, grad_y in zip(ys, grad_ys):
            seed = constant_ops.ones_like(y) if grad_y is None else ops.convert_to_tensor(grad_y)
            pending.setdefault(y, []).append(seed)
        for op in _ops_between(xs, ys):
            out_grads = [_sum(pending.get(t)) for t in op.outputs]  # None: nothing flows back
            if all(g is None for g in out_grads):
                continue
            grad_fn = registry.gradient_function(op)
            if grad_fn is None:  # not differentiable: its inputs receive nothing
                continue
            with ops.name_scope(f"{op.name}_grad"):
                in_grads = grad_fn(op, *out_grads)
            for tensor, grad in zip(op.inputs, in_grads):
                if grad is not None:
                    pending.setdefault(tensor, []).append(grad)
        return [_sum(pending.get(x)) for x in xs]


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _sum(grads):
    if not grads:
        return None
    return grads[0] if len(grads) == 1 else math_ops.add_n(grads)


def _ops_between(xs, ys) -> list:
    """Ops on some path from an ``x`` to a ``y``, latest first (reverse topological order).

    Only float tensors carry a gradient, as in TF: the path stops at an int or bool tensor, so
    an int ``x``, or one reached only through a cast to int, gets None."""
    reaches_y = set()
    stack = [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op not in reaches_y:
            reaches_y.add(op)
            stack.extend(t.op for t in op.inputs)
    sources = set(xs)
    from_x = set()
    for op in sorted(reaches_y, key=lambda op: op._id):
        if any((t in sources or t.op in from_x) and t.dtype.is_floating for t in op.inputs):
            from_x.add(op)
    return sorted(from_x, key=lambda op: op._id, reverse=True)
