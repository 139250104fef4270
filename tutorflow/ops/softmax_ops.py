"""Softmax, log-softmax and the fused softmax cross-entropies (``tf.nn``): scores turned into
probabilities, and how far those are from the labels, computed without taking the log of 0.

Taught in notebook 05 (softmax regression).
"""

from __future__ import annotations

import numpy as np

from .. import loops
from ..framework import dtypes, ops, registry
from ..framework.errors import InvalidArgumentError
from . import array_ops, math_ops, reduction_ops
from ._util import unary


def _shifted_exps(logits):
    """The stable parts of a softmax: ``logits`` minus each row's largest value (so that no
    exponential overflows), their exponentials, and each row's sum of them (kept as a column)."""
    shifted = logits - _row_max(logits)
    exps = np.exp(shifted)
    return shifted, exps, np.add.reduce(exps, axis=-1, keepdims=True)


def _row_max(x):
    """``np.max(x, axis=-1, keepdims=True)``. On a batch of short rows, numpy's max takes
    8 us for 100 rows of 10 and its argmax 1.5: picking the largest by argmax gives the same
    values (a NaN, which both take to be largest, included) in a third of the time."""
    if np.ndim(x) != 2 or x.shape[1] == 0:
        return np.max(x, axis=-1, keepdims=True)
    return x[np.arange(len(x)), x.argmax(axis=1)][:, np.newaxis]


def softmax(logits, axis=-1, name=None):
    """``exp(logits) / sum(exp(logits))`` along the last axis: scores made probabilities.

    Args:
        logits: a float tensor, usually (batch, classes).
        axis: the axis to normalise: only the last (-1, or None) is supported.
        name: a name for the op (optional).

    Returns:
        A tensor like ``logits``; along the last axis its values are 0 to 1 and sum to 1.

    Raises:
        ValueError: if ``axis`` is not the last axis.

    Taught in notebook 05 (softmax regression).
    """
    if axis not in (-1, None):
        raise ValueError("tutorflow's softmax works along the last axis only")
    return unary("Softmax", logits, name)


@registry.kernel("Softmax", takes=dtypes.FLOATS, parameter="logits")
def _softmax(op, logits):
    _, exps, sums = _shifted_exps(logits)
    return np.divide(exps, sums, out=exps)


@registry.gradient("Softmax")
def _softmax_grad(op, grad):
    y = op.outputs[0]
    return [(grad - reduction_ops.reduce_sum(grad * y, axis=-1, keepdims=True)) * y]


def log_softmax(logits, axis=-1, name=None):
    """``logits - log(sum(exp(logits)))`` along the last axis: the log of the softmax.

    It never takes the log of a probability that rounded to 0.

    Args:
        logits: a float tensor, usually (batch, classes).
        axis: the axis to normalise: only the last (-1, or None) is supported.
        name: a name for the op (optional).

    Returns:
        A tensor like ``logits``, each value at most 0.

    Raises:
        ValueError: if ``axis`` is not the last axis.

    Not used in the course; notebook 05 (softmax regression) shows why the log of a softmax
    needs this care.
    """
    if axis not in (-1, None):
        raise ValueError("tutorflow's log_softmax works along the last axis only")
    return unary("LogSoftmax", logits, name)


@registry.kernel("LogSoftmax", takes=dtypes.FLOATS, parameter="logits")
def _log_softmax(op, logits):
    shifted, _, sums = _shifted_exps(logits)
    return np.subtract(shifted, np.log(sums), out=shifted)


@registry.gradient("LogSoftmax")
def _log_softmax_grad(op, grad):
    softmax_y = math_ops.exp(op.outputs[0])
    return [grad - reduction_ops.reduce_sum(grad, axis=-1, keepdims=True) * softmax_y]


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None):
    """The cross-entropy between ``labels`` and ``softmax(logits)``, one value per row.

    Fused and stable: it never takes the log of a softmax that rounded to 0. As in TF 1.x,
    it takes named arguments only, and no gradient flows into ``labels``.

    Args:
        labels: probabilities like ``logits``, each row summing to 1 (one-hot for a known
            class).
        logits: unscaled scores, a float tensor (batch, classes).
        dim: TF's class axis; the classes are always the last axis here.
        name: a name for the op (optional).

    Returns:
        A (batch,) tensor: ``-sum(labels * log(softmax(logits)))`` of each row.

    Raises:
        ValueError: if an argument is given by position, or the shapes differ.

    Taught in notebook 05 (softmax regression).
    """
    if _sentinel is not None or labels is None or logits is None:
        raise ValueError(
            "Only call `softmax_cross_entropy_with_logits` with named arguments "
            "(labels=..., logits=..., ...)"
        )
    with ops.name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = ops.convert_to_tensor(logits, name="logits")
        labels = ops.convert_to_tensor(labels, logits.dtype, name="labels")
        _check_rank2("SoftmaxCrossEntropyWithLogits", logits)
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(
                f"logits and labels must be same size: logits_size="
                f"{logits.shape} labels_size={labels.shape}"
            )
        batch = logits.shape.merge_with(labels.shape)[:1]
        op = ops.create_op(
            "SoftmaxCrossEntropyWithLogits",
            [logits, labels],
            [(logits.dtype, batch), (logits.dtype, logits.shape)],
            name=scope,
        )
        return op.outputs[0]


softmax_cross_entropy_with_logits_v2 = softmax_cross_entropy_with_logits


def _check_rank2(op_type, logits):
    if logits.shape.ndims not in (None, 2):
        raise ValueError(f"logits must be 2-dimensional for '{op_type}', got shape {logits.shape}")


@registry.kernel("SoftmaxCrossEntropyWithLogits", takes=dtypes.FLOATS, parameter="features")
def _softmax_xent(op, logits, labels):
    if loops.is_float_array(logits, labels) and logits.ndim == 2:  # one loop: a few us
        return loops.softmax_cross_entropy(logits, labels)
    # In place where the shape cannot change: a small step's time is numpy's calls, not bytes.
    shifted, exps, sums = _shifted_exps(logits)
    log_probabilities = np.subtract(shifted, np.log(sums), out=shifted)
    loss = 0.0 - np.add.reduce(labels * log_probabilities, axis=-1)  # 0.0, never -0.0
    probabilities = np.divide(exps, sums, out=exps)
    return loss, probabilities - labels


@registry.gradient("SoftmaxCrossEntropyWithLogits")
def _softmax_xent_grad(op, grad_loss, grad_backprop):
    """The loss's gradient is the saved ``softmax - labels``. The second output (that very
    gradient) matters only in second derivatives: ``(g - sum(g * softmax)) * softmax``.
    Either gradient may be None: nothing flows back through that output."""
    grads = []
    if grad_loss is not None:
        grads.append(array_ops.expand_dims(grad_loss, -1) * op.outputs[1])
    if grad_backprop is not None:
        probabilities = softmax(op.inputs[0])
        weighted = reduction_ops.reduce_sum(grad_backprop * probabilities, axis=-1, keepdims=True)
        grads.append((grad_backprop - weighted) * probabilities)
    return [math_ops.add_n(grads) if len(grads) > 1 else grads[0], None]


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """The cross-entropy of ``softmax(logits)`` against class indices, one value per row.

    What ``softmax_cross_entropy_with_logits`` gives for one-hot labels, without making them.
    Named arguments only, as in TF 1.x.

    Args:
        labels: (batch,) int32 or int64 class indices; running it with one outside
            ``[0, classes)`` raises InvalidArgumentError.
        logits: unscaled scores, a float tensor (batch, classes).
        name: a name for the op (optional).

    Returns:
        A (batch,) tensor: ``-log(softmax(logits)[i, labels[i]])`` for each row ``i``.

    Raises:
        ValueError: if an argument is given by position, or the shapes do not fit.
        TypeError: if ``labels`` are not integers.

    Not used in the course; notebook 05 (softmax regression) teaches the cross-entropy with
    one-hot labels.
    """
    if _sentinel is not None or labels is None or logits is None:
        raise ValueError(
            "Only call `sparse_softmax_cross_entropy_with_logits` with named "
            "arguments (labels=..., logits=..., ...)"
        )
    with ops.name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [logits, labels]) as scope:
        logits = ops.convert_to_tensor(logits, name="logits")
        labels = ops.convert_to_tensor(labels, name="labels")
        _check_rank2("SparseSoftmaxCrossEntropyWithLogits", logits)
        if not labels.dtype.is_integer:
            raise TypeError(f"labels must be int32 or int64, got {labels.dtype.name}")
        if labels.shape.ndims not in (None, 1):
            raise ValueError(f"labels must be 1-D, but got shape {labels.shape}")
        batch = logits.shape[:1].merge_with(labels.shape)
        op = ops.create_op(
            "SparseSoftmaxCrossEntropyWithLogits",
            [logits, labels],
            [(logits.dtype, batch), (logits.dtype, logits.shape)],
            name=scope,
        )
        return op.outputs[0]


@registry.kernel("SparseSoftmaxCrossEntropyWithLogits", takes=dtypes.FLOATS, parameter="features")
def _sparse_softmax_xent(op, logits, labels):
    classes = np.shape(logits)[-1]
    bad = (labels < 0) | (labels >= classes)
    if np.any(bad):
        raise InvalidArgumentError(
            None,
            None,
            f"Received a label value of "
            f"{labels[bad][0]} which is outside the valid range of "
            f"[0, {classes}).  Label values: {labels}",
        )
    shifted, exps, sums = _shifted_exps(logits)
    rows = np.arange(len(labels))
    loss = np.log(sums[..., 0]) - shifted[rows, labels]
    backprop = np.divide(exps, sums, out=exps)
    backprop[rows, labels] -= 1
    return loss, backprop


registry.gradient("SparseSoftmaxCrossEntropyWithLogits")(_softmax_xent_grad)
