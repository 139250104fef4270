"""The Optimizer base class: gradients from ``tf.gradients``, updates as graph ops.

``minimize(loss)`` is ``apply_gradients(compute_gradients(loss))``; subclasses say only how
one variable is updated and which extra variables (slots) they keep per variable.
Taught in notebook 06 (how learning works).
"""

from __future__ import annotations

from ..framework import dtypes, ops
from ..framework.graph import GraphKeys
from ..gradients import gradients
from ..ops import constant_ops, control_flow_ops, variables


class Optimizer:
    """Base class of the optimizers; use a subclass such as ``GradientDescentOptimizer``."""

    def __init__(self, use_locking: bool, name: str):
        self._name = name
        self._slots = {}  # (slot name, variable) -> slot Variable

    def get_name(self) -> str:
        return self._name

    def minimize(self, loss, global_step=None, var_list=None, name=None):
        """An op that takes one optimisation step on ``loss`` (and increments ``global_step``)."""
        grads_and_vars = self.compute_gradients(loss, var_list)
        if all(g is None for g, _ in grads_and_vars):
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[v.name for _, v in grads_and_vars]} "
                f"and loss {loss}."
            )
        return self.apply_gradients(grads_and_vars, global_step, name)

    def compute_gradients(self, loss, var_list=None):
        """``[(gradient, variable), …]`` for the trainable variables (or ``var_list``);
        the gradient is None for a variable that ``loss`` does not depend on."""
        loss = ops.convert_to_tensor(loss)
        _check_float(loss)
        if var_list is None:
            var_list = loss.graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        return list(zip(gradients(loss, var_list), var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """An op that applies the gradients to their variables."""
        grads_and_vars = [(g, v) for g, v in grads_and_vars if g is not None]
        if not grads_and_vars:
            raise ValueError("No gradients provided for any variable.")
        var_list = [v for _, v in grads_and_vars]
        with ops.name_scope(name, self._name, var_list) as scope:
            self._create_slots(var_list)
            self._prepare()
            updates = []
            for grad, var in grads_and_vars:
                with ops.name_scope(f"update_{var.op.name}"):
                    updates.append(self._apply_dense(grad, var))
            finish = self._finish(updates, scope)
            if global_step is None:
                return finish
            with finish.graph.control_dependencies([finish]):
                return variables.assign_add(global_step, 1, name=scope).op

    # -- what subclasses provide ---------------------------------------------------------------

    def _create_slots(self, var_list) -> None:
        """Creates the per-variable state the update needs (none by default)."""

    def _prepare(self) -> None:
        """Converts hyperparameters to tensors, once per ``apply_gradients``."""

    def _apply_dense(self, grad, var):
        raise NotImplementedError

    def _finish(self, updates, name):
        return control_flow_ops.group(*updates, name=name)

    # -- slots ---------------------------------------------------------------------------------

    def _zeros_slot(self, var, slot_name: str, op_name: str):
        """A non-trainable variable shaped like ``var``, named ``<var>/<op_name>``."""
        key = (slot_name, var)
        if key not in self._slots:
            with var.graph.name_scope(f"{var.op.name}/"):
                zeros = constant_ops.zeros(var.shape.as_list(), var.dtype)
                self._slots[key] = _non_trainable(zeros, op_name)
        return self._slots[key]

    def get_slot(self, var, name: str):
        """The slot variable ``name`` ("m", "v", "momentum") kept for ``var``, or None."""
        return self._slots.get((name, var))

    def get_slot_names(self) -> list:
        return sorted({name for name, _ in self._slots})


def _check_float(tensor) -> None:
    """TF's ValueError, when the graph is built, for a loss that cannot be differentiated."""
    if not tensor.dtype.is_floating:
        raise ValueError(
            f"Invalid type {tensor.dtype!r} for {tensor.name}, expected: "
            f"[{', '.join(repr(d) for d in dtypes.FLOATS)}]."
        )


def _non_trainable(initial_value, name: str):
    return variables.Variable(initial_value, trainable=False, name=name)


def hyperparameter(value, name: str):
    """A learning rate or another setting as a tensor; Python numbers become float constants."""
    if isinstance(value, (int, float)):
        value = float(value)
    return ops.convert_to_tensor(value, name=name)
