"""tutorflow: the TensorFlow 1.x graph API on numpy and Numba, small enough to read end to end.

    import tutorflow as tf
    a = tf.constant(2)
    with tf.Session() as sess:
        print(sess.run(a + 3))    # 5
"""

from . import losses, nn, summary, test, train
from .client.session import InteractiveSession, Session
from .framework import errors
from .framework.dtypes import (
    DType,
    as_dtype,
    float32,
    float64,
    int32,
    int64,
    string,
    uint8,
)
from .framework.dtypes import bool_ as bool
from .framework.graph import Graph, GraphKeys, get_default_graph, reset_default_graph
from .framework.ops import (
    Operation,
    Tensor,
    convert_to_tensor,
    get_default_session,
    name_scope,
)
from .framework.protos import pb2
from .framework.random_seed import set_random_seed
from .framework.registry import gradient as RegisterGradient
from .framework.tensor_shape import Dimension, TensorShape
from .framework.user_ops import register_op
from .gradients import gradients
from .platform import app, flags, gfile
from .platform import tf_logging as logging
from .ops.array_ops import (
    cast,
    expand_dims,
    identity,
    shape,
    size,
    squeeze,
    stack,
    to_double,
    to_float,
    to_int32,
    to_int64,
    transpose,
)
from .ops.comparison_ops import equal, greater, greater_equal, less, less_equal, not_equal
from .ops.constant_ops import (
    constant,
    fill,
    ones,
    ones_like,
    placeholder,
    placeholder_with_default,
    zeros,
    zeros_like,
)
from .ops.control_flow_ops import group, no_op
from .ops.math_ops import (
    abs,
    add,
    add_n,
    div,
    exp,
    floor,
    floordiv,
    floormod,
    log,
    maximum,
    minimum,
    multiply,
    negative,
    pow,
    realdiv,
    sign,
    sqrt,
    square,
    subtract,
    truediv,
    where,
)
from .ops.math_ops import floormod as mod
from .ops.math_ops import truediv as divide
from .ops.matmul_ops import matmul
from .ops.nn_ops import sigmoid, tanh
from .ops.numerics import add_check_numerics_ops, check_numerics
from .ops.random_ops import random_normal, random_uniform, truncated_normal
from .ops.reduction_ops import argmax, argmin, reduce_max, reduce_mean, reduce_min, reduce_sum
from .ops.reshape_ops import reshape
from .ops.slicing_ops import concat
from .ops.summary_ops import histogram_summary, image_summary, scalar_summary
from .ops.summary_ops import merge as merge_summary
from .ops.summary_ops import merge_all as merge_all_summaries
from .ops.variables import (
    Variable,
    assign,
    assign_add,
    assign_sub,
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    trainable_variables,
    variables_initializer,
)


def control_dependencies(control_inputs):
    """``with tf.control_dependencies([op]):`` makes new ops run after ``op``."""
    return get_default_graph().control_dependencies(control_inputs)


_PROTOS = {
    "ConfigProto": "config",
    "GPUOptions": "config",
    "RunOptions": "config",
    "RunMetadata": "config",
    "Summary": "summary",
    "GraphDef": "graph",
}


def __getattr__(name):
    """TF's protocol buffers ``tf.ConfigProto``, ``tf.GPUOptions``, ``tf.RunOptions``,
    ``tf.RunMetadata``, ``tf.Summary`` and ``tf.GraphDef``, loaded from the tensorboard package
    on first use."""
    if name in _PROTOS:
        return getattr(pb2(_PROTOS[name]), name)
    raise AttributeError(f"module 'tutorflow' has no attribute '{name}'")
