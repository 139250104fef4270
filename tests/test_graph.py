"""Building graphs: op names and name scopes, tensors' names, dtypes, printed forms and static
shapes, Python operators, default graphs and control dependencies. Values computed by a
session are checked against numpy."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tutorflow as tf


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


def names(graph):
    return [op.name for op in graph.get_operations()]


# -- op names, as TF 1.x chooses them -------------------------------------------------------------


def test_repeated_names_get_a_counter():
    a, b, c = tf.constant(1), tf.constant(2), tf.constant(3)
    assert [t.op.name for t in (a, b, c)] == ["Const", "Const_1", "Const_2"]
    assert [t.name for t in (a, b, c)] == ["Const:0", "Const_1:0", "Const_2:0"]


def test_operator_and_function_names():
    a, b = tf.constant(1), tf.constant(2)
    c = a + b
    assert (c.op.name, c.op.type) == ("add", "Add")
    assert tf.add(a, b).op.name == "Add_1"  # names collide case-insensitively: "add" is taken
    assert tf.add(a, b).op.name == "Add_2"
    assert (a + b).op.name == "add_3"


def test_function_name_first_then_operator():
    a, b = tf.constant(1), tf.constant(2)
    assert tf.add(a, b).name == "Add:0"
    assert (a + b).name == "add_1:0"


def test_explicit_names_are_kept_and_counted():
    tf.constant(1)
    assert tf.constant(1, name="Const_1").op.name == "Const_1"
    assert tf.constant(1).op.name == "Const_2"  # skips the name taken explicitly
    assert tf.constant(1, name="x").op.name == "x"
    assert tf.constant(1, name="x").op.name == "x_1"


def test_op_types_inputs_and_attrs():
    a, b = tf.constant(1.0), tf.constant(2.0)
    c = tf.multiply(a, b)
    assert c.op.type == "Mul"
    assert c.op.inputs == (a, b)
    assert a.op.get_attr("value") == 1.0
    assert a.op.type == "Const"
    assert tf.placeholder(tf.float32).op.type == "Placeholder"
    assert tf.matmul(tf.ones([2, 2]), tf.ones([2, 2])).op.type == "MatMul"
    assert a.op.outputs == [a]
    assert c.op.graph is tf.get_default_graph()


def test_operator_constants_live_in_the_operator_scope():
    t = tf.constant([1.0, 2.0])
    y = t * 2
    assert y.op.name == "mul"
    assert [x.op.name for x in y.op.inputs] == ["Const", "mul/y"]
    z = 2 - t
    assert z.op.name == "sub"
    assert [x.op.name for x in z.op.inputs] == ["sub/x", "Const"]


def test_graph_lookup_by_name(fresh_graph):
    c = tf.constant(3, name="three")
    assert fresh_graph.get_tensor_by_name("three:0") is c
    assert fresh_graph.get_operation_by_name("three") is c.op
    with pytest.raises(KeyError):
        fresh_graph.get_tensor_by_name("three:1")
    with pytest.raises(ValueError):
        fresh_graph.get_tensor_by_name("three")


# -- name scopes ------------------------------------------------------------------------------


def test_nested_name_scopes():
    with tf.name_scope("layer1") as scope:
        assert scope == "layer1/"
        w = tf.constant(1.0, name="w")
        with tf.name_scope("inner") as inner:
            assert inner == "layer1/inner/"
            s = tf.add(w, w)
        y = w * 2
    assert w.name == "layer1/w:0"
    assert s.name == "layer1/inner/Add:0"
    assert y.name == "layer1/mul:0"
    assert tf.constant(0).name == "Const:0"  # back at the top level


def test_reused_scope_name_gets_a_counter():
    with tf.name_scope("layer"):
        a = tf.constant(1)
    with tf.name_scope("layer") as scope:
        b = tf.constant(1)
    assert scope == "layer_1/"
    assert a.name == "layer/Const:0"
    assert b.name == "layer_1/Const:0"
    with tf.name_scope("outer"):
        with tf.name_scope("inner"):
            pass
        with tf.name_scope("inner") as again:
            pass
    assert again == "outer/inner_1/"


def test_scope_name_with_slash_reenters_it():
    with tf.name_scope("layer") as scope:
        pass
    with tf.name_scope(scope):
        c = tf.constant(1)
    assert c.name == "layer/Const:0"


def test_variables_are_named_like_tf():
    v = tf.Variable(0)
    w = tf.Variable(0, name="weights")
    u = tf.Variable(0)
    assert (v.name, w.name, u.name) == ("Variable:0", "weights:0", "Variable_1:0")
    assert v.value().name == "Variable/read:0"
    assert v.initializer.name == "Variable/Assign"


# -- tensors: names, dtypes, printed forms ---------------------------------------------------


def test_tensor_str_and_repr():
    c = tf.constant(3)
    assert str(c) == 'Tensor("Const:0", shape=(), dtype=int32)'
    assert repr(c) == "<tf.Tensor 'Const:0' shape=() dtype=int32>"
    x = tf.placeholder(tf.float32, [None, 784])
    assert str(x) == 'Tensor("Placeholder:0", shape=(?, 784), dtype=float32)'
    v = tf.constant([1.0, 2.0])
    assert str(v) == 'Tensor("Const_1:0", shape=(2,), dtype=float32)'


def test_placeholder_of_unknown_shape_prints_without_shape():
    p = tf.placeholder(tf.float32)
    assert str(p) == 'Tensor("Placeholder:0", dtype=float32)'
    assert p.shape.ndims is None
    with pytest.raises(ValueError):
        p.get_shape().as_list()


def test_dtype_names():
    assert str(tf.float32) == "<dtype: 'float32'>"
    assert repr(tf.int32) == "tf.int32"
    assert tf.as_dtype("float") is tf.float32
    assert tf.as_dtype(np.float64) is tf.float64
    assert tf.as_dtype("bool") is tf.bool


@pytest.mark.parametrize(
    "value, dtype",
    [
        (3, tf.int32),
        (3.0, tf.float32),
        ([1, 2.5], tf.float32),
        (True, tf.bool),
        (2**40, tf.int64),
        (np.float64(1.0), tf.float64),
        (np.arange(3, dtype=np.int64), tf.int64),
        (np.zeros(2, np.uint8), tf.uint8),
        (np.ones(2, np.float32), tf.float32),
    ],
)
def test_constant_dtype_inference(value, dtype):
    c = tf.constant(value)
    assert c.dtype is dtype
    result = run(c)
    assert result.dtype == dtype.as_numpy_dtype
    np.testing.assert_array_equal(result, np.asarray(value))


def test_constant_with_shape_fills_it():
    c = tf.constant(0.5, shape=[2, 3])
    assert c.shape.as_list() == [2, 3]
    np.testing.assert_array_equal(run(c), np.full((2, 3), 0.5, np.float32))
    r = tf.constant([1, 2, 3, 4], shape=[2, 2])
    np.testing.assert_array_equal(run(r), np.array([[1, 2], [3, 4]]))
    with pytest.raises(ValueError):
        tf.constant([1, 2, 3], shape=[2, 2])


def test_constant_keeps_its_own_copy_of_the_value():
    value = np.array([1.0, 2.0], np.float32)
    c = tf.constant(value)
    value[0] = 99
    np.testing.assert_array_equal(run(c), [1.0, 2.0])


def test_python_scalars_take_the_other_operands_dtype():
    x = tf.placeholder(tf.float32, [None, 3])
    assert (x * 2).dtype is tf.float32
    assert (2 * x).dtype is tf.float32
    d = tf.constant(1.0, tf.float64)
    assert (d + 1).dtype is tf.float64
    assert (tf.constant(5, tf.int64) - 1).dtype is tf.int64
    feed = np.array([[1, 2, 3]], np.float32)
    np.testing.assert_array_equal(run(x * 2, {x: feed}), feed * 2)


def test_mismatched_dtypes_are_refused():
    with pytest.raises(TypeError, match="Input 'y' of 'Add' Op has type float32 that does not"):
        tf.constant(1) + tf.constant(1.0)


@pytest.mark.parametrize(
    "make, message",
    [  # TF 1.x's messages: a Python float never becomes an int, even a whole one
        (lambda: tf.constant(2.0, tf.int32), "Expected int32, got 2.0 of type 'float' instead."),
        (lambda: tf.constant([1, 2.5], tf.int64), "Expected int64, got 2.5 of type 'float' inst"),
        (lambda: tf.constant(1, tf.bool), "Expected bool, got 1 of type 'int' instead."),
        (
            lambda: tf.constant(1) * 2.0,
            (
                "Expected int32 passed to parameter 'y' of op 'Mul', got 2.0 of type 'float'"
                " instead. Error: Expected int32, got 2.0 of type 'float' instead."
            ),
        ),
        (lambda: 2.5 + tf.constant(1), "Expected int32, got 2.5 of type 'float' instead."),
    ],
)
def test_python_values_must_fit_the_dtype_as_in_tf(make, message):
    with pytest.raises(TypeError) as error:
        make()
    assert message in str(error.value)


def test_numpy_values_are_cast_and_python_ints_and_bools_widen_as_in_tf():
    np.testing.assert_array_equal(run(tf.constant(np.array([1.5, -2.7]), tf.int32)), [1, -2])
    assert run(tf.constant(np.float64(2.0), tf.int32)) == 2
    assert run(tf.constant(True, tf.float32)) == 1.0
    assert run(tf.constant(1.5) * 2) == 3.0
    np.testing.assert_array_equal(run(tf.constant([True, 0], tf.int32)), [1, 0])


def test_cast_accepts_names():
    c = tf.cast(tf.constant([1, 2]), "float")
    assert c.dtype is tf.float32
    assert c.op.type == "Cast"
    result = run(c)
    assert result.dtype == np.float32
    np.testing.assert_array_equal(result, [1.0, 2.0])
    b = tf.cast(tf.constant([0.0, 2.5]), tf.bool)
    np.testing.assert_array_equal(run(b), [False, True])
    i = tf.cast(tf.constant([1.7, -1.7]), tf.int32)
    np.testing.assert_array_equal(run(i), np.array([1.7, -1.7]).astype(np.int32))


# -- Python operators --------------------------------------------------------------------------

X = np.array([[1.5, -2.0], [3.0, 0.5]], np.float32)
Y = np.array([[0.5, 4.0], [-1.0, 2.0]], np.float32)
OPERATORS = {
    "+": (lambda a, b: a + b, "Add"),
    "-": (lambda a, b: a - b, "Sub"),
    "*": (lambda a, b: a * b, "Mul"),
    "/": (lambda a, b: a / b, "RealDiv"),
    "**": (lambda a, b: a**2, "Pow"),
    "@": (lambda a, b: a @ b, "MatMul"),
    "<": (lambda a, b: a < b, "Less"),
    "<=": (lambda a, b: a <= b, "LessEqual"),
    ">": (lambda a, b: a > b, "Greater"),
    ">=": (lambda a, b: a >= b, "GreaterEqual"),
}


@pytest.mark.parametrize("symbol", OPERATORS)
def test_operators_build_ops_that_compute_like_numpy(symbol):
    fn, op_type = OPERATORS[symbol]
    result = fn(tf.constant(X), tf.constant(Y))
    assert isinstance(result, tf.Tensor)
    assert result.op.type == op_type
    expected = fn(X, Y)
    assert result.dtype is tf.as_dtype(expected.dtype)
    np.testing.assert_allclose(run(result), expected, rtol=1e-6)


def test_unary_operators():
    t = tf.constant(X)
    assert (-t).op.type == "Neg"
    np.testing.assert_array_equal(run(-t), -X)
    assert abs(t).op.type == "Abs"
    np.testing.assert_array_equal(run(abs(t)), np.abs(X))


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: 2 - t,
        lambda t: 3 + t,
        lambda t: 2 * t,
        lambda t: 1 / t,
        lambda t: 2**t,
        lambda t: np.ones((2, 2), np.float32) + t,
        lambda t: np.arange(2.0) * t,  # a float64 array takes the tensor's float32
        lambda t: np.float64(3) - t,
        lambda t: Y @ t,
    ],
)
def test_reflected_operators(fn):
    result = fn(tf.constant(X))
    assert isinstance(result, tf.Tensor)
    assert result.dtype is tf.float32
    np.testing.assert_allclose(run(result), fn(X).astype(np.float32), rtol=1e-6)


def test_integer_division_gives_float64_as_python_does():
    q = tf.constant([3, 7]) / 2
    assert q.dtype is tf.float64
    np.testing.assert_array_equal(run(q), np.array([3, 7]) / 2)


def test_tensor_equality_is_identity_and_truth_is_refused():
    t, same_value = tf.constant(1), tf.constant(1)
    assert (t == same_value) is False  # TF 1.x compares tensors by identity, not as an op
    assert t in [same_value, t]
    assert {t: 1}[t] == 1  # tensors are hashable, so they can key a feed_dict
    with pytest.raises(TypeError):
        bool(t)
    with pytest.raises(TypeError):
        iter(t)


def test_comparison_functions_give_bool_tensors():
    a, b = tf.constant(X), tf.constant(Y)
    for fn, ref in [
        (tf.equal, np.equal),
        (tf.not_equal, np.not_equal),
        (tf.less, np.less),
        (tf.greater, np.greater),
    ]:
        result = fn(a, b)
        assert result.dtype is tf.bool
        np.testing.assert_array_equal(run(result), ref(X, Y))


# -- static shapes -------------------------------------------------------------------------------


def test_matmul_static_shape_with_unknown_batch():
    x = tf.placeholder(tf.float32, [None, 784])
    W = tf.Variable(tf.zeros([784, 10]))
    y = tf.matmul(x, W)
    assert str(y.shape) == "(?, 10)"
    assert y.get_shape().as_list() == [None, 10]
    assert tf.matmul(W, x, transpose_a=True, transpose_b=True).shape.as_list() == [10, None]


def test_matmul_incompatible_shapes_raise_at_construction(fresh_graph):
    x = tf.placeholder(tf.float32, [None, 784])
    count = len(fresh_graph.get_operations())
    with pytest.raises(ValueError, match="784 and 10"):
        tf.matmul(x, tf.zeros([10, 784]))
    with pytest.raises(ValueError, match="rank 2"):
        tf.matmul(x, tf.zeros([784]))
    assert not any(op.type == "MatMul" for op in fresh_graph.get_operations()[count:])


def test_matmul_with_transposes_computes_like_numpy():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.arange(12, dtype=np.float32).reshape(4, 3)
    c = tf.matmul(a, b, transpose_b=True)
    assert c.shape.as_list() == [2, 4]
    np.testing.assert_allclose(run(c), a @ b.T)
    m = np.arange(8, dtype=np.float32).reshape(4, 2)
    e = tf.matmul(a, m, transpose_a=True, transpose_b=True)
    assert e.shape.as_list() == [3, 4]
    np.testing.assert_allclose(run(e), a.T @ m.T)
    f = tf.matmul(m, a)
    np.testing.assert_allclose(run(f), m @ a)


def test_reshape_with_minus_one():
    t = tf.zeros([4, 6])
    assert tf.reshape(t, [-1, 3]).shape.as_list() == [8, 3]
    x = tf.placeholder(tf.float32, [None, 784])
    image = tf.reshape(x, [-1, 28, 28, 1])
    assert str(image.shape) == "(?, 28, 28, 1)"
    value = np.arange(2 * 784, dtype=np.float32).reshape(2, 784)
    np.testing.assert_array_equal(run(image, {x: value}), value.reshape(-1, 28, 28, 1))
    with pytest.raises(ValueError):
        tf.reshape(t, [5, -1])
    with pytest.raises(ValueError):
        tf.reshape(t, [5, 5])
    with pytest.raises(ValueError):
        tf.reshape(t, [-1, -1])


@pytest.mark.parametrize(
    "axis, keepdims",
    [(None, False), (None, True), (1, False), (-1, False), ([0, 2], False), ([0, 2], True)],
)
@pytest.mark.parametrize(
    "fn, ref",
    [
        (tf.reduce_sum, np.sum),
        (tf.reduce_mean, np.mean),
        (tf.reduce_max, np.max),
        (tf.reduce_min, np.min),
    ],
)
def test_reductions_static_shape_and_value(fn, ref, axis, keepdims):
    value = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    result = fn(tf.constant(value), axis=axis, keepdims=keepdims)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = ref(value, axis=np_axis, keepdims=keepdims)
    assert result.shape.as_list() == list(expected.shape)
    np.testing.assert_allclose(run(result), expected, rtol=1e-5)


def test_reductions_with_unknown_dims_and_tf1_keywords():
    x = tf.placeholder(tf.float32, [None, 10])
    assert str(tf.reduce_sum(x, axis=1).shape) == "(?,)"
    assert tf.reduce_mean(x).shape.as_list() == []
    assert tf.reduce_sum(x, reduction_indices=[1], keep_dims=True).shape.as_list() == [None, 1]
    with pytest.raises(ValueError):
        tf.reduce_sum(x, axis=2)


def test_integer_mean_truncates_as_tf_does():
    value = np.array([1, 2, 2, -7], np.int32)
    result = run(tf.reduce_mean(tf.constant(value)))
    assert result.dtype == np.int32
    assert result == int(value.sum() / value.size)  # -0.5 rounds toward zero


def test_broadcasting_static_shapes():
    x = tf.placeholder(tf.float32, [None, 3])
    assert str((x + tf.zeros([3])).shape) == "(?, 3)"
    assert str((tf.zeros([4, 1]) * tf.zeros([5])).shape) == "(4, 5)"
    assert str((tf.placeholder(tf.float32, [None, 1]) - tf.zeros([1, 4])).shape) == "(?, 4)"
    assert (x + tf.placeholder(tf.float32)).shape.ndims is None
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.zeros([3, 2]) + tf.zeros([4])


@settings(max_examples=30, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=3),
    hide=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_broadcast_static_shape_agrees_with_numpy(shapes, hide):
    """Static shapes match numpy's; dimensions hidden as None stay compatible with them."""
    a_shape, b_shape = shapes.input_shapes
    expected = np.broadcast_shapes(a_shape, b_shape)
    with tf.Graph().as_default():
        a, b = tf.zeros(a_shape), tf.zeros(b_shape)
        assert (a + b).shape.as_list() == list(expected)
        hidden = [None if h else d for h, d in zip(hide, a_shape)]
        partial = (tf.placeholder(tf.float32, hidden) * b).shape
        assert partial.ndims == len(expected)
        assert partial.is_compatible_with(expected)
        value = np.ones(a_shape, np.float32)
        with tf.Session() as sess:
            out = sess.run(tf.placeholder_with_default(value, hidden) * b)
        assert out.shape == expected


def test_transpose_expand_squeeze_concat_shapes():
    value = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    t = tf.constant(value)
    cases = [
        (tf.transpose(t), value.T),
        (tf.transpose(t, [1, 0, 2]), value.transpose(1, 0, 2)),
        (tf.expand_dims(t, 1), value[:, None]),
        (tf.expand_dims(t, -1), value[..., None]),
        (tf.squeeze(tf.expand_dims(t, 0)), value),
        (tf.squeeze(tf.constant(value[:1, :, :1]), axis=[0]), value[0, :, :1]),
        (tf.concat([t, t], axis=1), np.concatenate([value, value], axis=1)),
        (tf.concat([t, t], axis=-1), np.concatenate([value, value], axis=-1)),
    ]
    for tensor, expected in cases:
        assert tensor.shape.as_list() == list(expected.shape)
        np.testing.assert_array_equal(run(tensor), expected)
    with pytest.raises(ValueError):
        tf.squeeze(t, axis=[0])
    with pytest.raises(ValueError):
        tf.concat([t, tf.zeros([2, 4, 4])], axis=2)


def test_set_shape_refines_and_checks():
    p = tf.placeholder(tf.float32, [None, 3])
    p.set_shape([5, 3])
    assert p.shape.as_list() == [5, 3]
    with pytest.raises(ValueError):
        p.set_shape([5, 4])


# -- default graphs ------------------------------------------------------------------------------


def test_ops_go_into_the_default_graph(fresh_graph):
    assert tf.get_default_graph() is fresh_graph
    c = tf.constant(1)
    assert c.graph is fresh_graph
    g = tf.Graph()
    with g.as_default() as entered:
        assert entered is g
        assert tf.get_default_graph() is g
        d = tf.constant(2)
        with tf.Graph().as_default():
            assert tf.get_default_graph() is not g
        assert tf.get_default_graph() is g
    assert d.graph is g
    assert d.name == "Const:0"  # names are counted per graph
    assert tf.get_default_graph() is fresh_graph
    assert names(g) == ["Const"]
    assert names(fresh_graph) == ["Const"]


def test_reset_default_graph(fresh_graph):
    tf.constant(1)
    tf.reset_default_graph()
    assert tf.get_default_graph() is not fresh_graph
    assert tf.get_default_graph().get_operations() == []
    assert tf.constant(1).name == "Const:0"
    with tf.Graph().as_default(), pytest.raises(AssertionError):
        tf.reset_default_graph()


def test_tensors_from_two_graphs_cannot_be_combined():
    a = tf.constant(1.0)
    with tf.Graph().as_default():
        b = tf.constant(2.0)
        m = tf.zeros([2, 2])
        with pytest.raises(ValueError, match="same graph"):
            a + b
    with pytest.raises(ValueError, match="same graph"):
        tf.add(a, b)
    with pytest.raises(ValueError, match="same graph"):
        tf.matmul(tf.zeros([2, 2]), m)
    with pytest.raises(ValueError, match="same graph"):
        tf.group(a.op, b.op)


def test_ops_built_from_a_tensor_join_the_tensors_graph():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
    b = a * 2  # the default graph is another one, but a's graph wins
    assert b.graph is g
    with tf.Session(graph=g) as sess:
        assert sess.run(b) == 2.0


# -- control dependencies ---------------------------------------------------------------------


def test_control_dependencies_run_first():
    counter = tf.Variable(0)
    increment = tf.assign_add(counter, 1)
    with tf.control_dependencies([increment]):
        out = tf.constant(10) + 1
    plain = tf.constant(10) + 1
    assert out.op.control_inputs == (increment.op,)
    assert plain.op.control_inputs == ()
    with tf.Session() as sess:
        sess.run(counter.initializer)
        assert sess.run(plain) == 11
        assert sess.run(counter) == 0
        assert sess.run(out) == 11
        assert sess.run(out) == 11
        assert sess.run(counter) == 2


def test_control_dependencies_nest_and_clear():
    a, b = tf.no_op(name="a"), tf.no_op(name="b")
    with tf.control_dependencies([a]):
        with tf.control_dependencies([b]):
            both = tf.constant(1)
        with tf.control_dependencies(None):
            none = tf.constant(1)
        only_a = tf.constant(1)
    assert set(both.op.control_inputs) == {a, b}
    assert none.op.control_inputs == ()
    assert only_a.op.control_inputs == (a,)


def test_group_runs_all_its_inputs():
    v, w = tf.Variable(1), tf.Variable(10)
    both = tf.group(v.assign_add(1), w.assign_sub(1))
    assert both.type == "NoOp"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(both) is None
        assert sess.run([v, w]) == [2, 9]


def test_static_shapes_agree_with_computed_shapes():
    """Whatever the fed batch size, each computed value has a shape its static shape allows."""
    x = tf.placeholder(tf.float32, [None, 3])
    column = tf.placeholder(tf.float32, [None, 1])
    unknown = tf.placeholder(tf.float32)
    tensors = [
        tf.squeeze(x),
        tf.squeeze(column),
        tf.squeeze(column, axis=[1]),
        tf.squeeze(unknown),
        tf.reshape(x, [-1]),
        tf.reshape(x, [-1, 1, 3]),
        tf.reduce_sum(x, axis=0),
        tf.reduce_max(x, axis=1, keepdims=True),
        tf.reduce_mean(unknown, axis=0),
        tf.matmul(x, tf.ones([3, 2])),
        tf.matmul(x, x, transpose_a=True),
        x + column,
        x * unknown,
        tf.expand_dims(x, 0),
        tf.transpose(x),
        tf.concat([x, x], axis=0),
        tf.concat([x, column], axis=1),
        tf.argmax(x, 1),
        x[:, 1:],
        x[0],
        tf.shape(x),
        tf.cast(x > 0, tf.int32),
    ]
    with tf.Session() as sess:
        for batch in (1, 2, 5):
            feed = {
                x: np.ones((batch, 3)),
                column: np.ones((batch, 1)),
                unknown: np.ones((batch, 3)),
            }
            for tensor, value in zip(tensors, sess.run(tensors, feed)):
                assert tensor.shape.is_compatible_with(np.shape(value)), (tensor, batch)
                assert value.dtype == tensor.dtype.as_numpy_dtype


def test_name_scope_with_values_enters_their_graph():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
    with tf.name_scope("scaled", values=[a]) as scope:
        assert tf.get_default_graph() is g
        two = tf.constant(2.0)
    assert scope == "scaled/"
    assert two.graph is g and two.name == "scaled/Const:0"
    assert tf.get_default_graph() is not g


def test_dimensions_of_static_shapes():
    x = tf.placeholder(tf.float32, [None, 784])
    assert x.get_shape()[1].value == 784
    assert int(x.shape[1]) == 784
    assert x.shape[0].value is None
    assert str(x.shape[0]) == "?"
    assert x.shape.ndims == 2 and len(x.shape) == 2
    assert not x.shape.is_fully_defined()
    assert tf.zeros([2, 3]).shape.num_elements() == 6
    with pytest.raises(TypeError):
        int(x.shape[0])
