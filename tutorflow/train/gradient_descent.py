"""Plain gradient descent: ``var -= learning_rate * grad``."""

from ..ops import training_ops
from .optimizer import Optimizer, hyperparameter


class GradientDescentOptimizer(Optimizer):
    """Steps each variable against its gradient, scaled by ``learning_rate``."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _prepare(self):
        self._lr = hyperparameter(self._learning_rate, "learning_rate")

    def _apply_dense(self, grad, var):
        return training_ops.apply_gradient_descent(var._ref, self._lr, grad).op
