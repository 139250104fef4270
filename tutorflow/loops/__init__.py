"""The compiled loops that the heavy op kernels call: convolution, pooling, activations, fused
optimizer updates, the fused softmax cross-entropy (NHWC, float32/64).

Plain numpy + Numba code that knows nothing of graphs. An op's *kernel* is the function its op
type registers (``tutorflow.ops``); the convolution's kernel, say, calls ``loops.conv2d``.
``reference`` holds slow, obviously-correct versions used by the tests.

Each loop is serial code; ``split`` cuts its work, and the matrix products', into parts that
run at once on Python threads (a session's intra-op threads); ``handoff`` passes each part to
a helper thread within microseconds. Numba's own threads (``prange``)
were tried and reverted: they shared their cores with OpenBLAS's spinning threads, and beside
PyTorch two OpenMP runtimes fought.
"""

from .conv import (
    conv2d,
    conv2d_backprop_filter,
    conv2d_backprop_input,
    conv2d_backprop_workspace,
    conv2d_filter_workspace,
)
from .elementwise import (
    bias_add,
    bias_add_grad,
    is_bias_add,
    is_float_array,
    relu,
    relu_grad,
    relu_grad_and_bias_grad,
)
from .optim import adam_update, momentum_update, sgd_update
from .padding import conv_output_size
from .pool import avg_pool, avg_pool_grad, max_pool, max_pool_grad, max_pool_relu_grad
from .softmax import softmax_cross_entropy

__all__ = [
    "adam_update",
    "avg_pool",
    "avg_pool_grad",
    "bias_add",
    "bias_add_grad",
    "conv2d",
    "conv2d_backprop_filter",
    "conv2d_backprop_input",
    "conv2d_backprop_workspace",
    "conv2d_filter_workspace",
    "conv_output_size",
    "is_bias_add",
    "is_float_array",
    "max_pool",
    "max_pool_grad",
    "max_pool_relu_grad",
    "momentum_update",
    "relu",
    "relu_grad",
    "relu_grad_and_bias_grad",
    "sgd_update",
    "softmax_cross_entropy",
]
