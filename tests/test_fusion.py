"""Fused steps (client/fusion.py, ops/fused_ops.py): the chains a plan fuses, that a fused run
gives the values of a run with every op by itself, and the chains it must leave alone."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tutorflow as tf

OFF = 2  # RewriterConfig.OFF


def _session(fuse: bool = True, workers: int = 1) -> tf.Session:
    config = tf.ConfigProto(inter_op_parallelism_threads=workers)
    if not fuse:
        config.graph_options.rewrite_options.remapping = OFF
    return tf.Session(config=config)


def _run(fetches, feeds, fuse=True, workers=1):
    """The fetches' values and the op types of the run's plan."""
    with _session(fuse, workers) as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(fetches, feeds)
        plan = list(sess._plans.values())[-1]  # the fetches' (the initializer's is first)
        return values, [step[0].type for step in plan.steps]


def _fused_types(types) -> Counter:
    return Counter(t for t in types if t.startswith("_Fused"))


# -- one layer, at random ------------------------------------------------------------------------


@st.composite
def layers(draw):
    """A dense or convolutional layer on a placeholder with an unknown batch, its bias added as
    ``p + b``, ``b + p`` or ``bias_add``, maybe a ReLU and a max pool after it; the gradients
    of a weighted sum of its output; and maybe the product or the sum fetched too. Returns the
    fetches, the feeds, whether there is a ReLU, whether it is pooled, and whether the product
    is fetched."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(st.sampled_from([tf.float32, tf.float64]))
    n, width = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    b = tf.Variable(rng.standard_normal(width), dtype=dtype)  # made first, as layers make it
    if draw(st.booleans()):
        k = draw(st.integers(1, 5))
        x = tf.placeholder(dtype, [None, k])
        w = tf.Variable(rng.standard_normal((k, width)), dtype=dtype)
        product, x_value = tf.matmul(x, w), rng.standard_normal((n, k))
    else:
        h, c = draw(st.integers(2, 6)), draw(st.integers(1, 3))
        kh = draw(st.integers(1, min(h, 3)))
        x = tf.placeholder(dtype, [None, h, h, c])
        w = tf.Variable(rng.standard_normal((kh, kh, c, width)), dtype=dtype)
        padding, stride = draw(st.sampled_from(["SAME", "VALID"])), draw(st.integers(1, 2))
        product = tf.nn.conv2d(x, w, [1, stride, stride, 1], padding)
        x_value = rng.standard_normal((n, h, h, c))
    added = draw(st.sampled_from([lambda: product + b, lambda: b + product,
                                  lambda: tf.nn.bias_add(product, b)]))()  # fmt: skip
    out = tf.nn.relu(added) if draw(st.booleans()) else added
    pooled = out.shape.ndims == 4 and out is not added and draw(st.booleans())
    if pooled:  # windows that tile the maps, or not
        k, stride = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        out = tf.nn.max_pool(out, [1, k, k, 1], [1, stride, stride, 1], "SAME")
    weights = tf.constant(rng.standard_normal((n, *out.shape.as_list()[1:])), dtype)
    grads = tf.gradients(tf.reduce_sum(out * weights), [x, w, b])
    inside = draw(st.sampled_from([[], [product], [added]]))
    fetches = [out, *grads, *inside]
    feeds = {x: x_value.astype(dtype.as_numpy_dtype)}
    return fetches, feeds, added is not out, pooled, inside == [product]


@settings(max_examples=60, deadline=None)
@given(layer=layers())
def test_a_fused_layer_gives_the_unfused_values(layer):
    fetches, feeds, has_relu, pooled, product_fetched = layer
    (out, dx, dw, db, *inside), types = _run(fetches, feeds)
    (want_out, want_dx, want_dw, want_db, *want_inside), plain_types = _run(fetches, feeds, False)
    fused = _fused_types(types)
    assert not _fused_types(plain_types)
    # A fetched sum ends the chain before the ReLU; a fetched product leaves nothing to fuse.
    assert fused["_FusedConv2D"] + fused["_FusedMatMul"] == (not product_fetched)
    assert fused["_FusedMaxPoolGrad"] == pooled
    assert fused["_FusedReluGrad"] == (has_relu and not pooled)
    for value, want in [(out, want_out), (dx, want_dx), (dw, want_dw), *zip(inside, want_inside)]:
        np.testing.assert_array_equal(value, want)
    # The bias's gradient is summed in parts of its own: the sum may round differently.
    np.testing.assert_allclose(db, want_db, rtol=1e-5 if out.dtype == np.float32 else 1e-12)


# -- LeNet-5 -------------------------------------------------------------------------------------


def _lenet(graph):
    """The seed's LeNet-5 on fewer channels, with its training step."""
    with graph.as_default():
        tf.set_random_seed(3)
        x = tf.placeholder(tf.float32, [None, 784])
        labels = tf.placeholder(tf.float32, [None, 10])
        keep_prob = tf.placeholder(tf.float32)
        h = tf.reshape(x, [-1, 28, 28, 1])
        for c_in, c_out in [(1, 4), (4, 8)]:
            w = tf.Variable(tf.truncated_normal([5, 5, c_in, c_out], stddev=0.1))
            b = tf.Variable(tf.constant(0.1, shape=[c_out]))
            h = tf.nn.relu(tf.nn.conv2d(h, w, [1, 1, 1, 1], "SAME") + b)
            h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        h = tf.reshape(h, [-1, 7 * 7 * 8])
        w_fc1 = tf.Variable(tf.truncated_normal([7 * 7 * 8, 32], stddev=0.1))
        b_fc1 = tf.Variable(tf.constant(0.1, shape=[32]))
        h = tf.nn.dropout(tf.nn.relu(tf.matmul(h, w_fc1) + b_fc1), keep_prob)
        w_fc2 = tf.Variable(tf.truncated_normal([32, 10], stddev=0.1))
        b_fc2 = tf.Variable(tf.constant(0.1, shape=[10]))
        logits = tf.matmul(h, w_fc2) + b_fc2
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        train = tf.train.AdamOptimizer(1e-3).minimize(loss)
    return (x, labels, keep_prob), train


def _lenet_weights_after_training(fuse: bool, workers: int = 1):
    graph = tf.Graph()
    (x, labels, keep_prob), train = _lenet(graph)
    rng = np.random.default_rng(0)
    with graph.as_default(), _session(fuse, workers) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            xs = rng.random((8, 784), np.float32)
            ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 8)]
            sess.run(train, {x: xs, labels: ys, keep_prob: 0.5})
        (plan,) = [plan for key, plan in sess._plans.items() if key[0] == (train,)]
        types = [step[0].type for step in plan.steps]
        return sess.run(tf.trainable_variables()), types


def test_lenet_runs_each_layer_fused_and_trains_as_unfused():
    weights, types = _lenet_weights_after_training(fuse=True)
    want, plain_types = _lenet_weights_after_training(fuse=False)
    assert _fused_types(types) == {
        "_FusedConv2D": 2,
        "_FusedMatMul": 2,
        "_FusedReluGrad": 1,  # fc1's; each conv layer's is in its _FusedMaxPoolGrad
        "_FusedMaxPoolGrad": 2,
    }
    assert len(plain_types) - len(types) == 2 * 2 + 2 + 1 + 1 + 2 * 2  # each chain's ops but one
    for value, expected in zip(weights, want):
        np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-7)


def test_fused_steps_run_side_by_side_as_in_the_reference_loop():
    weights, types = _lenet_weights_after_training(fuse=True, workers=2)
    want, _ = _lenet_weights_after_training(fuse=True, workers=1)
    assert "_FusedConv2D" in types
    for value, expected in zip(weights, want):
        np.testing.assert_array_equal(value, expected)


# -- chains left alone ---------------------------------------------------------------------------


def _dense(bias_shape=(3,), dtype=tf.float32):
    x = tf.placeholder(dtype, [None, 2])
    w = tf.Variable(np.arange(6).reshape(2, 3), dtype=dtype)
    bias = tf.Variable(np.full(bias_shape, -4), dtype=dtype)
    product = tf.matmul(x, w)
    return x, product, bias, np.array([[1, 2], [-1, 3]], dtype.as_numpy_dtype)


def _relu_of(product, bias):
    return tf.nn.relu(product + bias)


@pytest.mark.parametrize(
    "case",
    ["reference", "product read twice", "bias of unknown size", "bias of two axes", "int32",
     "a control dependency on the add", "bias made after the product"],
)  # fmt: skip
def test_chains_that_must_not_be_fused_are_not(case):
    dtype = tf.int32 if case == "int32" else tf.float32
    bias_shape = {"bias of two axes": (1, 3)}.get(case, (3,))
    x, product, bias, x_value = _dense(bias_shape, dtype)
    if case == "bias of unknown size":
        bias = tf.placeholder_with_default(bias, [None])
    if case == "bias made after the product":
        bias = tf.Variable(np.full(3, -4), dtype=dtype) + 0
    out = _relu_of(product, bias)
    fetches = [out]
    if case == "product read twice":
        fetches.append(tf.reduce_sum(product))
    if case == "a control dependency on the add":
        with tf.control_dependencies([out.op.inputs[0].op]):
            fetches.append(tf.identity(x))
    values, types = _run(fetches, {x: x_value})
    np.testing.assert_array_equal(
        values[0], np.maximum(x_value @ np.arange(6).reshape(2, 3) - 4, 0)
    )
    assert bool(_fused_types(types)) == (case == "reference")


def test_remapping_off_runs_every_op_by_itself():
    x, product, bias, x_value = _dense()
    out = _relu_of(product, bias)
    _, types = _run([out], {x: x_value}, fuse=False)
    assert types.count("MatMul") == types.count("Add") == types.count("Relu") == 1


# -- what a fused step looks like from outside ---------------------------------------------------


def test_a_trace_shows_the_fused_step_under_its_last_ops_name():
    x, product, bias, x_value = _dense()
    out = _relu_of(product, bias)
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    metadata = tf.RunMetadata()
    with _session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(out, {x: x_value}, options=options, run_metadata=metadata)
    labels = {n.node_name: n.timeline_label for n in metadata.step_stats.dev_stats[0].node_stats}
    assert labels[out.op.name] == (
        f"{out.op.name} = _FusedMatMul(Placeholder, Variable/read, Variable_1/read)"
    )
    assert product.op.name not in labels and out.op.inputs[0].op.name not in labels


def test_an_error_inside_a_fused_step_names_the_op_that_failed():
    x = tf.placeholder(tf.float32, [None, None, None, None])
    w = tf.Variable(tf.ones([3, 3, 2, 4]))
    out = tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME") + tf.Variable(tf.zeros([4])))
    messages = []
    for fuse in (True, False):
        with _session(fuse) as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError) as raised:
                sess.run(out, {x: np.ones((1, 5, 5, 3), np.float32)})  # 3 channels, not 2
            messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert "[[node Conv2D (Conv2D)]]" in messages[0] and "C_in = 2" in messages[0]
