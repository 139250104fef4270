"""Convolution and pooling ops (``tf.nn.conv2d``, ``max_pool``, ``avg_pool``), NHWC only.

The arithmetic lives in ``tutorflow.loops``; here are the graph-side rules: argument checks,
static output shapes, each op's kernel and its gradient beside its forward.
Taught in notebooks 07 (convolution and pooling) and 08 (LeNet-5).
"""

from __future__ import annotations

from .. import loops
from ..framework import dtypes, ops, registry
from ..framework.tensor_shape import TensorShape, shape_string
from . import array_ops
from ._util import make

_PADDINGS = ("SAME", "VALID")


# -- argument checks and static shapes ----------------------------------------------------------


def _spatial(op_type: str, values: list, name: str) -> tuple[int, int]:
    """The (h, w) part of a TF 4-vector such as ``strides=[1, 2, 2, 1]``."""
    values = [int(v) for v in values]
    if len(values) != 4:
        raise ValueError(f"{op_type}: {name} must have 4 elements, got {values}")
    if values[0] != 1 or values[3] != 1:
        raise ValueError(
            f"{op_type}: Current implementation does not yet support {name} in the batch "
            f"and depth dimensions; got {name}={values}"
        )
    if min(values) < 1:
        raise ValueError(f"{op_type}: {name} must be positive, got {values}")
    return values[1], values[2]


def _check_layout(op_type: str, padding: str, data_format: str) -> None:
    if padding not in _PADDINGS:
        raise ValueError(f"{op_type}: padding must be 'SAME' or 'VALID', got {padding!r}")
    if data_format != "NHWC":
        raise ValueError(f"{op_type}: only data_format='NHWC' is supported, got {data_format!r}")


def _rank4(op_type: str, tensor, what: str) -> None:
    if tensor.shape.ndims not in (None, 4):
        raise ValueError(
            f"Shape must be rank 4 but is rank {tensor.shape.ndims} for {what} of "
            f"'{op_type}' (tensor '{tensor.name}' has shape {tensor.shape})"
        )


def _output_shape(input_shape: TensorShape, ksize, strides, padding, channels) -> TensorShape:
    """``(N, OH, OW, channels)``, with None where the input's size is not yet known."""
    dims = input_shape.as_tuple() or (None,) * 4
    spatial = [
        None if size is None else loops.conv_output_size(size, k, s, padding)[0]
        for size, k, s in zip(dims[1:3], ksize, strides)
    ]
    return TensorShape([dims[0], *spatial, channels])


# -- convolution --------------------------------------------------------------------------------


def conv2d(
    input,
    filter,
    strides,
    padding,
    use_cudnn_on_gpu=True,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
):
    """2-D convolution of a batch of images: slides ``filter`` over ``input`` (TF's Conv2D).

    Like TF, it computes a cross-correlation (the filter is not flipped).

    Args:
        input: ``[N, H, W, C_in]`` images, float32 or float64.
        filter: ``[KH, KW, C_in, C_out]``, the same dtype.
        strides: ``[1, sh, sw, 1]``: how far each window moves.
        padding: ``"SAME"`` (output ``ceil(H / sh)``, zero-padded, the odd cell after) or
            ``"VALID"`` (only windows that fit: ``ceil((H - KH + 1) / sh)``).
        use_cudnn_on_gpu: accepted for TF's signature; there is no GPU.
        data_format: only ``"NHWC"``.
        dilations: only ``[1, 1, 1, 1]``.
        name: the op's name (default ``Conv2D``).

    Returns:
        A ``[N, OH, OW, C_out]`` tensor of ``input``'s dtype.

    Taught in notebook 07 (convolution and pooling).

    >>> import tutorflow as tf
    >>> image = tf.constant([[0.0, 1, 2], [3, 4, 5], [6, 7, 8]], shape=[1, 3, 3, 1])
    >>> summed = tf.nn.conv2d(image, tf.ones([2, 2, 1, 1]), [1, 1, 1, 1], "VALID")
    >>> tf.Session().run(summed)[0, :, :, 0]
    array([[ 8., 12.],
           [20., 24.]], dtype=float32)
    """
    with ops.name_scope(name, "Conv2D", [input, filter]) as scope:
        input = ops.convert_to_tensor(input, name="input")
        filter = ops.convert_to_tensor(filter, input.dtype, name="filter")
        _check_layout("Conv2D", padding, data_format)
        strides_hw = _spatial("Conv2D", strides, "strides")
        if list(dilations) != [1, 1, 1, 1]:
            raise ValueError(f"Conv2D: dilations are not supported, got {list(dilations)}")
        _rank4("Conv2D", input, "input")
        _rank4("Conv2D", filter, "filter")
        in_dims = input.shape.as_tuple() or (None,) * 4
        f_dims = filter.shape.as_tuple() or (None,) * 4
        if None not in (in_dims[3], f_dims[2]) and in_dims[3] != f_dims[2]:
            raise ValueError(
                f"Dimensions must be equal, but are {in_dims[3]} and {f_dims[2]} for 'Conv2D' "
                f"(op: 'Conv2D') with input shapes: {shape_string(input.shape)}, "
                f"{shape_string(filter.shape)}."
            )
        shape = TensorShape(None)
        if None not in f_dims[:2]:
            shape = _output_shape(input.shape, f_dims[:2], strides_hw, padding, f_dims[3])
        attrs = {"strides": strides_hw, "padding": padding}
        return make("Conv2D", [input, filter], input.dtype, shape, attrs, scope)


# The kernels below share work through the run's workspaces (client/state.py, RunState), not
# through graph tensors, so the graph holds TF's ops and nothing else. Each kind of workspace
# is a function of one tensor's value and the layer's window: x unfolded (im2col) or
# transformed (spectral), which the forward pass leaves for the filter's gradient; dy
# transformed, which the first of the two gradients leaves for the other; and the filter
# transformed, which the forward pass leaves for the input's gradient.

_GRADIENTS = ("Conv2DBackpropInput", "Conv2DBackpropFilter")
_FILTER_READERS = ("Conv2D", "Conv2DBackpropInput")


@registry.kernel("Conv2D", stateful=True, takes=dtypes.FLOATS, parameter="input")
def _conv2d(op, state, x, filter):
    x_tensor, (strides, padding) = op.inputs[0], _window_of(op)
    filter_workspace = _filter_workspace(op, state, filter, x.shape)
    if not _read_by(state, x_tensor, op, ("Conv2DBackpropFilter",)):  # no gradient: keep nothing
        return loops.conv2d(x, filter, strides, padding, filter_workspace=filter_workspace)
    out, x_workspace = loops.conv2d(
        x, filter, strides, padding, keep_workspace=True, filter_workspace=filter_workspace
    )
    if x_workspace is not None:  # None: the batch was cut into chunks, too big to keep whole
        state.workspaces[_key("x", x_tensor, op, filter.shape)] = x_workspace
    return out


@registry.gradient("Conv2D")
def _conv2d_grad(op, grad):
    x, filter = op.inputs
    attrs = dict(op.attrs)
    return [
        _backprop_input(array_ops.shape(x), filter, grad, attrs, x.shape),
        _backprop_filter(x, array_ops.shape(filter), grad, attrs, filter.shape),
    ]


def _backprop_input(input_sizes, filter, grad, attrs, static_shape):
    inputs = [input_sizes, filter, grad]
    return make("Conv2DBackpropInput", inputs, grad.dtype, static_shape, attrs)


def _backprop_filter(x, filter_sizes, grad, attrs, static_shape):
    inputs = [x, filter_sizes, grad]
    return make("Conv2DBackpropFilter", inputs, grad.dtype, static_shape, attrs)


@registry.kernel("Conv2DBackpropInput", stateful=True)
def _conv2d_backprop_input(op, state, input_sizes, filter, grad):
    strides, padding = _window_of(op)
    dy_workspace = _dy_workspace(op, state, grad, input_sizes, filter.shape)
    filter_workspace = _filter_workspace(op, state, filter, input_sizes)
    return loops.conv2d_backprop_input(
        grad, filter, input_sizes, strides, padding, dy_workspace, filter_workspace
    )


@registry.gradient("Conv2DBackpropInput")
def _conv2d_backprop_input_grad(op, grad):
    """It is linear in the filter and in the incoming gradient ``dy``."""
    _, filter, dy = op.inputs
    attrs = dict(op.attrs)
    return [
        None,
        _backprop_filter(grad, array_ops.shape(filter), dy, attrs, filter.shape),
        conv2d(grad, filter, [1, *attrs["strides"], 1], attrs["padding"]),
    ]


@registry.kernel("Conv2DBackpropFilter", stateful=True)
def _conv2d_backprop_filter(op, state, x, filter_sizes, grad):
    strides, padding = _window_of(op)
    x_workspace = state.workspaces.pop(_key("x", op.inputs[0], op, filter_sizes), None)
    dy_workspace = _dy_workspace(op, state, grad, x.shape, filter_sizes)
    return loops.conv2d_backprop_filter(
        x, grad, filter_sizes, strides, padding, x_workspace, dy_workspace
    )


@registry.gradient("Conv2DBackpropFilter")
def _conv2d_backprop_filter_grad(op, grad):
    """It is linear in the input and in the incoming gradient ``dy``."""
    x, _, dy = op.inputs
    attrs = dict(op.attrs)
    return [
        _backprop_input(array_ops.shape(x), grad, dy, attrs, x.shape),
        None,
        conv2d(x, grad, [1, *attrs["strides"], 1], attrs["padding"]),
    ]


def _dy_workspace(op, state, dy, input_shape, filter_shape):
    """dy transformed once for both gradients of a layer (see `_shared`)."""
    dy_tensor, (strides, padding) = op.inputs[2], _window_of(op)
    return _shared(
        state,
        _key("dy", dy_tensor, op, filter_shape, input_shape),
        _read_by(state, dy_tensor, op, _GRADIENTS),
        lambda: loops.conv2d_backprop_workspace(dy, input_shape, filter_shape, strides, padding),
    )


def _filter_workspace(op, state, filter, input_shape):
    """The filter transformed once for a layer's forward pass and its input gradient (a Conv2D
    and a Conv2DBackpropInput that read it, on the same window and input shape; see
    `_shared`)."""
    filter_tensor, (strides, padding) = op.inputs[1], _window_of(op)
    return _shared(
        state,
        _key("filter", filter_tensor, op, input_shape),
        _read_by(state, filter_tensor, op, _FILTER_READERS),
        lambda: loops.conv2d_filter_workspace(filter, input_shape, strides, padding),
    )


def _shared(state, key, read_again: bool, compute):
    """A workspace that two kernels of a run share: the first to run computes it (where
    another reader runs too, ``read_again``, and ``compute`` finds work to share) and leaves
    it under ``key``; the other takes it. None where there is nothing to share."""
    workspace = state.workspaces.pop(key, None)
    if workspace is None and read_again:
        workspace = compute()
        if workspace is not None:
            state.workspaces[key] = workspace
    return workspace


def _read_by(state, tensor, op, op_types) -> bool:
    """Whether an op of this run other than ``op``, of one of ``op_types`` and with the same
    window, reads ``tensor``: a kernel that would reuse what ``op`` computes from it."""
    return any(
        reader is not op and reader.type in op_types and _window_of(reader) == _window_of(op)
        for reader in state.readers(tensor)
    )


def _key(kind: str, tensor, op, *shapes) -> tuple:
    """Names a workspace: what was transformed (``kind``, ``tensor``), on which layer's grid."""
    return (kind, tensor, *_window_of(op), *(tuple(int(d) for d in shape) for shape in shapes))


def _window_of(op) -> tuple:
    return op.attrs["strides"], op.attrs["padding"]


# -- pooling ------------------------------------------------------------------------------------


def _pool(op_type, value, ksize, strides, padding, data_format, name):
    with ops.name_scope(name, op_type, [value]) as scope:
        value = ops.convert_to_tensor(value, name="input")
        _check_layout(op_type, padding, data_format)
        _rank4(op_type, value, "input")
        ksize_hw = _spatial(op_type, ksize, "ksize")
        strides_hw = _spatial(op_type, strides, "strides")
        channels = value.shape[3].value if value.shape.ndims else None
        shape = _output_shape(value.shape, ksize_hw, strides_hw, padding, channels)
        attrs = {"ksize": ksize_hw, "strides": strides_hw, "padding": padding}
        return make(op_type, [value], value.dtype, shape, attrs, scope)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None):
    """The maximum of each window, channel by channel (TF's MaxPool).

    Args:
        value: ``[N, H, W, C]`` images, float32 or float64.
        ksize: ``[1, kh, kw, 1]``: the window's size.
        strides: ``[1, sh, sw, 1]``: how far each window moves.
        padding: ``"SAME"`` or ``"VALID"``, as for `conv2d`; padded cells never win.
        data_format: only ``"NHWC"``.
        name: the op's name (default ``MaxPool``).

    Returns:
        A ``[N, OH, OW, C]`` tensor of ``value``'s dtype.

    Taught in notebook 07 (convolution and pooling).
    """
    return _pool("MaxPool", value, ksize, strides, padding, data_format, name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None):
    """The mean of each window, channel by channel (TF's AvgPool).

    Args:
        value: ``[N, H, W, C]`` images, float32 or float64.
        ksize: ``[1, kh, kw, 1]``: the window's size.
        strides: ``[1, sh, sw, 1]``: how far each window moves.
        padding: ``"SAME"`` or ``"VALID"``, as for `conv2d`; with ``"SAME"`` a window at the
            border averages its real cells only.
        data_format: only ``"NHWC"``.
        name: the op's name (default ``AvgPool``).

    Returns:
        A ``[N, OH, OW, C]`` tensor of ``value``'s dtype.

    Taught in notebook 07 (convolution and pooling).
    """
    return _pool("AvgPool", value, ksize, strides, padding, data_format, name)


def _window(attrs):
    return attrs["ksize"], attrs["strides"], attrs["padding"]


@registry.kernel("MaxPool", takes=dtypes.FLOATS, parameter="input")
def _max_pool(op, x):
    return loops.max_pool(x, *_window(op.attrs))


@registry.gradient("MaxPool")
def _max_pool_grad(op, grad):
    x, y = op.inputs[0], op.outputs[0]
    return [make("MaxPoolGrad", [x, y, grad], grad.dtype, x.shape, dict(op.attrs))]


@registry.kernel("MaxPoolGrad")
def _max_pool_grad_kernel(op, x, y, grad):
    return loops.max_pool_grad(x, y, grad, *_window(op.attrs))


# Second derivatives through max pooling are not needed by the course (TF has MaxPoolGradGrad).
registry.not_differentiable("MaxPoolGrad")


@registry.kernel("AvgPool", takes=dtypes.FLOATS, parameter="value")
def _avg_pool(op, x):
    return loops.avg_pool(x, *_window(op.attrs))


@registry.gradient("AvgPool")
def _avg_pool_grad(op, grad):
    x = op.inputs[0]
    inputs = [array_ops.shape(x), grad]
    return [make("AvgPoolGrad", inputs, grad.dtype, x.shape, dict(op.attrs))]


@registry.kernel("AvgPoolGrad")
def _avg_pool_grad_kernel(op, input_sizes, grad):
    return loops.avg_pool_grad(grad, input_sizes, *_window(op.attrs))


@registry.gradient("AvgPoolGrad")
def _avg_pool_grad_grad(op, grad):
    """Average pooling is linear: the gradient of its gradient pools again."""
    attrs = op.attrs
    ksize, strides = ([1, *attrs[key], 1] for key in ("ksize", "strides"))
    return [None, avg_pool(grad, ksize, strides, attrs["padding"])]
