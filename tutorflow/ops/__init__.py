"""The op families. Each module registers its kernels and gradients beside the functions that
build its ops; importing this package imports them all, so that every op type is registered
whichever module a program imports first.

- creating tensors: ``constant_ops`` (constant, placeholder, zeros, ones_like…)
- one tensor seen anew: ``array_ops`` (identity, cast, shape, transpose, expand_dims, stack…),
  ``reshape_ops`` (reshape), ``slicing_ops`` (concat, ``tensor[key]``)
- arithmetic: ``math_ops`` (element-wise: add, multiply, exp, where…), ``comparison_ops``,
  ``matmul_ops``, ``reduction_ops`` (reduce_sum, argmax… and the gradients' broadcasting)
- Tensor's Python operators (``a + b``, ``a[0]``): ``tensor_operators``
- variables and their updates: ``variables``, ``training_ops``; ordering them:
  ``control_flow_ops`` (group, no_op)
- neural networks: ``nn_ops``, ``softmax_ops``, ``conv_ops``, ``losses``, ``random_ops``
- watching training: ``summary_ops``, ``numerics``
- chains of ops that a plan runs as one step: ``fused_ops``
"""

from . import (
    array_ops,
    comparison_ops,
    constant_ops,
    control_flow_ops,
    conv_ops,
    fused_ops,
    losses,
    math_ops,
    matmul_ops,
    nn_ops,
    numerics,
    random_ops,
    reduction_ops,
    reshape_ops,
    slicing_ops,
    softmax_ops,
    summary_ops,
    tensor_operators,
    training_ops,
    variables,
)
