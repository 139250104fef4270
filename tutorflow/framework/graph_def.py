"""A Graph as TF's ``GraphDef`` protocol buffer, the form TensorBoard draws.

Each op becomes a ``NodeDef``: its name (the name scopes, ``layer1/weights/read``, are what
TensorBoard collapses into boxes), its type, its inputs (``op``, ``op:1``, ``^control``) and its
attributes, with the static shape of each output in ``_output_shapes`` to label the edges.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from .protos import data_type, pb2, shape_proto, tensor_proto
from .tensor_shape import TensorShape

PRODUCER_VERSION = 26  # the GraphDef version TF 1.x stamped on its graphs

# tutorflow's tf.zeros is a constant however large (TF's becomes a Fill op past 1000 elements),
# so an optimizer's slots would put megabytes into the GraphDef: a larger constant keeps its
# dtype and shape but not its values. TensorBoard hides attributes over 1 KB anyway.
LARGEST_CONSTANT_BYTES = 64 * 1024


def as_graph_def(graph, add_shapes: bool = False):
    """``graph`` as a ``GraphDef``; ``add_shapes`` records each output's static shape."""
    graph_def = pb2("graph").GraphDef()
    graph_def.versions.producer = PRODUCER_VERSION
    for op in graph.get_operations():
        node = graph_def.node.add(name=op.name, op=op.type)
        node.input.extend(t.op.name if t.value_index == 0 else t.name for t in op.inputs)
        node.input.extend(f"^{control.name}" for control in op.control_inputs)
        for key, value in op.attrs.items():
            if value is not None:
                node.attr[key].CopyFrom(attr_value(value))
        if add_shapes:
            shapes = node.attr["_output_shapes"].list.shape
            shapes.extend(shape_proto(t.shape) for t in op.outputs)
    return graph_def


def attr_value(value):
    """An ``AttrValue`` of a Python attribute; values without a proto type become text."""
    AttrValue = pb2("attr_value").AttrValue
    if isinstance(value, dtypes.DType):
        return AttrValue(type=data_type(value))
    if isinstance(value, TensorShape):
        return AttrValue(shape=shape_proto(value))
    if isinstance(value, np.ndarray):
        dtype = dtypes.as_dtype(value.dtype)
        if value.nbytes > LARGEST_CONSTANT_BYTES:
            return AttrValue(
                tensor={
                    "dtype": data_type(dtype),
                    "tensor_shape": shape_proto(TensorShape(value.shape)),
                }
            )
        return AttrValue(tensor=tensor_proto(value, dtype))
    if isinstance(value, (bool, np.bool_)):
        return AttrValue(b=bool(value))
    if isinstance(value, (int, np.integer)):
        return AttrValue(i=int(value))
    if isinstance(value, (float, np.floating)):
        return AttrValue(f=float(value))
    if isinstance(value, (str, bytes)):
        return AttrValue(s=value.encode() if isinstance(value, str) else value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, np.integer)) for v in value):
        return AttrValue(list=AttrValue.ListValue(i=[int(v) for v in value]))
    return AttrValue(s=repr(value).encode())
