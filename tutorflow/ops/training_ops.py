"""The update ops optimizers add: each changes a variable in place, in one fused Numba loop
(``tutorflow.loops.optim``; a small variable's gradient descent in one numpy call), as TF 1.x's
``ApplyGradientDescent``, ``ApplyMomentum`` and ``ApplyAdam`` do.

Their first inputs are variables: the kernels receive each as its session storage (a
``VariableStorage``: ``var`` is the variable trained, ``accum``, ``m`` and ``v`` the optimizer
slots beside it) and update its array in place.
"""

from __future__ import annotations

import numpy as np

from .. import loops
from ..framework import ops, registry
from ._util import make


def _apply(op_type, variables, scalars, grad, attrs=None, name=None):
    var = variables[0]
    inputs = [*variables, *[ops.convert_to_tensor(s) for s in scalars], ops.convert_to_tensor(grad)]
    return make(op_type, inputs, var.dtype, var.shape, attrs, name)


def apply_gradient_descent(var, lr, grad, name=None):
    """One step of gradient descent, in place: ``var -= lr * grad``.

    Args:
        var: the variable to update: the output of its ``VariableV2`` op, which the kernel
            receives as the variable's storage.
        lr: the learning rate, a scalar.
        grad: the gradient, of ``var``'s shape.
        name: the op's name.

    Returns:
        The updated variable's value, a tensor of ``var``'s dtype and shape.

    Taught in notebook 05 (softmax regression).
    """
    return _apply("ApplyGradientDescent", [var], [lr], grad, name=name)


def apply_momentum(var, accum, lr, grad, momentum, use_nesterov=False, name=None):
    """One momentum step, in place: ``accum = momentum * accum + grad; var -= lr * accum``.

    Args:
        var: the variable to update.
        accum: its velocity, the optimizer slot ``"momentum"``, updated too.
        lr: the learning rate, a scalar.
        grad: the gradient, of ``var``'s shape.
        momentum: how much of the velocity each step keeps, a scalar.
        use_nesterov: step by ``lr * (grad + momentum * accum)`` instead (Nesterov's
            look-ahead), as TF does.
        name: the op's name.

    Returns:
        The updated variable's value.

    Taught in notebook 06 (how learning works).
    """
    return _apply(
        "ApplyMomentum", [var, accum], [lr, momentum], grad, {"use_nesterov": use_nesterov}, name
    )


def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, name=None):
    """One Adam step, in place, as TF 1.x's ``ApplyAdam``:

    ``m = beta1 m + (1 - beta1) grad``, ``v = beta2 v + (1 - beta2) grad**2``,
    ``var -= lr_t m / (sqrt(v) + epsilon)`` with ``lr_t = lr sqrt(1 - beta2_power) /
    (1 - beta1_power)``.

    Args:
        var: the variable to update.
        m, v: the optimizer slots: running means of the gradient and of its square.
        beta1_power, beta2_power: ``beta1`` and ``beta2`` to the power of this step's number.
        lr: the learning rate; beta1, beta2: the decay rates of ``m`` and ``v``; epsilon:
            keeps the division finite. All scalars.
        grad: the gradient, of ``var``'s shape.
        name: the op's name.

    Returns:
        The updated variable's value.

    Taught in notebook 06 (how learning works).
    """
    scalars = [beta1_power, beta2_power, lr, beta1, beta2, epsilon]
    return _apply("ApplyAdam", [var, m, v], scalars, grad, name=name)


def _dense(grad, var):
    """The gradient as a C-contiguous array of the variable's dtype, as the kernels need."""
    fits = type(grad) is np.ndarray and grad.dtype == var.dtype
    if not (fits and grad.flags.c_contiguous and grad.flags.writeable):  # else as it is, at once
        # np.require keeps a 0-d gradient 0-d (ascontiguousarray would make it 1-d) and copies
        # a read-only broadcast, which the kernels refuse.
        grad = np.require(grad, var.dtype, ["C_CONTIGUOUS", "WRITEABLE"])
    if grad.shape != var.shape:
        raise ValueError(
            f"var and grad do not have the same shape: {list(var.shape)} {list(grad.shape)}"
        )
    return grad


@registry.kernel("ApplyGradientDescent", aliases=True)
def _apply_gradient_descent(op, var_storage, lr, grad):
    var = var_storage.read()
    grad = _dense(grad, var)
    small = var.size < _ONE_NUMPY_CALL_BELOW
    if small and var.dtype in (np.float32, np.float64) and var.flags.c_contiguous:
        # The loop's arithmetic in the loop's dtype: identical values. A var that the loop
        # refuses still goes to the loop, for its error.
        np.subtract(var, var.dtype.type(lr) * grad, out=var)
    else:
        loops.sgd_update(var, grad, lr)
    return var


# Below this many values, one numpy call updates a variable faster than the compiled loop,
# whose call and argument checks cost 3 us (a 784x10 variable: 2.7 us against 4.5 us); above
# it, the loop's single pass wins (100,000 values: 15 us against 29 us).
_ONE_NUMPY_CALL_BELOW = 30_000


@registry.kernel("ApplyMomentum", aliases=True)
def _apply_momentum(op, var_storage, accum_storage, lr, momentum, grad):
    var = var_storage.read()
    nesterov = op.attrs["use_nesterov"]
    loops.momentum_update(var, accum_storage.read(), _dense(grad, var), lr, momentum, nesterov)
    return var


@registry.kernel("ApplyAdam", aliases=True)
def _apply_adam(
    op, var_storage, m_storage, v_storage, beta1_power, beta2_power, lr, b1, b2, eps, grad
):
    var = var_storage.read()
    one = var.dtype.type(1)
    lr_t = var.dtype.type(lr) * np.sqrt(one - beta2_power) / (one - beta1_power)
    m, v = m_storage.read(), v_storage.read()
    loops.adam_update(var, m, v, _dense(grad, var), lr_t, b1, b2, eps)
    return var


registry.not_differentiable("ApplyGradientDescent", "ApplyMomentum", "ApplyAdam")
