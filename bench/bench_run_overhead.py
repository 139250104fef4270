"""Time the per-``Session.run`` cost of the TF 1.x softmax-regression training step.

    python bench/bench_run_overhead.py            # about 15 seconds

The graph is the classic "MNIST for beginners" model: x [None, 784], W and b zeros,
y = softmax(xW + b), the mean cross-entropy -sum(y_ * log(y)), GradientDescentOptimizer(0.5).
It trains on one fixed batch of 100 real MNIST images. Prints, as "median (min)" over REPEATS
runs of STEPS steps (variables re-initialised before each, so every repeat does the same work):
  - ms per ``sess.run(train_step, feed_dict)`` and the time of 1000 steps;
  - the same with ``mnist.train.next_batch(100)`` inside the loop, as the tutorial's loop does;
  - numpy alone: the same ops the graph runs, one after another, and the fused minimal step
    (softmax minus labels); their difference from the engine is the framework's overhead;
  - the cost of building the plan (the first run) and of running a two-constant graph.
Timings on a shared 2-core machine vary by 10-20% from run to run; compare within one run.
"""

import time

import numpy as np

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data

BATCH = 100
STEPS = 1000
REPEATS = 5
LEARNING_RATE = 0.5
TF1_MS, TORCH_MS = 0.49, 0.56  # per step, measured elsewhere and quoted by issue 2


def timeit(f, repeat=REPEATS):
    """(median, min) seconds per call of f(), after one warm-up call."""
    f()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return np.median(times), min(times)


def show(name, seconds, steps=STEPS):
    """One table row: ms per step, and ms for all ``steps`` steps, both as median (min)."""
    median, best = seconds
    per_step = f"{1e3 * median / steps:6.3f} ({1e3 * best / steps:.3f})"
    total = f"{1e3 * median:6.1f} ({1e3 * best:.1f})"
    print(f"  {name:46s} {per_step:>16s}  {total:>16s}")


def softmax_regression():
    """The graph of the TF 1.x tutorial, built in a fresh default graph."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 784])
    W = tf.Variable(tf.zeros([784, 10]))
    b = tf.Variable(tf.zeros([10]))
    y = tf.nn.softmax(tf.matmul(x, W) + b)
    y_ = tf.placeholder(tf.float32, [None, 10])
    cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
    train_step = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(cross_entropy)
    return x, y_, cross_entropy, train_step


def numpy_op_by_op(W, b, x, labels):
    """The arithmetic the graph runs, op by op: forward, each op's gradient, the updates."""
    logits = x @ W + b
    shifted = logits - logits.max(axis=1, keepdims=True)
    exps = np.exp(shifted)
    y = exps / exps.sum(axis=1, keepdims=True)
    log_y = np.log(y)
    product = labels * log_y
    row_sums = product.sum(axis=1)
    negated = -row_sums
    np.mean(negated)  # the loss: the graph computes it on the way to its gradient
    d_negated = np.broadcast_to(np.float32(1 / len(x)), negated.shape)  # Mean's gradient
    d_row_sums = -d_negated
    d_product = np.broadcast_to(d_row_sums[:, None], product.shape)
    d_log_y = d_product * labels
    d_y = d_log_y / y
    d_logits = (d_y - (d_y * y).sum(axis=1, keepdims=True)) * y
    d_b = d_logits.sum(axis=0)
    d_W = x.T @ d_logits
    W -= LEARNING_RATE * d_W
    b -= LEARNING_RATE * d_b


def numpy_fused(W, b, x, labels):
    """The least arithmetic one step needs: d loss / d logits = (softmax - labels) / N."""
    logits = x @ W + b
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    d_logits = exps / exps.sum(axis=1, keepdims=True)
    d_logits -= labels
    d_logits *= LEARNING_RATE / len(x)
    W -= x.T @ d_logits
    b -= d_logits.sum(axis=0)


def main():
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    images, labels = mnist.train.images[:BATCH], mnist.train.labels[:BATCH]  # the same each time
    x, y_, cross_entropy, train_step = softmax_regression()
    init = tf.global_variables_initializer()
    feed = {x: images, y_: labels}
    sess = tf.Session()

    def train(next_batch=False):
        sess.run(init)
        for _ in range(STEPS):
            if next_batch:
                batch_xs, batch_ys = mnist.train.next_batch(BATCH)
                sess.run(train_step, feed_dict={x: batch_xs, y_: batch_ys})
            else:
                sess.run(train_step, feed_dict=feed)

    def numpy_train(step):
        W, b = np.zeros((784, 10), np.float32), np.zeros(10, np.float32)
        for _ in range(STEPS):
            step(W, b, images, labels)
        return W, b

    sess.run(init)
    first_run = _seconds(lambda: sess.run(train_step, feed))
    new_signature = _seconds(lambda: sess.run([train_step, cross_entropy], feed))
    check_engine_against_numpy(sess, init, train_step, feed, images, labels)

    print(f"Softmax regression on MNIST, batch {BATCH}, float32, median (min) of {REPEATS} repeats")
    print(f"  {'':46s} {'ms per step':>16s}  {f'ms per {STEPS} steps':>16s}")
    engine = timeit(train)
    loss = sess.run(cross_entropy, feed)
    show("sess.run(train_step), one fixed batch", engine)
    show("  the same, next_batch(100) in the loop", timeit(lambda: train(next_batch=True)))
    op_by_op = timeit(lambda: numpy_train(numpy_op_by_op))
    show("numpy alone, the graph's ops one by one", op_by_op)
    show("numpy alone, fused minimal step", timeit(lambda: numpy_train(numpy_fused)))
    overhead = 1e3 * (engine[0] - op_by_op[0]) / STEPS
    print(f"  framework overhead per run (engine - op by op): {overhead:.3f} ms")
    print(f"  for comparison (issue 2): TF 1.x {TF1_MS} ms, PyTorch {TORCH_MS} ms per step")
    W, b = numpy_train(numpy_fused)
    print(
        f"  loss after {STEPS} steps on the fixed batch: engine {loss:.4f}, "
        f"numpy {_numpy_loss(W, b, images, labels):.4f}"
    )
    tf.reset_default_graph()
    tiny = tf.constant(3) + tf.constant(2)
    with tf.Session() as small:
        show("sess.run(a + b) on two scalar constants", timeit(lambda: _repeat(small, tiny)))
    print(f"First run, plan built and Numba kernel loaded: {1e3 * first_run:.1f} ms")
    print(f"First run of a new (fetches, feeds) signature: {1e3 * new_signature:.1f} ms")
    sess.close()


def _seconds(f):
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def _numpy_loss(W, b, x, labels):
    logits = x @ W + b
    log_y = logits - logits.max(axis=1, keepdims=True)
    log_y -= np.log(np.exp(log_y).sum(axis=1, keepdims=True))
    return -np.mean(np.sum(labels * log_y, axis=1))


def _repeat(sess, fetch):
    for _ in range(STEPS):
        sess.run(fetch)


def check_engine_against_numpy(sess, init, train_step, feed, images, labels):
    """Ten engine steps and ten op-by-op numpy steps must reach the same weights."""
    sess.run(init)
    for _ in range(10):
        sess.run(train_step, feed)
    W, b = np.zeros((784, 10), np.float32), np.zeros(10, np.float32)
    for _ in range(10):
        numpy_op_by_op(W, b, images, labels)
    W_engine, b_engine = sess.run(tf.trainable_variables())
    np.testing.assert_allclose(W_engine, W, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(b_engine, b, rtol=1e-4, atol=1e-5)


if __name__ == "__main__":
    main()
