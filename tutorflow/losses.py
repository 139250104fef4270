"""``tf.losses``: losses collected in the graph's LOSSES collection, and their total.

Not used in the course, whose notebooks build their losses with ``tf.nn`` (from notebook 05).
"""

from .ops.losses import (
    Reduction,
    add_loss,
    compute_weighted_loss,
    get_losses,
    get_regularization_losses,
    get_total_loss,
    softmax_cross_entropy,
    sparse_softmax_cross_entropy,
)
