"""TF's protocol buffers (``Summary``, ``Event``, ``GraphDef``, ``RunMetadata`` …), taken from the
``tensorboard`` package, which carries its own copies and needs no TensorFlow.

tensorboard is an optional dependency (the ``course`` extra): only summaries, event files and
GraphDefs need it, and they say so when it is missing.
"""

from __future__ import annotations

import importlib

import numpy as np

from .tensor_shape import TensorShape


def pb2(name: str):
    """TensorBoard's ``<name>_pb2`` module, e.g. ``pb2("summary").Summary``."""
    try:
        return importlib.import_module(f"tensorboard.compat.proto.{name}_pb2")
    except ImportError as error:
        raise ImportError(
            "tf.summary, FileWriter and GraphDefs use TensorBoard's protocol buffers: "
            'pip install tensorboard (or pip install -e ".[course]")'
        ) from error


def data_type(dtype) -> int:
    """The ``DataType`` enum value of a tutorflow DType: ``float32`` is ``DT_FLOAT``."""
    return pb2("types").DataType.Value(f"DT_{dtype.type_name.upper()}")


def shape_proto(shape):
    """A ``TensorShapeProto`` of a TensorShape; unknown dimensions are -1, as in TF."""
    proto = pb2("tensor_shape").TensorShapeProto()
    dims = shape.as_tuple()
    if dims is None:
        proto.unknown_rank = True
    for size in dims or ():
        proto.dim.add(size=-1 if size is None else size)
    return proto


def tensor_proto(array, dtype):
    """A ``TensorProto`` holding ``array`` (strings in ``string_val``, numbers as raw bytes)."""
    array = np.asarray(array)
    proto = pb2("tensor").TensorProto(
        dtype=data_type(dtype), tensor_shape=shape_proto(TensorShape(array.shape))
    )
    if dtype.name == "string":
        proto.string_val.extend(array.ravel().tolist())
    else:
        proto.tensor_content = np.ascontiguousarray(array).tobytes()
    return proto
