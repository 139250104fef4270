"""One-pass loops over a layer's activations: adding a bias to every row, ReLU and its gradient,
and the bias's gradient (a sum over rows). Fused steps (ops/fused_ops.py) add the bias and take
the ReLU in one pass, and sum the bias's gradient in the pass that takes ReLU's.

numpy does each of these in one or two passes too, but slowly where it matters: ``x + b`` over
(N, H, W, C) runs an inner loop of only C values, ``grad * (y > 0)`` first makes a temporary
mask, and summing over N*H*W rows goes row by row. On LeNet's first layer these loops are
2-3.5x faster (bench/bench_loops.py). A row is the last axis: C channels, or a dense layer's units.

They take float32 or float64 arrays of one dtype and write ``out``, a C-contiguous array that
may be one of the inputs (an in-place update), or a new one.
"""

import numpy as np
from numba import njit

from . import split


def is_bias_add(x, bias) -> bool:
    """Whether ``x + bias`` adds the 1-D ``bias`` to every row of ``x``, in one of our dtypes."""
    return (
        type(x) is np.ndarray
        and type(bias) is np.ndarray
        and bias.ndim == 1
        and x.ndim >= 1
        and x.shape[-1] == bias.shape[0]
        and x.dtype == bias.dtype
        and x.dtype in (np.float32, np.float64)
    )


def is_float_array(*arrays) -> bool:
    """Whether every argument is a float32/float64 ndarray of the first one's shape and dtype."""
    first = arrays[0]
    return all(
        type(a) is np.ndarray
        and a.dtype in (np.float32, np.float64)
        and a.dtype == first.dtype
        and a.shape == first.shape
        for a in arrays
    )


@njit(cache=True, nogil=True)
def _bias_add(x, bias, relu, out):
    for r in range(x.shape[0]):
        for c in range(x.shape[1]):
            value = x[r, c] + bias[c]
            out[r, c] = 0 if relu and value < 0 else value  # NaN stays, as in np.maximum


@njit(cache=True, nogil=True)
def _bias_add_grad(grad, total):
    for r in range(grad.shape[0]):
        for c in range(grad.shape[1]):
            total[c] += grad[r, c]


@njit(cache=True, nogil=True)
def _relu_grad(grad, y, out):
    for k in range(grad.size):
        out[k] = grad[k] * (y[k] > 0)  # a product, not a choice, so that NaN * 0 stays NaN


@njit(cache=True, nogil=True)
def _relu_grad_summed(grad, y, out, total):
    """out = ReLU's gradient, rows (R, C); total (C,) = its rows summed in float64. Each row is
    summed right after it is written, while it is in the cache, into a local sum: a running
    sum in ``total`` itself would share a cache line with the other part's."""
    channels = grad.shape[1]
    running = np.zeros(channels, np.float64)
    for r in range(grad.shape[0]):
        for c in range(channels):
            out[r, c] = grad[r, c] * (y[r, c] > 0)
        for c in range(channels):
            running[c] += out[r, c]
    total[:] = running


def bias_add(
    x: np.ndarray, bias: np.ndarray, out: np.ndarray | None = None, relu: bool = False
) -> np.ndarray:
    """``x + bias`` with ``bias`` of shape (C,) added to every row of ``x`` (..., C); with
    ``relu``, ``max(x + bias, 0)`` in the same pass.

    >>> bias_add(np.zeros((2, 3)), np.array([1.0, -2.0, 3.0]), relu=True)
    array([[1., 0., 3.],
           [1., 0., 3.]])
    """
    x = np.ascontiguousarray(x)
    out = _output(out, x)
    rows, out_rows = _rows(x), _rows(out)

    def add(r0, r1):
        _bias_add(rows[r0:r1], bias, relu, out_rows[r0:r1])

    split.over(len(rows), add, x.shape[-1])
    return out


def bias_add_grad(grad: np.ndarray) -> np.ndarray:
    """The gradient of `bias_add` with respect to the bias: ``grad`` (..., C) summed over rows,
    accumulated in float64 and returned in grad's dtype.

    >>> bias_add_grad(np.ones((4, 5, 3)))
    array([20., 20., 20.])
    """
    total = np.zeros(grad.shape[-1], np.float64)
    _bias_add_grad(_rows(np.ascontiguousarray(grad)), total)
    return total.astype(grad.dtype)


def relu(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``max(x, 0)``, value by value (numpy's, in parts that run at once).

    >>> relu(np.array([-1.0, 2.0]))
    array([0., 2.])
    """
    x = np.ascontiguousarray(x)
    out = _output(out, x)
    flat, flat_out = x.reshape(-1), out.reshape(-1)
    split.over(x.size, lambda k0, k1: np.maximum(flat[k0:k1], 0, out=flat_out[k0:k1]))
    return out


def relu_grad(grad: np.ndarray, y: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """ReLU's gradient: ``grad`` where the ReLU's output ``y`` is positive, else 0.

    >>> relu_grad(np.array([3.0, 3.0]), np.array([0.0, 2.0]))
    array([0., 3.])
    """
    grad, y = np.ascontiguousarray(grad), np.ascontiguousarray(y)
    out = _output(out, grad)
    flat = grad.reshape(-1), y.reshape(-1), out.reshape(-1)
    split.over(grad.size, lambda k0, k1: _relu_grad(*(a[k0:k1] for a in flat)))
    return out


def relu_grad_and_bias_grad(
    grad: np.ndarray, y: np.ndarray, out: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`relu_grad` and, summed in the same pass, its `bias_add_grad`: the gradients of a ReLU
    and of the bias added just before it.

    >>> grad, y = np.array([[3.0, 3.0], [1.0, 1.0]]), np.array([[0.0, 2.0], [1.0, 1.0]])
    >>> relu_grad_and_bias_grad(grad, y)
    (array([[0., 3.],
           [1., 1.]]), array([1., 4.]))
    """
    grad, y = np.ascontiguousarray(grad), np.ascontiguousarray(y)
    out = _output(out, grad)
    rows = _rows(grad), _rows(y), _rows(out)

    def part(r0, r1, total):
        _relu_grad_summed(*(a[r0:r1] for a in rows), total)

    width = grad.shape[-1]
    return out, split.summed_over(len(rows[0]), part, width, width).astype(grad.dtype)


def _output(out: np.ndarray | None, like: np.ndarray) -> np.ndarray:
    """``out`` checked to be writable in place, or a new array like ``like``."""
    if out is None:
        return np.empty_like(like)
    if out.shape != like.shape or out.dtype != like.dtype or not out.flags.c_contiguous:
        raise ValueError(
            f"out must be a C-contiguous {like.dtype} array of shape {like.shape}, got"
            f" {out.dtype} of shape {out.shape}"
        )
    return out


def _rows(a: np.ndarray) -> np.ndarray:
    """A C-contiguous array as a 2-D view (rows, last axis)."""
    return a.reshape(-1, a.shape[-1]) if a.ndim else a.reshape(1, 1)
