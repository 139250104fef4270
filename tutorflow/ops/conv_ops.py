"""Convolution and pooling ops (``tf.nn.conv2d``, ``max_pool``, ``avg_pool``), NHWC only.

The arithmetic lives in ``tutorflow.loops``; here are the graph-side rules: argument checks,
static output shapes, and each op's gradient beside its forward.
Taught in notebooks 07 (convolution and pooling) and 08 (LeNet-5).
"""

from __future__ import annotations

import numpy as np

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
    """Slides ``filter`` ``[KH, KW, C_in, C_out]`` over ``input`` ``[N, H, W, C_in]``.

    ``strides`` is ``[1, sh, sw, 1]``; ``padding`` is ``"SAME"`` (output ``ceil(H / sh)``,
    zero-padded, the odd cell after) or ``"VALID"`` (windows that fit).
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
        outputs = [(input.dtype, shape), (input.dtype, TensorShape(None))]
        return ops.create_op("Conv2D", [input, filter], outputs, attrs, scope).outputs[0]


@registry.kernel("Conv2D", takes=dtypes.FLOATS, parameter="input")
def _conv2d(op, x, filter):
    """Returns the output and, as ``Conv2D:1``, the workspace that the filter's gradient reuses
    (the im2col patches or the input's spectrum); empty when the batch was too big to keep it
    (TF's fused batch norm keeps a "reserve space" for its gradient in the same way)."""
    attrs = op.attrs
    out, workspace = loops.conv2d(
        x, filter, attrs["strides"], attrs["padding"], keep_workspace=True
    )
    return out, np.empty(0, out.dtype) if workspace is None else workspace


@registry.gradient("Conv2D")
def _conv2d_grad(op, grad, _):
    x, filter = op.inputs
    attrs = op.attrs
    x_shape, filter_shape = array_ops.shape(x), array_ops.shape(filter)
    # dy transformed once for both gradients (empty at run time where the layer uses im2col)
    dy_workspace = make(
        "Conv2DBackpropWorkspace",
        [grad, x_shape, filter_shape],
        grad.dtype,
        TensorShape(None),
        dict(attrs),
    )
    return [
        _backprop_input(x_shape, filter, grad, attrs, x.shape, [dy_workspace]),
        _backprop_filter(x, filter_shape, grad, attrs, filter.shape, [op.outputs[1], dy_workspace]),
    ]


def _backprop_input(input_sizes, filter, grad, attrs, static_shape, workspaces=()):
    inputs = [input_sizes, filter, grad, *workspaces]
    return make("Conv2DBackpropInput", inputs, grad.dtype, static_shape, dict(attrs))


def _backprop_filter(x, filter_sizes, grad, attrs, static_shape, workspaces=()):
    inputs = [x, filter_sizes, grad, *workspaces]
    return make("Conv2DBackpropFilter", inputs, grad.dtype, static_shape, dict(attrs))


def _given(workspace):
    """A workspace input as the kernels take it: None where the op that made it kept none."""
    return workspace if workspace is not None and workspace.size else None


@registry.kernel("Conv2DBackpropWorkspace")
def _conv2d_backprop_workspace(op, dy, input_sizes, filter_sizes):
    attrs = op.attrs
    workspace = loops.conv2d_backprop_workspace(
        dy, input_sizes, filter_sizes, attrs["strides"], attrs["padding"]
    )
    return np.empty(0, dy.dtype) if workspace is None else workspace


registry.not_differentiable("Conv2DBackpropWorkspace")


@registry.kernel("Conv2DBackpropInput")
def _conv2d_backprop_input(op, input_sizes, filter, grad, dy_workspace=None):
    attrs = op.attrs
    return loops.conv2d_backprop_input(
        grad, filter, input_sizes, attrs["strides"], attrs["padding"], _given(dy_workspace)
    )


@registry.gradient("Conv2DBackpropInput")
def _conv2d_backprop_input_grad(op, grad):
    """It is linear in the filter and in the incoming gradient ``dy``; a workspace input is dy
    transformed, which dy's gradient covers."""
    _, filter, dy = op.inputs[:3]
    attrs = op.attrs
    grads = [
        None,
        _backprop_filter(grad, array_ops.shape(filter), dy, attrs, filter.shape),
        conv2d(grad, filter, [1, *attrs["strides"], 1], attrs["padding"]),
    ]
    return grads + [None] * (len(op.inputs) - 3)


@registry.kernel("Conv2DBackpropFilter")
def _conv2d_backprop_filter(op, x, filter_sizes, grad, workspace=None, dy_workspace=None):
    attrs = op.attrs
    return loops.conv2d_backprop_filter(
        x,
        grad,
        filter_sizes,
        attrs["strides"],
        attrs["padding"],
        _given(workspace),
        _given(dy_workspace),
    )


@registry.gradient("Conv2DBackpropFilter")
def _conv2d_backprop_filter_grad(op, grad):
    """It is linear in the input and in the incoming gradient ``dy``; workspace inputs are x or
    dy transformed, which their gradients cover."""
    x, _, dy = op.inputs[:3]
    attrs = op.attrs
    grads = [
        _backprop_input(array_ops.shape(x), grad, dy, attrs, x.shape),
        None,
        conv2d(x, grad, [1, *attrs["strides"], 1], attrs["padding"]),
    ]
    return grads + [None] * (len(op.inputs) - 3)


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
    """The maximum of each ``ksize`` window (``[1, kh, kw, 1]``), moved by ``strides``;
    with ``"SAME"``, padded cells never win."""
    return _pool("MaxPool", value, ksize, strides, padding, data_format, name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None):
    """The mean of each ``ksize`` window; with ``"SAME"``, over the real cells only."""
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
