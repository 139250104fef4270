"""Optimizers step for step against TF 1.x's update rules written out in numpy."""

from __future__ import annotations

import numpy as np
import pytest

import tutorflow as tf

_rng = np.random.default_rng(3)
X = _rng.standard_normal((6, 3))
Y = _rng.standard_normal((6, 1))
W0 = _rng.standard_normal((3, 1))
B0 = _rng.standard_normal(1)
C0 = _rng.standard_normal(2)
TINY = 1e-6  # the gradient of c: so small that Adam's epsilon matters

STEPS = 5


def build_problem(dtype):
    """Least squares in W and b, plus ``TINY * sum(c)``; returns (loss, [W, b, c])."""
    w = tf.Variable(W0.astype(dtype))
    b = tf.Variable(B0.astype(dtype))
    c = tf.Variable(C0.astype(dtype))
    x, y = tf.constant(X.astype(dtype)), tf.constant(Y.astype(dtype))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y)) + TINY * tf.reduce_sum(c)
    return loss, [w, b, c]


def numpy_gradients(params):
    w, b, c = params
    r = X @ w + b - Y
    return [2 * X.T @ r / r.size, 2 * r.sum(axis=0) / r.size, np.full_like(c, TINY)]


def f32(h):
    """TF 1.x turns Python hyperparameters into float32 tensors, then casts them to the
    variable's dtype: a float64 variable steps with float64(float32(lr))."""
    return float(np.float32(h))


class NumpyGradientDescent:
    def __init__(self, lr):
        self.lr = f32(lr)

    def step(self, params, grads):
        return [p - self.lr * g for p, g in zip(params, grads)]


class NumpyMomentum:
    def __init__(self, lr, momentum, nesterov=False):
        self.lr, self.momentum, self.nesterov = f32(lr), f32(momentum), nesterov
        self.accum = None

    def step(self, params, grads):
        if self.accum is None:
            self.accum = [np.zeros_like(p) for p in params]
        self.accum = [self.momentum * a + g for a, g in zip(self.accum, grads)]
        if self.nesterov:
            return [
                p - self.lr * g - self.lr * self.momentum * a
                for p, g, a in zip(params, grads, self.accum)
            ]
        return [p - self.lr * a for p, a in zip(params, self.accum)]


class NumpyAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.lr, self.beta1, self.beta2, self.epsilon = map(f32, (lr, beta1, beta2, epsilon))
        self.t = 0
        self.m = self.v = None
        # TF keeps beta1**t and beta2**t in float32 variables, multiplied once per step
        self.beta1_power, self.beta2_power = np.float32(beta1), np.float32(beta2)

    def step(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        b1p, b2p = float(self.beta1_power), float(self.beta2_power)
        assert np.isclose(b1p, self.beta1**self.t, rtol=1e-6)
        lr_t = self.lr * np.sqrt(1 - b2p) / (1 - b1p)
        self.m = [self.beta1 * m + (1 - self.beta1) * g for m, g in zip(self.m, grads)]
        self.v = [self.beta2 * v + (1 - self.beta2) * g * g for v, g in zip(self.v, grads)]
        self.beta1_power *= np.float32(self.beta1)
        self.beta2_power *= np.float32(self.beta2)
        return [
            p - lr_t * m / (np.sqrt(v) + self.epsilon) for p, m, v in zip(params, self.m, self.v)
        ]


OPTIMIZERS = {
    "sgd": (lambda: tf.train.GradientDescentOptimizer(0.1), lambda: NumpyGradientDescent(0.1)),
    "momentum": (lambda: tf.train.MomentumOptimizer(0.05, 0.9), lambda: NumpyMomentum(0.05, 0.9)),
    "nesterov": (
        lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
        lambda: NumpyMomentum(0.05, 0.9, nesterov=True),
    ),
    "adam_defaults": (lambda: tf.train.AdamOptimizer(), lambda: NumpyAdam()),
    "adam": (
        lambda: tf.train.AdamOptimizer(0.1, beta1=0.8, beta2=0.99, epsilon=1e-7),
        lambda: NumpyAdam(0.1, 0.8, 0.99, 1e-7),
    ),
}
TOLERANCES = {
    np.float32: {"rtol": 2e-5, "atol": 1e-6},
    np.float64: {"rtol": 1e-12, "atol": 1e-15},
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_steps_follow_the_tf1_update_rules(name, dtype):
    make_tf, make_numpy = OPTIMIZERS[name]
    loss, variables = build_problem(dtype)
    optimizer = make_tf()
    train = optimizer.minimize(loss)
    reference = make_numpy()
    params = [W0, B0, C0]
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for step in range(STEPS):
        assert sess.run(train) is None
        params = reference.step(params, numpy_gradients(params))
        values = sess.run(variables)
        for value, expected, var in zip(values, params, variables):
            assert value.dtype == dtype, var.name
            np.testing.assert_allclose(
                value, expected, **TOLERANCES[dtype], err_msg=f"{var.name} after step {step + 1}"
            )
    # the loss fetched before the last step was the loss at the parameters before it
    np.testing.assert_allclose(
        sess.run(loss),
        np.mean((X @ params[0] + params[1] - Y) ** 2) + TINY * params[2].sum(),
        **TOLERANCES[dtype],
    )
    if isinstance(reference, NumpyAdam):
        for var, m, v in zip(variables, reference.m, reference.v):
            np.testing.assert_allclose(
                sess.run(optimizer.get_slot(var, "m")), m, **TOLERANCES[dtype]
            )
            np.testing.assert_allclose(
                sess.run(optimizer.get_slot(var, "v")), v, **TOLERANCES[dtype]
            )
        graph = tf.get_default_graph()
        b1p = sess.run(graph.get_tensor_by_name("beta1_power:0"))
        b2p = sess.run(graph.get_tensor_by_name("beta2_power:0"))
        assert b1p.dtype == b2p.dtype == np.float32
        np.testing.assert_allclose([b1p, b2p], [reference.beta1_power, reference.beta2_power])
    if isinstance(reference, NumpyMomentum):
        for var, accum in zip(variables, reference.accum):
            slot = sess.run(optimizer.get_slot(var, "momentum"))
            np.testing.assert_allclose(slot, accum, **TOLERANCES[dtype])


def test_adam_epsilon_is_added_to_the_root_of_v():
    """With a gradient of 1e-6, sqrt(v) is about 3e-8 after one step, so epsilon = 1e-8 changes
    the step by a quarter: placing epsilon wrongly, or dropping it, shows."""
    c = tf.Variable(np.zeros(1))
    train = tf.train.AdamOptimizer(1.0).minimize(TINY * tf.reduce_sum(c))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    g, beta1, beta2 = TINY, f32(0.9), f32(0.999)
    m, v = (1 - beta1) * g, (1 - beta2) * g * g
    lr_t = np.sqrt(1 - beta2) / (1 - beta1)
    expected = -lr_t * m / (np.sqrt(v) + f32(1e-8))
    assert abs(expected) < 0.8 * lr_t * m / np.sqrt(v)  # epsilon does matter here
    np.testing.assert_allclose(sess.run(c), [expected], rtol=1e-12)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_scalar_and_one_element_variables_train(name):
    """Their gradients may arrive as read-only broadcasts of one value."""
    make_tf, make_numpy = OPTIMIZERS[name]
    scalar = tf.Variable(2.0, dtype=tf.float64)
    single = tf.Variable(np.array([-1.0]))
    loss = tf.reduce_sum(scalar) * 3.0 + tf.reduce_sum(single)
    train = make_tf().minimize(loss)
    reference = make_numpy()
    params = [np.float64(2.0), np.array([-1.0])]
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train)
        params = reference.step(params, [np.float64(3.0), np.array([1.0])])
    got_scalar, got_single = sess.run([scalar, single])
    assert np.shape(got_scalar) == () and got_single.shape == (1,)
    np.testing.assert_allclose(got_scalar, params[0], rtol=1e-12)
    np.testing.assert_allclose(got_single, params[1], rtol=1e-12)


def test_adam_creates_tf1_named_slots_and_powers():
    loss, (w, b, c) = build_problem(np.float32)
    optimizer = tf.train.AdamOptimizer()
    optimizer.minimize(loss)
    assert optimizer.get_slot(w, "m").name == "Variable/Adam:0"
    assert optimizer.get_slot(w, "v").name == "Variable/Adam_1:0"
    assert optimizer.get_slot(b, "m").name == "Variable_1/Adam:0"
    assert optimizer.get_slot_names() == ["m", "v"]
    names = [v.name for v in tf.global_variables()]
    assert "beta1_power:0" in names and "beta2_power:0" in names
    assert [v.name for v in tf.trainable_variables()] == [w.name, b.name, c.name]
    assert optimizer.get_slot(w, "m").shape.as_list() == [3, 1]


def test_momentum_slot_name():
    loss, (w, _, _) = build_problem(np.float32)
    optimizer = tf.train.MomentumOptimizer(0.1, 0.9)
    optimizer.minimize(loss)
    assert optimizer.get_slot(w, "momentum").name == "Variable/Momentum:0"
    assert optimizer.get_slot_names() == ["momentum"]
    assert len(tf.trainable_variables()) == 3  # slots are not trainable


def test_minimize_increments_the_global_step():
    loss, _ = build_problem(np.float32)
    global_step = tf.Variable(0, trainable=False, name="global_step")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train)
    assert sess.run(global_step) == 3
    assert global_step not in tf.trainable_variables()


def test_var_list_restricts_the_update():
    loss, (w, b, c) = build_problem(np.float64)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=[b])
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    np.testing.assert_array_equal(sess.run(w), W0)
    np.testing.assert_array_equal(sess.run(c), C0)
    np.testing.assert_allclose(sess.run(b), B0 - f32(0.1) * numpy_gradients([W0, B0, C0])[1])


def test_compute_gradients_pairs_and_apply_gradients_skips_none():
    loss, (w, b, c) = build_problem(np.float64)
    unrelated = tf.Variable(np.ones(3), name="unrelated")
    optimizer = tf.train.GradientDescentOptimizer(0.5)
    pairs = optimizer.compute_gradients(loss)
    assert [v for _, v in pairs] == [w, b, c, unrelated]
    assert pairs[3][0] is None
    assert all(g is not None for g, _ in pairs[:3])
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    grads = sess.run([g for g, _ in pairs[:3]])
    for got, expected in zip(grads, numpy_gradients([W0, B0, C0])):
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    # apply_gradients with modified gradients (gradient clipping is done this way)
    doubled = [(None if g is None else 2.0 * g, v) for g, v in pairs]
    train = optimizer.apply_gradients(doubled)
    sess.run(tf.variables_initializer([unrelated]))
    sess.run(train)
    np.testing.assert_allclose(sess.run(w), W0 - f32(0.5) * 2 * grads[0], rtol=1e-12)
    np.testing.assert_array_equal(sess.run(unrelated), np.ones(3))


def test_no_gradients_at_all_is_an_error():
    unrelated = tf.Variable(1.0)
    loss = tf.reduce_sum(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="No gradients"):
        tf.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=[unrelated])


def test_learning_rate_may_be_a_tensor():
    loss, (w, _, _) = build_problem(np.float32)
    lr = tf.placeholder(tf.float32, [])
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train, {lr: 0.0})
    np.testing.assert_allclose(sess.run(w), W0.astype(np.float32))
    sess.run(train, {lr: 0.25})
    expected = W0 - 0.25 * numpy_gradients([W0, B0, C0])[0]
    np.testing.assert_allclose(sess.run(w), expected, rtol=1e-5)


def test_minimize_over_an_int_loss_is_refused_when_built_as_in_tf():
    v = tf.Variable([1, 2], name="counts")
    loss = tf.reduce_sum(v * v, name="loss")
    with pytest.raises(ValueError) as raised:
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert (
        str(raised.value) == "Invalid type tf.int32 for loss:0, expected: [tf.float32, tf.float64]."
    )
