"""Momentum: a running sum of gradients smooths and speeds up the descent."""

from ..ops import training_ops
from .optimizer import Optimizer, hyperparameter


class MomentumOptimizer(Optimizer):
    """``accum = momentum * accum + grad; var -= learning_rate * accum``.

    With ``use_nesterov=True`` the step looks ahead:
    ``var -= learning_rate * (grad + momentum * accum)``.
    """

    def __init__(
        self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False
    ):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for var in var_list:
            self._zeros_slot(var, "momentum", self._name)

    def _prepare(self):
        self._lr = hyperparameter(self._learning_rate, "learning_rate")
        self._momentum_t = hyperparameter(self._momentum, "momentum")

    def _apply_dense(self, grad, var):
        accum = self.get_slot(var, "momentum")
        return training_ops.apply_momentum(
            var._ref, accum._ref, self._lr, grad, self._momentum_t, self._use_nesterov
        ).op
