"""Operations (graph nodes) and Tensors (their outputs), and how new ops join a graph."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import numpy as np

from . import dtypes, registry
from .graph import Graph, get_default_graph
from .tensor_shape import TensorShape, as_shape


class Operation:
    """A node of the graph: an op ``type`` applied to input tensors, producing output tensors.

    Its name is unique in its graph (``Const``, ``Const_1``, …); ``attrs`` hold the settings
    fixed at construction (an axis, a stride, the value of a constant).
    """

    def __init__(
        self, graph: Graph, op_type: str, name: str, inputs, attrs, outputs, control_inputs=()
    ):
        self.graph = graph
        self.type = op_type
        self.name = name
        self.inputs = tuple(inputs)
        self.attrs = attrs
        self.control_inputs = tuple(control_inputs)
        self.outputs = [Tensor(self, i, dtype, shape) for i, (dtype, shape) in enumerate(outputs)]
        self._id = graph._last_id

    def get_attr(self, name: str):
        return self.attrs[name]

    def run(self, feed_dict=None, session=None) -> None:
        """Runs this op in ``session`` (default: the default session)."""
        _session_for(self, session).run(self, feed_dict)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"

    def __str__(self) -> str:
        lines = [f'name: "{self.name}"', f'op: "{self.type}"']
        lines += [f'input: "{_input_name(t)}"' for t in self.inputs]
        lines += [f'input: "^{op.name}"' for op in self.control_inputs]
        lines += [f"attr {{ {key}: {_short(value)} }}" for key, value in self.attrs.items()]
        return "\n".join(lines)


def _input_name(tensor) -> str:
    return tensor.op.name if tensor.value_index == 0 else tensor.name


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Tensor:
    """A symbolic handle to one output of an Operation; it holds no value until a session runs.

    Its Python operators (``a + b``, ``a @ b``, ``-a``, ``a < b``, ``a[1:, 0]``) build ops, so
    they live with the ops, in ``tutorflow/ops/tensor_operators.py``, which installs them on
    this class when the ops layer is imported: the framework defines no op itself.

    >>> import tutorflow as tf
    >>> print(tf.Graph().as_default().__enter__() and tf.constant(3))
    Tensor("Const:0", shape=(), dtype=int32)
    """

    __array_priority__ = 100  # make numpy defer to our reflected operators: array + tensor

    def __init__(self, op: Operation, value_index: int, dtype: dtypes.DType, shape):
        self.op = op
        self.value_index = value_index
        self.dtype = dtype
        self._shape = as_shape(shape)

    @property
    def name(self) -> str:
        return f"{self.op.name}:{self.value_index}"

    @property
    def graph(self) -> Graph:
        return self.op.graph

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Refines the static shape; ValueError if it contradicts what is already known."""
        self._shape = self._shape.merge_with(shape)

    def consumers(self) -> list[Operation]:
        return [op for op in self.graph._operations if self in op.inputs]

    def eval(self, feed_dict=None, session=None):
        """Computes this tensor in ``session`` (default: the default session)."""
        return _session_for(self, session).run(self, feed_dict)

    def __str__(self) -> str:
        shape = "" if self._shape.ndims is None else f", shape={self._shape}"
        return f'Tensor("{self.name}"{shape}, dtype={self.dtype.name})'

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self.dtype.name}>"

    def __bool__(self):
        raise TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed. "
            "Use `if t is not None:` instead of `if t:` to test if a tensor is "
            "defined, and use TensorFlow ops such as tf.cond to execute subgraphs "
            "conditioned on the value of a tensor."
        )

    def __iter__(self):
        raise TypeError("'Tensor' object is not iterable.")

    __hash__ = object.__hash__


# -- the default session (sessions register here so that eval() and run() find them) --------


class _SessionStack(threading.local):
    def __init__(self):
        self.sessions = []


_sessions = _SessionStack()


def get_default_session():
    """The innermost session entered with ``with sess:`` / ``as_default()``, or None."""
    return _sessions.sessions[-1] if _sessions.sessions else None


@contextlib.contextmanager
def default_session(session):
    _sessions.sessions.append(session)
    try:
        yield session
    finally:
        _sessions.sessions.remove(session)


def _session_for(element, session):
    session = session or get_default_session()
    if session is None:
        raise ValueError(
            "Cannot evaluate tensor using `eval()`: No default session is "
            "registered. Use `with sess.as_default()` or pass an explicit session "
            "to `eval(session=sess)`"
        )
    if session.graph is not element.graph:
        raise ValueError(
            "Cannot use the given session to evaluate tensor: the tensor's graph "
            "is different from the session's graph."
        )
    return session


# -- building ops --------------------------------------------------------------------------------


def graph_of(values) -> Graph:
    """The graph that the tensors among ``values`` belong to (they must agree), else the default."""
    graph = None
    first = None
    for value in values:
        element = value._as_graph_element() if hasattr(value, "_as_graph_element") else value
        if isinstance(element, (Tensor, Operation)):
            if graph is None:
                graph, first = element.graph, element
            elif element.graph is not graph:
                raise ValueError(f"{element} must be from the same graph as {first}.")
    return graph if graph is not None else get_default_graph()


@contextlib.contextmanager
def name_scope(name, default_name=None, values=()):
    """``with tf.name_scope("layer1") as scope:`` groups ops under ``layer1/``.

    The graph of ``values`` becomes the default inside, as in TF 1.x, so that constants made
    from Python numbers (``a * 2``) join the graph of ``a`` even when it is not the default.
    """
    graph = graph_of(values)
    with graph.as_default(), graph.name_scope(name if name is not None else default_name) as scope:
        yield scope


def create_op(op_type: str, inputs, outputs, attrs=None, name=None) -> Operation:
    """Adds an op to the graph of its inputs; ``outputs`` lists ``(dtype, shape)`` per output.

    ``name`` is made unique in the graph, unless it ends with "/" (a scope name, used as is).
    """
    opdef = registry.lookup(op_type)  # fails early on an op type nobody registered
    if inputs:
        opdef.check_dtype(inputs[0])
    graph = graph_of(inputs)
    if name and name.endswith("/"):
        name = name[:-1]
    else:
        name = graph.unique_name(name or op_type)
    attrs = dict(attrs or {})
    if op_type in graph._gradient_override_map:
        attrs["_gradient_op_type"] = graph._gradient_override_map[op_type]
    op = Operation(graph, op_type, name, inputs, attrs, outputs, graph._control_inputs)
    graph._add_op(op)
    return op


# -- turning Python values into tensors ---------------------------------------------------------

# The framework builds graphs but defines no ops, so it cannot make a constant itself: the ops
# layer registers ``tf.constant`` here when it is imported, as TF 1.x's constant_op does.
_conversion_functions: list[tuple[type | tuple, Callable]] = []


def register_tensor_conversion_function(base_type, conversion_func: Callable) -> None:
    """Teaches ``convert_to_tensor`` to turn values of ``base_type`` into tensors.

    Args:
      base_type: a type, or a tuple of types, whose instances the function converts.
      conversion_func: ``conversion_func(value, dtype=None, name=None) -> Tensor``.

    The function registered last for a matching type wins.
    """
    _conversion_functions.insert(0, (base_type, conversion_func))


def convert_to_tensor(value, dtype=None, name=None) -> Tensor:
    """Returns ``value`` as a Tensor: tensors pass through, Variables give their value,
    Python and numpy values become constants (ints -> int32, floats -> float32)."""
    if hasattr(value, "_as_graph_element"):
        value = value._as_graph_element()
    if isinstance(value, Tensor):
        if dtype is not None and dtypes.as_dtype(dtype) is not value.dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} "
                f"for Tensor with dtype {value.dtype.name}: {value!r}"
            )
        return value
    if isinstance(value, Operation):
        raise TypeError(f"Can not convert an Operation into a Tensor: {value!r}")
    for base_type, conversion_func in _conversion_functions:
        if isinstance(value, base_type):
            return conversion_func(value, dtype=dtype, name=name)
    raise TypeError(f"No conversion function registered for {value!r} of type {type(value)}.")


def numpy_value(value, dtype: dtypes.DType) -> np.ndarray:
    """``value`` as a numpy array of ``dtype``, by TF 1.x's rules: numpy values are cast (as
    ``astype`` casts), Python values must fit: no float where an int is expected, and only
    True/False where a bool is."""
    if dtype is dtypes.string:
        return _bytes_array(value)
    array = np.asarray(value)
    if array.dtype == object:
        raise TypeError(f"Cannot convert {value!r} to a {dtype.name} tensor.")
    if not isinstance(value, (np.ndarray, np.generic)):
        for item in _python_items(value):
            if _misfits(item, dtype):
                raise TypeError(f"Expected {dtype.name}, got {_describe(item)} instead.")
    return array.astype(dtype.as_numpy_dtype, copy=False)


def _bytes_array(value) -> np.ndarray:
    """Text as TF holds it: an object array of bytes, str encoded as UTF-8."""
    array = np.array(value, dtype=object)
    for index, item in np.ndenumerate(array):
        if isinstance(item, str):
            array[index] = item.encode()
        elif not isinstance(item, bytes):
            raise TypeError(f"Expected string, got {_describe(item)} instead.")
    return array


def _python_items(value):
    """The scalars of a Python value (nested lists and tuples flattened)."""
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _python_items(item)
    else:
        yield value


def _misfits(item, dtype: dtypes.DType) -> bool:
    if isinstance(item, np.generic):
        return False  # numpy scalars inside a list are cast, like numpy arrays
    if dtype.is_bool:
        return not isinstance(item, bool)
    return dtype.is_integer and isinstance(item, float)


def _describe(value) -> str:
    return f"{value!r} of type '{type(value).__name__}'"
