"""``tf.losses``: losses that reduce themselves to one number and add it to the graph's
``LOSSES`` collection, so that ``tf.losses.get_total_loss()`` finds every one of them.

    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = optimizer.minimize(tf.losses.get_total_loss())

By default each is the mean over the examples whose weight is not zero (``weights`` may give
each example its own weight), as TF 1.x computes it.
"""

from __future__ import annotations

from ..framework import ops
from ..framework.graph import GraphKeys, get_default_graph
from . import array_ops, comparison_ops, constant_ops, math_ops, reduction_ops, softmax_ops


class Reduction:
    """How ``compute_weighted_loss`` reduces the weighted losses to one number.

    Not used in the course; notebook 05 (softmax regression) takes a plain mean.
    """

    NONE = "none"  # keep one loss per example
    SUM = "weighted_sum"
    MEAN = "weighted_mean"  # the sum divided by the sum of the weights
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"  # TF 1.x's default


def compute_weighted_loss(
    losses,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """``losses * weights`` reduced to one number, added to ``loss_collection``.

    Args:
        losses: a float tensor of losses, usually one per example.
        weights: a number, or a tensor broadcastable to the losses: each example's weight.
        scope: the name scope of the ops made (optional).
        loss_collection: the collection the loss joins (None: none).
        reduction: how the weighted losses become one (a ``Reduction``); by default their
            sum divided by the number of nonzero weights.

    Returns:
        A scalar float tensor; with ``Reduction.NONE``, one loss per example.

    Not used in the course; notebook 05 (softmax regression) takes the mean cross-entropy
    with ``tf.reduce_mean`` instead.
    """
    with ops.name_scope(scope, "weighted_loss", [losses, weights]):
        losses = ops.convert_to_tensor(losses)
        weights = array_ops.cast(weights, losses.dtype)
        weighted = math_ops.multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = reduction_ops.reduce_sum(weighted, name="Sum")
            if reduction != Reduction.SUM:
                loss = math_ops.truediv(loss, _divisor(losses, weights, reduction), name="value")
        if loss_collection:
            add_loss(loss, loss_collection)
        return loss


def _divisor(losses, weights, reduction):
    broadcast_weights = weights * constant_ops.ones_like(losses)
    if reduction == Reduction.MEAN:
        return reduction_ops.reduce_sum(broadcast_weights)
    if reduction == Reduction.SUM_OVER_BATCH_SIZE:
        return array_ops.cast(array_ops.size(losses), losses.dtype)
    present = array_ops.cast(comparison_ops.not_equal(broadcast_weights, 0.0), losses.dtype)
    # with every weight zero the sum is zero too: dividing by 1 gives TF's 0
    return math_ops.maximum(reduction_ops.reduce_sum(present, name="num_present"), 1.0)


def sparse_softmax_cross_entropy(
    labels,
    logits,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """The mean cross-entropy of ``logits`` against class indices, added to LOSSES.

    Args:
        labels: (batch,) int32 or int64 class indices.
        logits: unscaled scores, a float tensor (batch, classes).
        weights: a number, or a tensor broadcastable to the losses: each example's weight.
        scope: the name scope of the ops made (optional).
        loss_collection: the collection the loss joins (None: none).
        reduction: how the weighted losses become one (a ``Reduction``); by default their
            sum divided by the number of nonzero weights.

    Returns:
        A scalar float tensor; with ``Reduction.NONE``, one loss per example.

    Not used in the course; notebook 05 (softmax regression) takes the mean cross-entropy
    with ``tf.reduce_mean`` instead.
    """
    with ops.name_scope(scope, "sparse_softmax_cross_entropy_loss", [logits, labels]) as full_scope:
        losses = softmax_ops.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, full_scope, loss_collection, reduction)


def softmax_cross_entropy(
    onehot_labels,
    logits,
    weights=1.0,
    label_smoothing=0.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """The mean cross-entropy of ``logits`` against one-hot labels, added to LOSSES.

    Args:
        onehot_labels: one-hot (or probability) labels, (batch, classes).
        logits: unscaled scores, a float tensor (batch, classes).
        weights: a number, or a tensor broadcastable to the losses: each example's weight.
        label_smoothing: the share of each label's mass moved evenly onto every class:
            ``labels * (1 - s) + s / classes``.
        scope: the name scope of the ops made (optional).
        loss_collection: the collection the loss joins (None: none).
        reduction: how the weighted losses become one (a ``Reduction``); by default their
            sum divided by the number of nonzero weights.

    Returns:
        A scalar float tensor; with ``Reduction.NONE``, one loss per example.

    Not used in the course; notebook 05 (softmax regression) takes the mean cross-entropy
    with ``tf.reduce_mean`` instead.
    """
    with ops.name_scope(scope, "softmax_cross_entropy_loss", [logits, onehot_labels]) as full_scope:
        logits = ops.convert_to_tensor(logits)
        labels = array_ops.cast(onehot_labels, logits.dtype)
        if label_smoothing > 0:
            classes = array_ops.cast(array_ops.shape(labels)[1], logits.dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / classes
        losses = softmax_ops.softmax_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, full_scope, loss_collection, reduction)


def add_loss(loss, loss_collection=GraphKeys.LOSSES) -> None:
    """Adds a loss made by hand to ``loss_collection``, where ``get_total_loss`` finds it.

    Args:
        loss: a scalar tensor.
        loss_collection: the collection to add it to.

    Not used in the course; notebook 05 (softmax regression) minimizes its loss directly.
    """
    get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES) -> list:
    """The losses collected so far in the default graph.

    Args:
        scope: keep only the losses whose names start with this scope (optional).
        loss_collection: the collection to read.

    Returns:
        A list of tensors, in the order they were added.

    Not used in the course; notebook 05 (softmax regression) minimizes its loss directly.
    """
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope=None) -> list:
    """The penalties in the REGULARIZATION_LOSSES collection, such as weight decay.

    Args:
        scope: keep only the losses whose names start with this scope (optional).

    Returns:
        A list of tensors, in the order they were added.

    Not used in the course; notebook 11 (when training goes wrong) shows the overfitting that
    such penalties fight.
    """
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_total_loss(add_regularization_losses=True, name="total_loss"):
    """The sum of every loss in the LOSSES collection and of the regularization losses.

    Args:
        add_regularization_losses: whether to add REGULARIZATION_LOSSES too.
        name: a name for the sum.

    Returns:
        A scalar float tensor, the total to minimize.

    Not used in the course; notebook 05 (softmax regression) minimizes its loss directly.
    """
    losses = get_losses()
    if add_regularization_losses:
        losses += get_regularization_losses()
    return math_ops.add_n(losses, name=name)
