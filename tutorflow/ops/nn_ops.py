"""Neural-network ops (``tf.nn``): the activations, l2_loss, bias_add, dropout and in_top_k.
Softmax and the cross-entropies are in ``softmax_ops``, convolution and pooling in ``conv_ops``.

Taught in notebooks 07 (convolution and pooling) and 08 (LeNet-5).
"""

from __future__ import annotations

import numpy as np

from .. import loops
from ..framework import dtypes, ops, registry
from . import array_ops, math_ops, random_ops, reduction_ops
from ._util import make, unary

# -- activations --------------------------------------------------------------------------------


def relu(features, name=None):
    """Rectified linear: ``max(features, 0)``, element by element.

    Args:
        features: a tensor of numbers.
        name: a name for the op (optional).

    Returns:
        A tensor like ``features``, its negative values replaced by 0.

    Taught in notebook 07 (convolution and pooling).
    """
    return unary("Relu", features, name)


@registry.kernel("Relu", inplace=True, takes=dtypes.NUMBERS, parameter="features")
def _relu(op, x, out=None):
    if loops.is_float_array(x):
        return loops.relu(x, out)
    return np.maximum(x, 0, out=out)


@registry.gradient("Relu")
def _relu_grad(op, grad):
    return [_relu_grad_op(grad, op.outputs[0])]


def _relu_grad_op(grad, y):
    return make("ReluGrad", [grad, y], grad.dtype, grad.shape)


@registry.kernel("ReluGrad", inplace=True)
def _relu_grad_kernel(op, grad, y, out=None):
    if loops.is_float_array(grad, y):
        return loops.relu_grad(grad, y, out)
    return np.multiply(grad, y > 0, out=out)


@registry.gradient("ReluGrad")
def _relu_grad_grad(op, grad):
    return [_relu_grad_op(grad, op.inputs[1]), None]  # the slope of relu is flat almost everywhere


def sigmoid(x, name=None):
    """The logistic function ``1 / (1 + exp(-x))``, element by element, without overflow.

    Args:
        x: a float tensor.
        name: a name for the op (optional).

    Returns:
        A tensor like ``x``, each value between 0 and 1.

    Taught in notebook 07 (convolution and pooling).
    """
    return unary("Sigmoid", x, name)


@registry.kernel("Sigmoid", takes=dtypes.FLOATS)
def _sigmoid(op, x):
    return (0.5 * (np.tanh(0.5 * x) + 1)).astype(np.asarray(x).dtype, copy=False)


@registry.gradient("Sigmoid")
def _sigmoid_grad(op, grad):
    y = op.outputs[0]
    return [grad * y * (1 - y)]


def tanh(x, name=None):
    """The hyperbolic tangent, element by element: a sigmoid stretched to (-1, 1).

    Args:
        x: a float tensor.
        name: a name for the op (optional).

    Returns:
        A tensor like ``x``, each value between -1 and 1.

    Not used in the course; notebook 07 (convolution and pooling) compares its cousin, the
    sigmoid, with ReLU.
    """
    return unary("Tanh", x, name)


@registry.kernel("Tanh", inplace=True, takes=dtypes.FLOATS)
def _tanh(op, x, out=None):
    return np.tanh(x, out=out)


@registry.gradient("Tanh")
def _tanh_grad(op, grad):
    y = op.outputs[0]
    return [grad * (1 - y * y)]


# -- weight decay ------------------------------------------------------------------------------


def l2_loss(t, name=None):
    """``sum(t ** 2) / 2``: half the squared norm, the usual weight-decay penalty.

    Args:
        t: a float tensor of any shape, usually weights.
        name: a name for the op (optional).

    Returns:
        A scalar tensor of ``t``'s dtype.

    Not used in the course; notebook 11 (when training goes wrong) shows the overfitting that
    such a penalty fights.
    """
    t = ops.convert_to_tensor(t)
    return make("L2Loss", [t], t.dtype, [], name=name)


@registry.kernel("L2Loss", takes=dtypes.FLOATS, parameter="t")
def _l2_loss(op, x):
    flat = np.ravel(x)
    return np.asarray(np.dot(flat, flat) / 2, dtype=flat.dtype)


@registry.gradient("L2Loss")
def _l2_loss_grad(op, grad):
    return [op.inputs[0] * grad]


# -- layers' glue -----------------------------------------------------------------------------


def bias_add(value, bias, data_format=None, name=None):
    """``value + bias``, the 1-D ``bias`` added along the last (channel) axis.

    Args:
        value: a tensor of at least 2 dimensions, channels last.
        bias: a 1-D tensor of ``value``'s dtype, one number per channel.
        data_format: TF's layout argument; channels are always last (NHWC) here.
        name: a name for the op (optional).

    Returns:
        A tensor like ``value``.

    Raises:
        ValueError: if ``bias`` is not 1-D, ``value`` has fewer than 2 dimensions, or their
            channels differ.

    Notebook 08 (LeNet-5) adds its biases with ``+``, which computes the same.
    """
    with ops.name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = ops.convert_to_tensor(value, name="input")
        bias = ops.convert_to_tensor(bias, value.dtype, name="bias")
        if bias.shape.ndims not in (None, 1):
            raise ValueError(
                f"Shape must be rank 1 but is rank {bias.shape.ndims} for bias "
                f"of 'BiasAdd', shape {bias.shape}"
            )
        if value.shape.ndims is not None and value.shape.ndims < 2:
            raise ValueError(
                f"Shape must be at least rank 2 but is rank {value.shape.ndims} "
                f"for 'BiasAdd' input of shape {value.shape}"
            )
        channels = value.shape[-1] if value.shape.ndims else None
        if channels is not None and not bias.shape.is_compatible_with([channels.value]):
            raise ValueError(
                f"Dimensions must be equal, but are {channels} and {bias.shape[0]}"
                f" for 'BiasAdd' with input shapes: {value.shape}, {bias.shape}."
            )
        return make("BiasAdd", [value, bias], value.dtype, value.shape, name=scope)


@registry.kernel("BiasAdd", inplace=True, takes=dtypes.NUMBERS, parameter="value")
def _bias_add(op, value, bias, out=None):
    return math_ops.add_arrays(value, bias, out)


@registry.gradient("BiasAdd")
def _bias_add_grad(op, grad):
    return [grad, reduction_ops.sum_to_shape_of(grad, op.inputs[1])]


def dropout(x, keep_prob, noise_shape=None, seed=None, name=None):
    """Keeps each element of ``x`` with probability ``keep_prob``, zeroing the rest.

    The kept elements are scaled by ``1 / keep_prob``, so each element's expected value stays
    the same. A new random mask is drawn at every run.

    Args:
        x: a float tensor.
        keep_prob: the probability of keeping an element, in (0, 1]: a number or a scalar
            tensor, often a placeholder fed 0.5 to train and 1.0 to test.
        noise_shape: the shape of the keep-or-drop mask, broadcast against ``x`` (default:
            ``x``'s shape).
        seed: an integer; it or the graph's seed (``tf.set_random_seed``) makes each new
            session draw the same masks.
        name: a name for the op (optional).

    Returns:
        A tensor like ``x``.

    Raises:
        ValueError: if ``x`` is not a float tensor, or ``keep_prob`` a number outside (0, 1].

    Taught in notebook 08 (LeNet-5).
    """
    with ops.name_scope(name, "dropout", [x]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError(
                f"x has to be a floating point tensor since it's going to be "
                f"scaled. Got a {x.dtype.name} tensor instead."
            )
        if isinstance(keep_prob, (int, float)) and not 0 < keep_prob <= 1:
            raise ValueError(
                f"keep_prob must be a scalar tensor or a float in the range (0, 1], got {keep_prob}"
            )
        keep_prob = ops.convert_to_tensor(keep_prob, x.dtype, name="keep_prob")
        shape = noise_shape
        if shape is None:
            shape = x.shape.as_list() if x.shape.is_fully_defined() else array_ops.shape(x)
        # floor(keep_prob + U[0, 1)) is 1 with probability keep_prob, else 0.
        keep = math_ops.floor(
            keep_prob + random_ops.random_uniform(shape, seed=seed, dtype=x.dtype)
        )
        result = math_ops.multiply(math_ops.truediv(x, keep_prob), keep, name=scope)
        result.set_shape(x.shape)  # keep_prob's shape may be unknown; the result is x's shape
        return result


def in_top_k(predictions, targets, k, name=None):
    """Whether each row's target class is among its ``k`` highest predictions.

    Classes tied with the k-th highest count as in; a row with NaN or Inf, or a target outside
    ``[0, classes)``, is False.

    Args:
        predictions: float32 scores, (batch, classes).
        targets: (batch,) int32 or int64 class indices.
        k: how many of the highest predictions count.
        name: a name for the op (optional).

    Returns:
        A (batch,) bool tensor.

    Raises:
        TypeError: if ``targets`` are not integers.

    Not used in the course; notebook 05 (softmax regression) measures accuracy with
    ``tf.argmax`` and ``tf.equal``, the same test as ``k=1`` but for ties.
    """
    predictions = ops.convert_to_tensor(predictions, name="predictions")
    targets = ops.convert_to_tensor(targets, name="targets")
    if not targets.dtype.is_integer:
        raise TypeError(f"targets must be int32 or int64, got {targets.dtype.name}")
    batch = predictions.shape[:1].merge_with(targets.shape)
    return make("InTopK", [predictions, targets], dtypes.bool_, batch, {"k": int(k)}, name)


@registry.kernel("InTopK", takes=(dtypes.float32,), parameter="predictions")
def _in_top_k(op, predictions, targets):
    in_range = (targets >= 0) & (targets < np.shape(predictions)[-1])
    target_scores = predictions[np.arange(len(targets)), np.where(in_range, targets, 0)]
    higher = np.sum(predictions > target_scores[:, None], axis=-1)
    return (higher < op.attrs["k"]) & in_range & np.isfinite(predictions).all(axis=-1)


registry.not_differentiable("InTopK")
