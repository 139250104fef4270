"""One tensor's elements seen anew: identity, cast, shape and size, transpose, expand_dims,
squeeze, and stack."""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, ops, registry
from ..framework.variable_storage import VariableStorage
from . import slicing_ops
from ._util import make, normalize_axes

# -- identity, shape, cast --------------------------------------------------------------------


def identity(input, name=None):
    """A tensor with the same value as ``input``, made by a new op.

    A variable's ``read`` op is an Identity of its storage.

    Args:
      input: a tensor, or a value convertible to one.
      name: a name for the op (optional).

    Returns:
      A tensor of ``input``'s dtype and shape.

    Taught in notebook 03 (placeholders and variables).
    """
    input = ops.convert_to_tensor(input)
    return make("Identity", [input], input.dtype, input.shape, name=name)


@registry.kernel("Identity", aliases=True)
def _identity(op, x):
    # A variable's `read` op is an Identity of its storage: reading it takes the value out.
    return x.read() if isinstance(x, VariableStorage) else x


@registry.gradient("Identity")
def _identity_grad(op, grad):
    return [grad]


def shape(input, name=None, out_type=dtypes.int32):
    """The dynamic shape of ``input``, computed when the graph runs.

    Args:
      input: a tensor, or a value convertible to one.
      name: a name for the op (optional).
      out_type: int32 (default) or int64.

    Returns:
      A 1-D tensor with one element per dimension of ``input``.

    Shapes are taught in notebook 08 (LeNet-5), with ``tf.reshape``.
    """
    input = ops.convert_to_tensor(input)
    return make(
        "Shape",
        [input],
        dtypes.as_dtype(out_type),
        [input.shape.ndims],
        {"out_type": dtypes.as_dtype(out_type)},
        name,
    )


@registry.kernel("Shape")
def _shape(op, x):
    return np.array(np.shape(x), op.attrs["out_type"].as_numpy_dtype)


def size(input, name=None, out_type=dtypes.int32):
    """The number of elements of ``input``, computed when the graph runs.

    Args:
      input: a tensor, or a value convertible to one.
      name: a name for the op (optional).
      out_type: int32 (default) or int64.

    Returns:
      A scalar tensor.

    Shapes are taught in notebook 08 (LeNet-5), with ``tf.reshape``.
    """
    input = ops.convert_to_tensor(input)
    return make(
        "Size",
        [input],
        dtypes.as_dtype(out_type),
        [],
        {"out_type": dtypes.as_dtype(out_type)},
        name,
    )


@registry.kernel("Size")
def _size(op, x):
    return np.array(np.size(x), op.attrs["out_type"].as_numpy_dtype)


registry.not_differentiable("Shape", "Size")


def cast(x, dtype, name=None):
    """Converts ``x`` to ``dtype``, element by element (floats are truncated to ints).

    Args:
      x: a tensor, or a value convertible to one.
      dtype: a DType, or its name such as ``"float"``.
      name: a name for the op (optional).

    Returns:
      A tensor of ``dtype`` with ``x``'s shape.

    Taught in notebook 02 (graphs and sessions).
    """
    x = ops.convert_to_tensor(x)
    dtype = dtypes.as_dtype(dtype)
    return make("Cast", [x], dtype, x.shape, {"SrcT": x.dtype, "DstT": dtype}, name)


@registry.kernel("Cast")
def _cast(op, x):
    return np.asarray(x).astype(op.attrs["DstT"].as_numpy_dtype)


@registry.gradient("Cast")
def _cast_grad(op, grad):
    source = op.attrs["SrcT"]
    if source.is_floating and op.attrs["DstT"].is_floating:
        return [cast(grad, source)]
    return [None]


def to_float(x, name="ToFloat"):
    """``cast(x, tf.float32)``.

    Args:
      x: a tensor, or a value convertible to one.
      name: a name for the op.

    Returns:
      A float32 tensor with ``x``'s shape.

    Taught in notebook 02 (graphs and sessions).
    """
    return cast(x, dtypes.float32, name)


def to_double(x, name="ToDouble"):
    """``cast(x, tf.float64)``.

    Args:
      x: a tensor, or a value convertible to one.
      name: a name for the op.

    Returns:
      A float64 tensor with ``x``'s shape.

    Taught in notebook 02 (graphs and sessions).
    """
    return cast(x, dtypes.float64, name)


def to_int32(x, name="ToInt32"):
    """``cast(x, tf.int32)``.

    Args:
      x: a tensor, or a value convertible to one.
      name: a name for the op.

    Returns:
      An int32 tensor with ``x``'s shape.

    Taught in notebook 02 (graphs and sessions).
    """
    return cast(x, dtypes.int32, name)


def to_int64(x, name="ToInt64"):
    """``cast(x, tf.int64)``.

    Args:
      x: a tensor, or a value convertible to one.
      name: a name for the op.

    Returns:
      An int64 tensor with ``x``'s shape.

    Taught in notebook 02 (graphs and sessions).
    """
    return cast(x, dtypes.int64, name)


# -- transposing and adding or removing dimensions of 1 ---------------------------------------


def reshape_like(tensor, like, name=None):
    """Reshapes ``tensor`` to the run-time shape of ``like`` (gradients use it).

    Args:
      tensor: a tensor with as many elements as ``like``.
      like: the tensor whose shape to take.
      name: a name for the op (optional).

    Returns:
      A tensor of ``tensor``'s dtype and ``like``'s shape.

    Shapes are taught in notebook 08 (LeNet-5), with ``tf.reshape``.
    """
    return make("ReshapeLike", [tensor, like], tensor.dtype, like.shape, name=name)


@registry.kernel("ReshapeLike")
def _reshape_like(op, x, like):
    return np.reshape(x, np.shape(like))


@registry.gradient("ReshapeLike")
def _reshape_like_grad(op, grad):
    return [reshape_like(grad, op.inputs[0]), None]


def transpose(a, perm=None, name="transpose"):
    """Permutes the dimensions of ``a``: dimension ``i`` of the result is ``perm[i]`` of ``a``.

    Args:
      a: a tensor, or a value convertible to one.
      perm: a permutation of ``range(rank)`` (default: reversed, so a matrix
        is transposed).
      name: a name for the op.

    Returns:
      A tensor of ``a``'s dtype.

    Shapes are taught in notebook 08 (LeNet-5), with ``tf.reshape``.
    """
    a = ops.convert_to_tensor(a)
    dims = a.shape.as_tuple()
    if perm is None and dims is not None:
        perm = tuple(reversed(range(len(dims))))
    perm = None if perm is None else tuple(int(p) for p in perm)
    static = None if dims is None or perm is None else [dims[p] for p in perm]
    return make("Transpose", [a], a.dtype, static, {"perm": perm}, name)


@registry.kernel("Transpose")
def _transpose(op, x):
    return np.transpose(x, op.attrs["perm"])


@registry.gradient("Transpose")
def _transpose_grad(op, grad):
    perm = op.attrs["perm"]
    return [transpose(grad, None if perm is None else np.argsort(perm))]


def expand_dims(input, axis, name=None):
    """Inserts a dimension of size 1 at position ``axis`` of ``input``'s shape.

    Args:
      input: a tensor, or a value convertible to one.
      axis: where to insert it; -1 appends it.
      name: a name for the op (optional).

    Returns:
      A tensor of ``input``'s dtype and elements, one dimension more.

    Shapes are taught in notebook 08 (LeNet-5), with ``tf.reshape``.
    """
    input = ops.convert_to_tensor(input)
    dims = input.shape.as_tuple()
    static = None
    if dims is not None:
        position = axis if axis >= 0 else len(dims) + 1 + axis
        static = list(dims[:position]) + [1] + list(dims[position:])
    return make("ExpandDims", [input], input.dtype, static, {"axis": int(axis)}, name)


@registry.kernel("ExpandDims")
def _expand_dims(op, x):
    x = np.asarray(x)
    axis = op.attrs["axis"]
    if not -x.ndim - 1 <= axis <= x.ndim:
        return np.expand_dims(x, axis)  # raises numpy's AxisError
    # The reshape that np.expand_dims makes, without its 2 us of axis normalising.
    position = axis if axis >= 0 else x.ndim + 1 + axis
    return x.reshape(x.shape[:position] + (1,) + x.shape[position:])


@registry.gradient("ExpandDims")
def _expand_dims_grad(op, grad):
    return [reshape_like(grad, op.inputs[0])]


def squeeze(input, axis=None, name=None):
    """Removes dimensions of size 1 from ``input``'s shape.

    Args:
      input: a tensor, or a value convertible to one.
      axis: the dimensions to remove (default: every dimension of size 1).
      name: a name for the op (optional).

    Returns:
      A tensor of ``input``'s dtype and elements.

    Raises:
      ValueError: if a dimension named in ``axis`` is not 1.

    Shapes are taught in notebook 08 (LeNet-5), with ``tf.reshape``.
    """
    input = ops.convert_to_tensor(input)
    dims = input.shape.as_tuple()
    axes = (
        None
        if axis is None
        else normalize_axes(axis, None if dims is None else len(dims), "Squeeze")
    )
    static = None
    if dims is not None:
        if axes is None:
            # An unknown dimension may turn out to be 1 and vanish: then even the rank is unknown.
            static = None if None in dims else [d for d in dims if d != 1]
        else:
            for a in axes:
                if dims[a] not in (1, None):
                    raise ValueError(
                        f"Can not squeeze dim[{a}], expected a dimension of 1, "
                        f"got {dims[a]} for 'Squeeze' with input shapes: {input.shape}"
                    )
            static = [d for i, d in enumerate(dims) if i not in axes]
    return make("Squeeze", [input], input.dtype, static, {"squeeze_dims": axes}, name)


@registry.kernel("Squeeze")
def _squeeze(op, x):
    return np.squeeze(x, op.attrs["squeeze_dims"])


@registry.gradient("Squeeze")
def _squeeze_grad(op, grad):
    return [reshape_like(grad, op.inputs[0])]


def stack(values, axis=0, name="stack"):
    """Stacks tensors of one shape along a new dimension ``axis``.

    Args:
      values: a list of tensors (or convertible values) of one shape and dtype.
      axis: where the new dimension goes (default 0).
      name: a name for the op.

    Returns:
      A tensor with one dimension more, of size ``len(values)`` at ``axis``.

    Shapes are taught in notebook 08 (LeNet-5), with ``tf.reshape``.
    """
    with ops.name_scope(name, "stack", values) as scope:
        expanded = [expand_dims(ops.convert_to_tensor(v), axis) for v in values]
        return slicing_ops.concat(expanded, axis, name=scope)
