"""tutorflow: the TensorFlow 1.x graph API on numpy and Numba, small enough to read end to end.

    import tutorflow as tf
    a = tf.constant(2)
    with tf.Session() as sess:
        print(sess.run(a + 3))    # 5
"""

from . import nn, train
from .client.session import InteractiveSession, Session
from .framework import errors
from .framework.dtypes import DType, as_dtype, bool_ as bool, float32, float64, int32, int64, uint8
from .framework.graph import Graph, GraphKeys, get_default_graph, reset_default_graph
from .framework.ops import (
    Operation,
    Tensor,
    convert_to_tensor,
    get_default_session,
    name_scope,
)
from .framework.random_seed import set_random_seed
from .framework.tensor_shape import Dimension, TensorShape
from .gradients import gradients
from .ops.array_ops import (
    cast,
    concat,
    constant,
    expand_dims,
    fill,
    identity,
    ones,
    ones_like,
    placeholder,
    placeholder_with_default,
    reshape,
    shape,
    size,
    squeeze,
    stack,
    transpose,
    zeros,
    zeros_like,
)
from .ops.math_ops import (
    abs,
    add,
    add_n,
    argmax,
    argmin,
    div,
    equal,
    exp,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    pow,
    realdiv,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_sum,
    sign,
    sqrt,
    square,
    subtract,
    truediv,
    where,
)
from .ops.math_ops import floormod as mod
from .ops.math_ops import truediv as divide
from .ops.nn_ops import sigmoid, tanh
from .ops.numerics import add_check_numerics_ops, check_numerics
from .ops.random_ops import random_normal, random_uniform, truncated_normal
from .ops.variables import (
    Variable,
    assign,
    assign_add,
    assign_sub,
    global_variables,
    global_variables_initializer,
    group,
    initialize_all_variables,
    no_op,
    trainable_variables,
    variables_initializer,
)


def control_dependencies(control_inputs):
    """``with tf.control_dependencies([op]):`` makes new ops run after ``op``."""
    return get_default_graph().control_dependencies(control_inputs)
