"""Data types, named and inferred the way TensorFlow 1.x does it."""

from __future__ import annotations

import numpy as np


class DType:
    """A tensor element type such as ``tf.float32``.

    ``name`` is the Python-side name (``"float32"``); ``type_name`` is the name TF's
    runtime uses in error messages (``"float"``).
    """

    def __init__(self, name: str, numpy_dtype, type_name: str):
        self.name = name
        self.as_numpy_dtype = np.dtype(numpy_dtype).type
        self.type_name = type_name

    @property
    def is_floating(self) -> bool:
        return np.issubdtype(self.as_numpy_dtype, np.floating)

    @property
    def is_integer(self) -> bool:
        return np.issubdtype(self.as_numpy_dtype, np.integer)

    @property
    def is_bool(self) -> bool:
        return self.as_numpy_dtype is np.bool_

    @property
    def base_dtype(self) -> DType:
        return self

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __reduce__(self):
        return as_dtype, (self.name,)


float32 = DType("float32", np.float32, "float")
float64 = DType("float64", np.float64, "double")
int32 = DType("int32", np.int32, "int32")
int64 = DType("int64", np.int64, "int64")
uint8 = DType("uint8", np.uint8, "uint8")
bool_ = DType("bool", np.bool_, "bool")
string = DType("string", np.object_, "string")  # values are bytes, as TF returns them

# The dtypes an op takes, by kind, in the order TF's messages list them.
NUMBERS = (float32, float64, int32, uint8, int64)
SIGNED = (float32, float64, int32, int64)
FLOATS = (float32, float64)

_ALL = (float32, float64, int32, int64, uint8, bool_, string)
_BY_NAME = {d.name: d for d in _ALL}
_BY_NAME.update({"float": float32, "double": float64, "half": float32})
_BY_NUMPY = {np.dtype(d.as_numpy_dtype): d for d in _ALL}


def as_dtype(value) -> DType:
    """Converts a DType, a name such as ``"float"``, or a numpy dtype into a DType."""
    if isinstance(value, DType):
        return value
    if isinstance(value, str) and value in _BY_NAME:
        return _BY_NAME[value]
    try:
        return _BY_NUMPY[np.dtype(value)]
    except (TypeError, KeyError):
        raise TypeError(f"Cannot convert value {value!r} to a tutorflow DType.") from None


def infer_dtype(value) -> DType:
    """The dtype TF 1.x gives a Python or numpy value: int -> int32, float -> float32."""
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype in _BY_NUMPY:
            return _BY_NUMPY[value.dtype]
        raise TypeError(f"Unsupported numpy dtype {value.dtype} for value {value!r}.")
    array = np.asarray(value)
    kind = array.dtype.kind
    if kind == "b":
        return bool_
    if kind in "iu":
        fits_int32 = array.size == 0 or (array.min() >= -(2**31) and array.max() < 2**31)
        return int32 if fits_int32 else int64
    if kind == "f":
        return float32
    if kind in "US":
        return string
    raise TypeError(f"Cannot infer a tutorflow dtype for {value!r}.")
