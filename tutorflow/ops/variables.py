"""Variables: tensors whose values live in a session and change as the model learns.

Taught in notebook 03 (placeholders and variables).
"""

from __future__ import annotations

import numpy as np

from ..framework import ops, registry
from ..framework.errors import InvalidArgumentError
from ..framework.graph import GraphKeys, get_default_graph
from ..framework.variable_storage import VariableStorage
from . import array_ops, tensor_operators
from ._util import make
from .control_flow_ops import group


@registry.kernel("VariableV2", stateful=True, aliases=True)
def _variable(op, state):
    return state.resource(op, VariableStorage)


class Variable:
    """A tensor with a value that persists across ``Session.run`` calls, in each session.

    Creates four ops, as TF 1.x does: ``Variable`` (the storage), ``Variable/initial_value``,
    ``Variable/Assign`` (the initializer) and ``Variable/read`` (the value other ops see).
    Run ``initializer`` (or ``tf.global_variables_initializer()``) before reading it.

    Args:
        initial_value: a tensor or a Python/numpy value; its dtype and shape become the
            variable's.
        trainable: whether it joins TRAINABLE_VARIABLES, the variables optimizers update.
        name: the variable's name (default "Variable", made unique).
        dtype: the dtype to convert ``initial_value`` to (default: its own).
        collections: the graph collections to join (default: GLOBAL_VARIABLES).
        validate_shape: whether the shape is fixed; if False, any shape may be assigned.

    Taught in notebook 03 (placeholders and variables).

    >>> import tutorflow as tf
    >>> v = tf.Variable(3)
    >>> v
    <tf.Variable 'Variable:0' shape=() dtype=int32_ref>
    """

    def __init__(
        self,
        initial_value,
        trainable=True,
        name=None,
        dtype=None,
        collections=None,
        validate_shape=True,
    ):
        with ops.name_scope(name, "Variable", [initial_value]) as scope:
            self._initial_value = ops.convert_to_tensor(initial_value, dtype, "initial_value")
            shape = self._initial_value.shape if validate_shape else None
            self._ref = make(
                "VariableV2",
                [],
                self._initial_value.dtype,
                shape,
                {"dtype": self._initial_value.dtype, "shape": shape},
                scope,
            )
            self._initializer_op = assign(
                self._ref, self._initial_value, validate_shape, name="Assign"
            ).op
            self._snapshot = array_ops.identity(self._ref, name="read")
        collections = list(collections or [GraphKeys.GLOBAL_VARIABLES])
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        for key in collections:
            self.graph.add_to_collection(key, self)
        self.trainable = trainable

    def _as_graph_element(self):
        return self._snapshot

    @property
    def name(self) -> str:
        """The storage tensor's name, e.g. ``Variable:0``."""
        return self._ref.name

    @property
    def op(self):
        """The ``VariableV2`` op that holds the value."""
        return self._ref.op

    @property
    def graph(self):
        """The graph the variable belongs to."""
        return self._ref.graph

    @property
    def dtype(self):
        """The dtype of its value."""
        return self._ref.dtype

    @property
    def shape(self):
        """The static shape of its value, a ``TensorShape``."""
        return self._ref.shape

    def get_shape(self):
        """The static shape of its value, as TF 1.x's older spelling of ``shape``.

        Returns:
            A ``TensorShape``.

        Taught in notebook 03 (placeholders and variables).
        """
        return self._ref.shape

    @property
    def initializer(self):
        """The op that assigns the initial value: run it before reading the variable."""
        return self._initializer_op

    @property
    def initial_value(self):
        """The tensor the initializer assigns."""
        return self._initial_value

    def value(self):
        """The tensor other ops read: ``Variable/read``, the value when it is computed.

        Returns:
            A tensor of the variable's dtype and shape (``read_value`` is another name).

        Taught in notebook 03 (placeholders and variables).
        """
        return self._snapshot

    read_value = value

    def __getitem__(self, key):
        """``v[0]``, ``v[:, 1:]``: a slice of the variable's value, as for a tensor."""
        return self._snapshot[key]

    def eval(self, session=None):
        """The variable's value in ``session``: ``session.run(variable)``.

        Args:
            session: the session to read it in (default: the default session).

        Returns:
            A numpy array.

        Taught in notebook 03 (placeholders and variables).
        """
        return self._snapshot.eval(session=session)

    def assign(self, value, use_locking=False, name=None):
        """An op that stores ``value`` in the variable: ``tf.assign(variable, value)``.

        Args:
            value: a tensor or value of the variable's dtype and shape.
            use_locking: accepted for TF 1.x's signature; ignored.
            name: a name for the op (optional).

        Returns:
            A tensor: running it stores ``value`` and gives the new value.

        Taught in notebook 03 (placeholders and variables).
        """
        return assign(self._ref, value, name=name)

    def assign_add(self, delta, use_locking=False, name=None):
        """An op that adds ``delta`` to the variable: ``tf.assign_add(variable, delta)``.

        Args:
            delta: a tensor or value of the variable's dtype, broadcast to its shape.
            use_locking: accepted for TF 1.x's signature; ignored.
            name: a name for the op (optional).

        Returns:
            A tensor: running it adds ``delta`` and gives the new value.

        Taught in notebook 03 (placeholders and variables).
        """
        return assign_add(self._ref, delta, name=name)

    def assign_sub(self, delta, use_locking=False, name=None):
        """An op that subtracts ``delta`` from the variable: ``tf.assign_sub(variable, delta)``.

        Args:
            delta: a tensor or value of the variable's dtype, broadcast to its shape.
            use_locking: accepted for TF 1.x's signature; ignored.
            name: a name for the op (optional).

        Returns:
            A tensor: running it subtracts ``delta`` and gives the new value.

        Taught, with ``assign_add``, in notebook 03 (placeholders and variables).
        """
        return assign_sub(self._ref, delta, name=name)

    def load(self, value, session=None) -> None:
        """Writes ``value`` into the variable in ``session``, without adding an op to the graph.

        Args:
            value: a value of the variable's dtype and shape.
            session: the session whose value to set (default: the default session).

        Taught in notebook 03 (placeholders and variables).
        """
        session = ops._session_for(self._ref, session)
        session.run(self._initializer_op, {self._initial_value: value})

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}_ref>"


tensor_operators.overload_operators(Variable)


def is_variable_ref(tensor) -> bool:
    """Whether ``tensor`` is a variable's storage, or an update that writes it (its first input
    is the storage, and it is not the variable's read): TF's ref tensors. Computing one runs
    that update."""
    op = tensor.op
    if op.type == "VariableV2":
        return True
    return bool(op.inputs) and op.inputs[0].op.type == "VariableV2" and op.type != "Identity"


def _ref_tensor(ref):
    return ref._ref if isinstance(ref, Variable) else ref


def _assign_op(op_type, ref, value, name, validate_shape=True):
    ref = _ref_tensor(ref)
    with ref.graph.as_default():  # a Python value becomes a constant in the variable's graph
        value = ops.convert_to_tensor(value, ref.dtype)
        if validate_shape and not ref.shape.is_compatible_with(value.shape):
            raise ValueError(f"Shapes {ref.shape} and {value.shape} are incompatible")
        return make(
            op_type, [ref, value], ref.dtype, ref.shape, {"validate_shape": validate_shape}, name
        )


def assign(ref, value, validate_shape=True, use_locking=None, name=None):
    """An op that stores ``value`` in the variable ``ref``.

    Args:
        ref: a ``Variable`` (or its storage tensor).
        value: a tensor or value of ``ref``'s dtype (converted to it).
        validate_shape: whether ``value`` must have ``ref``'s shape; if False, the variable
            takes ``value``'s shape.
        use_locking: accepted for TF 1.x's signature; ignored.
        name: a name for the op (optional).

    Returns:
        A tensor: running it stores ``value`` and gives the new value.

    Raises:
        ValueError: if ``validate_shape`` and the shapes are known to differ.

    Taught in notebook 03 (placeholders and variables).
    """
    return _assign_op("Assign", ref, value, name, validate_shape)


def assign_add(ref, value, use_locking=None, name=None):
    """An op that adds ``value`` to the variable ``ref``, in place.

    Args:
        ref: a ``Variable`` (or its storage tensor).
        value: a tensor or value of ``ref``'s dtype, broadcast to its shape.
        use_locking: accepted for TF 1.x's signature; ignored.
        name: a name for the op (optional).

    Returns:
        A tensor: running it adds ``value`` and gives the new value.

    Taught in notebook 03 (placeholders and variables).
    """
    return _assign_op("AssignAdd", ref, value, name)


def assign_sub(ref, value, use_locking=None, name=None):
    """An op that subtracts ``value`` from the variable ``ref``, in place.

    Args:
        ref: a ``Variable`` (or its storage tensor).
        value: a tensor or value of ``ref``'s dtype, broadcast to its shape.
        use_locking: accepted for TF 1.x's signature; ignored.
        name: a name for the op (optional).

    Returns:
        A tensor: running it subtracts ``value`` and gives the new value.

    Taught, with ``assign_add``, in notebook 03 (placeholders and variables).
    """
    return _assign_op("AssignSub", ref, value, name)


@registry.kernel("Assign", aliases=True)
def _assign(op, storage, value):
    value = np.asarray(value)
    expected = op.inputs[0].shape
    if (
        op.attrs["validate_shape"]
        and expected.is_fully_defined()
        and value.shape != expected.as_tuple()
    ):
        raise InvalidArgumentError(
            None,
            op,
            f"Assign requires shapes of both tensors to match. lhs shape= "
            f"{list(expected.as_tuple())} rhs shape= {list(value.shape)}",
        )
    storage.value = np.array(value, dtype=op.outputs[0].dtype.as_numpy_dtype)  # a private copy
    return storage.value


@registry.kernel("AssignAdd", aliases=True)
def _assign_add(op, storage, value):
    target = storage.read()
    target += value
    return target


@registry.kernel("AssignSub", aliases=True)
def _assign_sub(op, storage, value):
    target = storage.read()
    target -= value
    return target


registry.not_differentiable("VariableV2", "Assign", "AssignAdd", "AssignSub")


# -- collections and initialisers ---------------------------------------------------------------


def global_variables() -> list:
    """The variables in the default graph's GLOBAL_VARIABLES collection: all, usually.

    Only a variable made with other ``collections`` is missing.

    Returns:
        A list of ``Variable``, in the order they were made.

    Taught in notebook 06 (how learning works).
    """
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)


def trainable_variables() -> list:
    """The variables an optimizer updates: those made with ``trainable=True``.

    Returns:
        A list of ``Variable``, in the order they were made.

    Taught in notebook 06 (how learning works).
    """
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES)


def variables_initializer(var_list, name="init"):
    """An op that initialises the variables of ``var_list``: each one's ``initializer``.

    Args:
        var_list: a list of ``Variable``.
        name: a name for the op.

    Returns:
        A ``NoOp`` operation; running it runs every initializer.

    Taught in notebook 03 (placeholders and variables).
    """
    return group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer():
    """An op that initialises every variable of the default graph made so far: run it first.

    ``tf.initialize_all_variables()`` is its TF 1.0 name.

    Returns:
        A ``NoOp`` operation; running it runs every initializer.

    Taught in notebook 03 (placeholders and variables).
    """
    return variables_initializer(global_variables())


initialize_all_variables = global_variables_initializer  # the TF 1.0 name, in old tutorials
