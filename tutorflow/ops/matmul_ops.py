"""Matrix multiplication and its gradient."""

from __future__ import annotations

from ..framework import dtypes, ops, registry
from ..framework.errors import InvalidArgumentError
from ..framework.tensor_shape import TensorShape, shape_string
from ..loops import split
from ._util import convert_pair, make


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    """The matrix product of two rank-2 tensors, optionally transposing either first.

    Args:
      a: a numeric tensor of shape ``[m, k]`` (``[k, m]`` with ``transpose_a``).
      b: a tensor of ``a``'s dtype and shape ``[k, n]`` (``[n, k]`` with ``transpose_b``).
      transpose_a: whether to transpose ``a`` first.
      transpose_b: whether to transpose ``b`` first.
      name: a name for the op (optional).

    Returns:
      A tensor of shape ``[m, n]``.

    Raises:
      ValueError: if a rank is not 2 or the inner dimensions differ.

    Taught in notebook 05 (softmax regression).
    """
    with ops.name_scope(name, "MatMul", [a, b]) as scope:
        a, b = convert_pair(a, b, "MatMul")
        for t in (a, b):
            if t.shape.ndims not in (None, 2):
                raise ValueError(
                    f"Shape must be rank 2 but is rank {t.shape.ndims} for "
                    f"'MatMul' (op: 'MatMul') with input shapes: {a.shape}, {b.shape}."
                )
        rows = cols = None
        if a.shape.ndims == 2 and b.shape.ndims == 2:
            (m, ka), (kb, n) = _oriented(a, transpose_a), _oriented(b, transpose_b)
            if ka is not None and kb is not None and ka != kb:
                raise ValueError(
                    f"Dimensions must be equal, but are {ka} and {kb} for 'MatMul' "
                    f"(op: 'MatMul') with input shapes: {shape_string(a.shape)}, "
                    f"{shape_string(b.shape)}."
                )
            rows, cols = m, n
        static = [rows, cols] if a.shape.ndims == 2 or b.shape.ndims == 2 else None
        attrs = {"transpose_a": transpose_a, "transpose_b": transpose_b}
        return make("MatMul", [a, b], a.dtype, static, attrs, scope)


def _oriented(t, transposed):
    rows, cols = t.shape.as_tuple()
    return (cols, rows) if transposed else (rows, cols)


@registry.kernel("MatMul", takes=dtypes.NUMBERS, parameter="a")
def _matmul(op, a, b):
    a_oriented = a.T if op.attrs["transpose_a"] else a
    b_oriented = b.T if op.attrs["transpose_b"] else b
    if a_oriented.shape[-1] != b_oriented.shape[0]:
        raise InvalidArgumentError(
            None,
            None,
            f"Matrix size-incompatible: In[0]: {shape_string(TensorShape(a.shape))}, "
            f"In[1]: {shape_string(TensorShape(b.shape))}",
        )
    return split.matmul(a_oriented, b_oriented)


@registry.gradient("MatMul")
def _matmul_grad(op, grad):
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        return [matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)]
    if not ta and tb:
        return [matmul(grad, b), matmul(grad, a, transpose_a=True)]
    if ta and not tb:
        return [matmul(b, grad, transpose_b=True), matmul(a, grad)]
    return [
        matmul(b, grad, transpose_a=True, transpose_b=True),
        matmul(grad, a, transpose_a=True, transpose_b=True),
    ]
