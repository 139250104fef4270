"""``tf.nn``: activations, losses and the layers of a neural network.

Taught in notebooks 05 (softmax regression), 07 (convolution and pooling) and 08 (LeNet-5).
"""

from .ops.conv_ops import avg_pool, conv2d, max_pool
from .ops.nn_ops import bias_add, dropout, in_top_k, l2_loss, relu, sigmoid, tanh
from .ops.softmax_ops import (
    log_softmax,
    softmax,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
)
