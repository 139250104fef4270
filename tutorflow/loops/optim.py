"""Fused, in-place optimizer updates: TF 1.x ``ApplyAdam``, ``ApplyMomentum`` and
``ApplyGradientDescent``.

In numpy, Adam makes about ten passes over memory (one per operator, most with a temporary
array); one compiled loop reads each value once and writes it back once: over LeNet's 3.27M
parameters, about 12 ms becomes under 2 ms (bench/bench_loops.py).

``error_model="numpy"`` lets a float division by zero give inf/nan, as numpy does, instead of
Numba's default check that raises ZeroDivisionError; without that check LLVM vectorizes the loop
(5x faster for Adam).

The optimizer's state is flushed to zero once it falls below the smallest normal float, as TF's
kernels do (they run with the CPU's flush-to-zero mode on). A slot whose gradient stays zero, the
weight of a pixel that is always blank, decays geometrically (Adam's ``m`` by 0.9 a step) into
the subnormal numbers, on which each multiply takes some hundred cycles: left there, LeNet-5's
steps grew from 33 to 41 ms after 1,000 steps.
"""

import numpy as np
from numba import njit

from . import split


@njit(cache=True, nogil=True, error_model="numpy")
def _adam(var, m, v, grad, lr_t, beta1, beta2, epsilon, tiny):
    for k in range(var.size):
        g = grad[k]
        m[k] = _flushed(beta1 * m[k] + (1 - beta1) * g, tiny)
        v[k] = _flushed(beta2 * v[k] + (1 - beta2) * g * g, tiny)
        var[k] -= lr_t * m[k] / (np.sqrt(v[k]) + epsilon)


@njit(cache=True, nogil=True)
def _momentum(var, accum, grad, lr, momentum, use_nesterov, tiny):
    for k in range(var.size):
        accum[k] = _flushed(accum[k] * momentum + grad[k], tiny)
        if use_nesterov:
            var[k] -= lr * grad[k] + lr * momentum * accum[k]
        else:
            var[k] -= lr * accum[k]


@njit(cache=True, nogil=True, inline="always")
def _flushed(x, tiny):
    """``x``, or 0 where it is subnormal (smaller in size than ``tiny``, the least normal)."""
    return x if abs(x) >= tiny else x * 0


@njit(cache=True, nogil=True)
def _sgd(var, grad, lr):
    for k in range(var.size):
        var[k] -= lr * grad[k]


def adam_update(var, m, v, grad, lr_t: float, beta1: float, beta2: float, epsilon: float) -> None:
    """One Adam step, in place, as TF 1.x's ``ApplyAdam``::

        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        var -= lr_t * m / (sqrt(v) + epsilon)

    Args:
        var, m, v: float32/float64 arrays of one shape, updated in place.
        grad: the gradient, same shape and dtype.
        lr_t: this step's learning rate, already ``lr * sqrt(1 - beta2**t) / (1 - beta1**t)``.
        beta1, beta2, epsilon: Adam's constants.
    """
    arrays = _flat("adam_update", var=var, m=m, v=v, grad=grad)
    tiny = np.finfo(var.dtype).tiny
    _in_parts(_adam, arrays, *_scalars(var.dtype, lr_t, beta1, beta2, epsilon, tiny))


def momentum_update(
    var, accum, grad, lr: float, momentum: float, use_nesterov: bool = False
) -> None:
    """One momentum step, in place, as TF 1.x's ``ApplyMomentum``::

        accum = accum * momentum + grad
        var -= lr * accum                                # or, with use_nesterov,
        var -= lr * grad + lr * momentum * accum

    Args:
        var, accum: float32/float64 arrays of one shape, updated in place.
        grad: the gradient, same shape and dtype.
        lr, momentum: the learning rate and the momentum.
        use_nesterov: take the Nesterov form of the step.
    """
    arrays = _flat("momentum_update", var=var, accum=accum, grad=grad)
    tiny = np.finfo(var.dtype).tiny
    _in_parts(_momentum, arrays, *_scalars(var.dtype, lr, momentum), bool(use_nesterov), tiny)


def sgd_update(var, grad, lr: float) -> None:
    """``var -= lr * grad``, in place, as TF 1.x's ``ApplyGradientDescent``.

    Args:
        var: float32/float64 array, updated in place.
        grad: the gradient, same shape and dtype.
        lr: the learning rate.
    """
    arrays = _flat("sgd_update", var=var, grad=grad)
    _in_parts(_sgd, arrays, *_scalars(var.dtype, lr))


def _flat(op: str, **arrays) -> list[np.ndarray]:
    """1-D views of the arrays: views, so that the kernel's writes land in the caller's arrays."""
    var = arrays["var"]
    for name, a in arrays.items():
        if not isinstance(a, np.ndarray) or a.dtype not in (np.float32, np.float64):
            got = a.dtype if isinstance(a, np.ndarray) else type(a).__name__
            raise ValueError(f"{op}: {name} must be a float32 or float64 array, got {got}")
        if a.shape != var.shape or a.dtype != var.dtype:
            raise ValueError(
                f"{op}: {name} is {a.dtype} of shape {a.shape}, but var is {var.dtype} of shape"
                f" {var.shape}"
            )
        if not (a.flags.c_contiguous and a.flags.writeable):
            raise ValueError(f"{op}: {name} must be a writeable C-contiguous array")
    return [a.reshape(-1) for a in arrays.values()]


def _in_parts(loop, arrays: list[np.ndarray], *scalars) -> None:
    """``loop(*arrays, *scalars)`` on parts of the arrays at once (they are updated value by
    value)."""
    split.over(
        arrays[0].size, lambda k0, k1: loop(*(a[k0:k1] for a in arrays), *scalars), len(arrays)
    )


def _scalars(dtype: np.dtype, *values: float) -> list:
    """The hyperparameters in the arrays' dtype, so that float32 updates stay float32 as in TF."""
    return [dtype.type(value) for value in values]
