"""Softmax regression (the seed's first model, batch 100): 1000 steps on tutorflow vs TF 1.x.

The seed's code: x [None, 784], W and b zeros, y = xW + b, the mean of
``tf.nn.softmax_cross_entropy_with_logits``, GradientDescentOptimizer(0.5), 1000 steps each
fed ``mnist.train.next_batch(100)``, then the accuracy on the 10,000 test images in one feed.
Such a step is nearly all overhead: the arithmetic takes a fraction of it.

Runs tutorflow and, if it is installed, TF's compat.v1 graph mode, in this one process with
the same thread count, taking turns in rounds so that the machine's busy moments fall on both
alike, and prints seconds per 1000 steps and the ratio, round by round (compare the minimum).
A third row, "numpy floor", times the arithmetic alone: the same next_batch and the numpy
calls a step needs (softmax minus labels is the gradient of the logits), back to back.

Fair batches: TF 2 has no ``input_data``, so every contender calls the same tutorflow
``DataSet.next_batch(100)`` inside its timed loop, each on its own copy of MNIST read with the
same seed: each gathers the same 100 rows at the same step.

    python bench/bench_softmax.py [--steps 1000] [--threads 2] [--inter-op 1] [--profile]

TF: ``pip install tensorflow-cpu``. This script sets the OMP/OPENBLAS thread variables itself,
before numpy starts. With --profile, each kernel's time in tutorflow's step.
"""

import argparse
import os
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--steps", type=int, default=1000, help="timed steps per round")
parser.add_argument("--repeats", type=int, default=5, help="rounds, contenders taking turns")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--inter-op", type=int, default=1, help="tutorflow's workers (ConfigProto)")
parser.add_argument("--profile", action="store_true", help="per-op profile of our step")
parser.add_argument("--only", choices=["tutorflow", "tensorflow", "floor"], action="append")
ARGS = parser.parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from peers import numpy_blas, ops_of, session_config, tf_compat_v1  # noqa: E402

from tutorflow.datasets import mnist as mnist_data  # noqa: E402
from tutorflow.datasets.dataset import DataSet  # noqa: E402

BATCH = 100
LEARNING_RATE = 0.5


class GraphModeSoftmax:
    """The seed's softmax regression on a TF 1.x-style module (tutorflow or TF's compat.v1)."""

    def __init__(self, tf):
        self.tf = tf
        self.x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y = tf.matmul(self.x, W) + b
        self.y_ = tf.placeholder(tf.float32, [None, 10])
        cross_entropy = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits(labels=self.y_, logits=y)
        )
        self.train_step = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(cross_entropy)
        correct = tf.equal(tf.argmax(y, 1), tf.argmax(self.y_, 1))
        self.accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        self.init = tf.global_variables_initializer()
        self.sess = tf.Session(config=session_config(tf, ARGS.threads, ARGS.inter_op))
        self.sess.run(self.init)

    def train(self, train_set: DataSet, steps: int) -> None:
        """The seed's loop, as written."""
        for _ in range(steps):
            batch_xs, batch_ys = train_set.next_batch(BATCH)
            self.sess.run(self.train_step, feed_dict={self.x: batch_xs, self.y_: batch_ys})

    def evaluate(self, test_set: DataSet) -> float:
        feed = {self.x: test_set.images, self.y_: test_set.labels}
        return float(self.sess.run(self.accuracy, feed_dict=feed))


class NumpyFloor:
    """The arithmetic one step needs and nothing else: d loss / d logits = (softmax - labels)/N,
    then one product for W's gradient and one sum for b's."""

    def __init__(self):
        self.W = np.zeros((784, 10), np.float32)
        self.b = np.zeros(10, np.float32)

    def train(self, train_set: DataSet, steps: int) -> None:
        W, b = self.W, self.b
        for _ in range(steps):
            x, labels = train_set.next_batch(BATCH)
            logits = x @ W
            logits += b
            logits -= logits.max(axis=1, keepdims=True)
            np.exp(logits, out=logits)
            logits /= logits.sum(axis=1, keepdims=True)
            logits -= labels
            logits *= np.float32(LEARNING_RATE / BATCH)
            W -= x.T @ logits
            b -= logits.sum(axis=0)

    def evaluate(self, test_set: DataSet) -> float:
        predicted = (test_set.images @ self.W + self.b).argmax(1)
        return float(np.mean(predicted == test_set.labels.argmax(1)))


def _contenders():
    wanted = ARGS.only or ["tutorflow", "tensorflow", "floor"]
    if "tutorflow" in wanted:
        import tutorflow

        yield "tutorflow", lambda: GraphModeSoftmax(tutorflow)
    if "tensorflow" in wanted:
        tf1 = tf_compat_v1()
        if tf1 is not None:
            yield "TF 1.x graph", lambda: GraphModeSoftmax(tf1)
    if "floor" in wanted:
        yield "numpy floor", NumpyFloor


def time_rounds(models: dict, train_sets: dict) -> dict:
    """Seconds per ``ARGS.steps`` steps of each model, round by round, the models taking turns
    within each round so that a busy moment of the machine slows all of them alike."""
    for name, model in models.items():
        model.train(train_sets[name], 20)  # warm-up: plans, compilation, caches
    rounds = {name: [] for name in models}
    for _ in range(ARGS.repeats):
        for name, model in models.items():
            start = time.perf_counter()
            model.train(train_sets[name], ARGS.steps)
            rounds[name].append(time.perf_counter() - start)
    return rounds


def profile_tutorflow(model, train_set: DataSet) -> None:
    """Each kernel's time in our step (perf_counter around every kernel call of the cached
    plan), next_batch's, and what is left: the engine's bookkeeping between kernels. Each
    figure is the least of ``--repeats`` rounds."""
    rounds = {}

    def timed(op, kernel):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return kernel(*args, **kwargs)
            finally:
                totals[op.name] = totals.get(op.name, 0.0) + time.perf_counter() - start

        return run

    model.train(train_set, 1)
    (plan,) = [p for p in model.sess._plans.values() if model.train_step in ops_of(p)]
    untimed = plan.steps
    steps = ARGS.steps
    for _ in range(ARGS.repeats):
        totals = {}
        plan.steps = [(op, timed(op, kernel), *rest) for op, kernel, *rest in untimed]
        totals["(a step)"] = _seconds(lambda: model.train(train_set, steps))
        plan.steps = untimed
        totals["next_batch(100)"] = _seconds(lambda: _batches(train_set, steps))
        for name, seconds in totals.items():
            rounds.setdefault(name, []).append(seconds / steps * 1e6)
    us = {name: min(values) for name, values in rounds.items()}
    step, batches = us.pop("(a step)"), us.pop("next_batch(100)")
    print(f"\nper-op profile of tutorflow's step ({step:.0f} us a step with its kernels timed):")
    for name, micros in sorted(us.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<58} {micros:6.1f} us")
    kernels = sum(us.values())
    print(f"  {'(all kernels)':<58} {kernels:6.1f} us")
    print(f"  {'next_batch(100)':<58} {batches:6.1f} us")
    rest = step - kernels - batches
    print(f"  {'(the rest: session, feeds, plan loop, timing)':<58} {rest:6.1f} us")


def _batches(train_set: DataSet, steps: int) -> None:
    for _ in range(steps):
        train_set.next_batch(BATCH)


def _seconds(f) -> float:
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def main() -> None:
    def read():
        return mnist_data.read_data_sets("MNIST_data/", one_hot=True, seed=0)

    data = read()
    print(
        f"Softmax regression, batch {BATCH}, {ARGS.threads} threads,"
        f" {ARGS.steps} steps x {ARGS.repeats} rounds, next_batch({BATCH}) in every loop"
    )
    print(numpy_blas())
    models = {name: build() for name, build in _contenders()}
    train_sets = {name: read().train for name in models}  # the same rows at the same steps
    rounds = time_rounds(models, train_sets)
    print(f"  {'':<14} {f's per {ARGS.steps} steps':>22}")
    for name, seconds in rounds.items():
        print(
            f"  {name:<14} {min(seconds):7.3f} (min; rounds {min(seconds):.3f}-{max(seconds):.3f})"
        )
    if "tutorflow" in rounds:
        ours = np.array(rounds["tutorflow"])
        for name, seconds in rounds.items():
            if name != "tutorflow":
                ratios = ours / np.array(seconds)  # round by round: the same moment of the machine
                print(
                    f"  tutorflow / {name}: {ours.min() / min(seconds):.2f} of the minima"
                    f" (rounds {ratios.min():.2f}-{ratios.max():.2f})"
                )
    print(f"\naccuracy on the 10,000 test images after {ARGS.repeats * ARGS.steps + 20} steps:")
    for name, model in models.items():
        seconds = _seconds(lambda m=model: m.evaluate(data.test))
        print(f"  {name:<14} {model.evaluate(data.test):.4f}  (evaluated in {seconds:.3f} s)")
    if ARGS.profile and "tutorflow" in models:
        profile_tutorflow(models["tutorflow"], train_sets["tutorflow"])


if __name__ == "__main__":
    main()
