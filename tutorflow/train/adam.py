"""Adam: per-parameter step sizes from running averages of the gradient and its square."""

from ..ops import control_flow_ops, math_ops, training_ops, variables
from .optimizer import Optimizer, hyperparameter, _non_trainable


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba, 2015) with TF 1.x's defaults and update rule::

        t += 1
        lr_t = learning_rate * sqrt(1 - beta2**t) / (1 - beta1**t)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        var -= lr_t * m / (sqrt(v) + epsilon)

    ``beta1**t`` and ``beta2**t`` are kept in the variables ``beta1_power`` and ``beta2_power``,
    ready for the next step: they start at ``beta1`` and ``beta2`` (for step 1), and each step
    multiplies them once more, so after t steps they hold ``beta1**(t + 1)`` and ``beta2**(t + 1)``
    (notebook 06).
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        use_locking=False,
        name="Adam",
    ):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._beta1, self._beta2, self._epsilon = beta1, beta2, epsilon
        self._powers = None

    def _create_slots(self, var_list):
        if self._powers is None:
            graph = var_list[0].graph
            with graph.name_scope(None), graph.control_dependencies(None):
                self._powers = (
                    _non_trainable(float(self._beta1), "beta1_power"),
                    _non_trainable(float(self._beta2), "beta2_power"),
                )
        for var in var_list:
            self._zeros_slot(var, "m", self._name)
            self._zeros_slot(var, "v", f"{self._name}_1")

    def _prepare(self):
        self._lr = hyperparameter(self._learning_rate, "learning_rate")
        self._beta1_t = hyperparameter(self._beta1, "beta1")
        self._beta2_t = hyperparameter(self._beta2, "beta2")
        self._epsilon_t = hyperparameter(self._epsilon, "epsilon")

    def _apply_dense(self, grad, var):
        beta1_power, beta2_power = self._powers
        return training_ops.apply_adam(
            var._ref,
            self.get_slot(var, "m")._ref,
            self.get_slot(var, "v")._ref,
            beta1_power,
            beta2_power,
            self._lr,
            self._beta1_t,
            self._beta2_t,
            self._epsilon_t,
            grad,
        ).op

    def _finish(self, updates, name):
        """After every variable's step, advances ``beta1_power`` and ``beta2_power``."""
        beta1_power, beta2_power = self._powers
        with beta1_power.graph.control_dependencies(updates):
            advance = [
                variables.assign(beta1_power, math_ops.multiply(beta1_power, self._beta1_t)),
                variables.assign(beta2_power, math_ops.multiply(beta2_power, self._beta2_t)),
            ]
        return control_flow_ops.group(*updates, *advance, name=name)
