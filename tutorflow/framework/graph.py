"""Graphs: the container of operations, their unique names, name scopes and collections.

Building ops only adds nodes to a graph; nothing is computed until ``Session.run``.
Taught in notebook 02 (graphs and sessions).
"""

from __future__ import annotations

import contextlib
import threading

from . import graph_def


class GraphKeys:
    """Names of the standard collections."""

    GLOBAL_VARIABLES = "variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    GLOBAL_STEP = "global_step"
    SUMMARIES = "summaries"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"


class Graph:
    """A dataflow graph: operations (nodes) connected by the tensors they produce (edges).

    >>> g = Graph()
    >>> with g.as_default():
    ...     pass
    """

    def __init__(self):
        self._operations = []
        self._by_name = {}
        self._names_in_use = {}
        self._name_stack = ""
        self._control_inputs = []
        self._gradient_override_map = {}
        self._collections = {}
        self.seed = None

    # -- operations ---------------------------------------------------------------------------

    def _add_op(self, op) -> None:
        self._by_name[op.name] = op
        self._operations.append(op)

    @property
    def _last_id(self) -> int:
        """How many ops exist; TF 1.x uses it as the op seed under a graph-level seed."""
        return len(self._operations)

    def get_operations(self) -> list:
        return list(self._operations)

    def get_operation_by_name(self, name: str):
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.") from None

    def get_tensor_by_name(self, name: str):
        op_name, sep, index = name.rpartition(":")
        if not sep or not index.isdigit():
            raise ValueError(
                f"The name '{name}' looks like an (invalid) Operation name, not a Tensor. "
                'Tensor names must be of the form "<op_name>:<output_index>".'
            )
        op = self._by_name.get(op_name)
        if op is None or int(index) >= len(op.outputs):
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist.")
        return op.outputs[int(index)]

    def as_graph_element(self, obj):
        """Turns a Tensor, Operation, Variable or a name into the graph element it denotes."""
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)
        element = obj._as_graph_element() if hasattr(obj, "_as_graph_element") else obj
        if not hasattr(element, "graph") or not hasattr(element, "name"):
            raise TypeError(f"Can not convert a {type(obj).__name__} into a Tensor or Operation.")
        if element.graph is not self:
            raise ValueError(f"{element} is not an element of this graph.")
        return element

    def as_graph_def(self, add_shapes: bool = False):
        """This graph as TF's ``GraphDef`` protocol buffer, as TensorBoard reads it."""
        return graph_def.as_graph_def(self, add_shapes)

    # -- names ----------------------------------------------------------------------------------

    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """Prefixes the current name scope and appends ``_1``, ``_2`` … to avoid repeats.

        Names collide case-insensitively, as in TF 1.x.
        """
        if self._name_stack:
            name = f"{self._name_stack}/{name}"
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count > 0:
            base = name
            while key in self._names_in_use:
                name = f"{base}_{count}"
                key = name.lower()
                count += 1
            if mark_as_used:
                self._names_in_use[key] = 1
        return name

    def get_name_scope(self) -> str:
        return self._name_stack

    @contextlib.contextmanager
    def name_scope(self, name):
        """Opens a scope for op names; yields the scope as ``"outer/inner/"``.

        A name ending in "/" re-enters that exact scope; None or "" returns to the top level.
        """
        old_stack = self._name_stack
        if not name:
            new_stack = ""
        elif name.endswith("/"):
            new_stack = name[:-1]
        else:
            new_stack = self.unique_name(name)
        self._name_stack = new_stack
        try:
            yield f"{new_stack}/" if new_stack else ""
        finally:
            self._name_stack = old_stack

    # -- control dependencies -----------------------------------------------------------------

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run only after ``control_inputs``; None clears the outer ones."""
        old = self._control_inputs
        if control_inputs is None:
            self._control_inputs = []
        else:
            ops = [self.as_graph_element(c) for c in control_inputs]
            ops = [getattr(c, "op", c) for c in ops]
            self._control_inputs = old + [op for op in ops if op not in old]
        try:
            yield
        finally:
            self._control_inputs = old

    # -- gradient overrides ---------------------------------------------------------------------

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map: dict):
        """Ops of the types in ``op_type_map`` created inside take their gradient from the one
        registered under the mapped name (``tf.RegisterGradient``) instead of their own.

        >>> import tutorflow as tf
        >>> g = tf.Graph()
        >>> with g.as_default(), g.gradient_override_map({"Square": "Identity"}):
        ...     y = tf.square(tf.constant(3.0))
        >>> y.op.get_attr("_gradient_op_type")
        'Identity'
        """
        for op_type, name in op_type_map.items():
            if not (isinstance(op_type, str) and isinstance(name, str)):
                raise TypeError("Key and value in op_type_map must be strings")
        old = self._gradient_override_map
        self._gradient_override_map = {**old, **op_type_map}
        try:
            yield
        finally:
            self._gradient_override_map = old

    # -- collections ----------------------------------------------------------------------------

    def add_to_collection(self, name: str, value) -> None:
        self._collections.setdefault(name, []).append(value)

    def get_collection(self, name: str, scope: str | None = None) -> list:
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        return [item for item in items if getattr(item, "name", "").startswith(scope)]

    def get_all_collection_keys(self) -> list:
        return list(self._collections)

    # -- default graph ------------------------------------------------------------------------

    @contextlib.contextmanager
    def as_default(self):
        """Makes this graph the default graph inside a ``with`` block."""
        _stack.graphs.append(self)
        try:
            yield self
        finally:
            _stack.graphs.pop()


class _GraphStack(threading.local):
    def __init__(self):
        self.graphs = []
        self.global_default = Graph()


_stack = _GraphStack()


def get_default_graph() -> Graph:
    """The graph new ops go into: the innermost ``as_default()`` graph, else the global one."""
    return _stack.graphs[-1] if _stack.graphs else _stack.global_default


def reset_default_graph() -> None:
    """Clears the global default graph (start afresh when a notebook cell is re-run)."""
    if _stack.graphs:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. "
            "If you need a cleared graph, exit the nesting and create a new graph."
        )
    _stack.global_default = Graph()
