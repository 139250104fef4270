"""The update ops optimizers add: each changes a variable in place, in one fused Numba loop
(``tutorflow.loops.optim``), as TF 1.x's ``ApplyGradientDescent``, ``ApplyMomentum`` and
``ApplyAdam`` do. Their inputs ``var``, ``accum``, ``m``, ``v`` are variable storage slots."""

from __future__ import annotations

import numpy as np

from .. import loops
from ..framework import ops, registry
from ._util import make


def _apply(op_type, slots, scalars, grad, attrs=None, name=None):
    var = slots[0]
    inputs = [*slots, *[ops.convert_to_tensor(s) for s in scalars], ops.convert_to_tensor(grad)]
    return make(op_type, inputs, var.dtype, var.shape, attrs, name)


def apply_gradient_descent(var, lr, grad, name=None):
    """``var -= lr * grad``."""
    return _apply("ApplyGradientDescent", [var], [lr], grad, name=name)


def apply_momentum(var, accum, lr, grad, momentum, use_nesterov=False, name=None):
    """``accum = momentum * accum + grad; var -= lr * accum`` (or the Nesterov step)."""
    return _apply(
        "ApplyMomentum", [var, accum], [lr, momentum], grad, {"use_nesterov": use_nesterov}, name
    )


def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, name=None):
    """One Adam step with ``lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power)``."""
    scalars = [beta1_power, beta2_power, lr, beta1, beta2, epsilon]
    return _apply("ApplyAdam", [var, m, v], scalars, grad, name=name)


def _dense(grad, var):
    """The gradient as a C-contiguous array of the variable's dtype, as the kernels need."""
    # np.require keeps a 0-d gradient 0-d (ascontiguousarray would make it 1-d) and copies a
    # read-only broadcast, which the kernels refuse.
    grad = np.require(grad, var.dtype, ["C_CONTIGUOUS", "WRITEABLE"])
    if grad.shape != var.shape:
        raise ValueError(
            f"var and grad do not have the same shape: {list(var.shape)} {list(grad.shape)}"
        )
    return grad


@registry.kernel("ApplyGradientDescent", aliases=True)
def _apply_gradient_descent(op, var_slot, lr, grad):
    var = var_slot.read()
    loops.sgd_update(var, _dense(grad, var), lr)
    return var


@registry.kernel("ApplyMomentum", aliases=True)
def _apply_momentum(op, var_slot, accum_slot, lr, momentum, grad):
    var = var_slot.read()
    nesterov = op.attrs["use_nesterov"]
    loops.momentum_update(var, accum_slot.read(), _dense(grad, var), lr, momentum, nesterov)
    return var


@registry.kernel("ApplyAdam", aliases=True)
def _apply_adam(op, var_slot, m_slot, v_slot, beta1_power, beta2_power, lr, b1, b2, eps, grad):
    var = var_slot.read()
    one = var.dtype.type(1)
    lr_t = var.dtype.type(lr) * np.sqrt(one - beta2_power) / (one - beta1_power)
    loops.adam_update(var, m_slot.read(), v_slot.read(), _dense(grad, var), lr_t, b1, b2, eps)
    return var


registry.not_differentiable("ApplyGradientDescent", "ApplyMomentum", "ApplyAdam")
