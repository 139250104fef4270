"""LeNet-5 training step (the seed tutorial's model, batch 50): tutorflow vs TF 1.x vs PyTorch.

Runs each framework that is installed, in this one process, with the same thread count, on the
same MNIST batches, taking turns in rounds so that the machine's busy moments fall on all of
them alike, and prints ms/step and the ratio to tutorflow, round by round. With --profile,
per-op profiles of TF's step (its own trace) and of tutorflow's. Then the time to evaluate the
10,000 test images, and the peak memory.

It first prints which kernels numpy's BLAS runs: OpenBLAS picks them for the CPU unless
OPENBLAS_CORETYPE names them, and on an AVX-512 CPU its AVX2 ("Haswell") kernels take up to
1.8 times as long for the same matrix product. TF and PyTorch bring their own kernels: TF
runs oneDNN's where the CPU has AVX-512, unless TF_ENABLE_ONEDNN_OPTS=0 gives it the Eigen
kernels that TF 1.x ran. The script prints which.

    python bench/bench_lenet.py [--steps 100] [--threads 2] [--inter-op 1] [--profile]
    python bench/bench_lenet.py --full-run 20000   # the seed's whole training, once each

With --full-run, each framework in turn trains the seed's way from fresh weights (``next_batch``
of 50, the batch's accuracy every 100 steps, dropout 0.5), then tests on the 10,000 test
images; it prints the wall time, the accuracy and the ratio of the times.

PyTorch: ``pip install torch==2.13.0``; TF: ``pip install tensorflow-cpu`` (compat.v1 graph mode).
Set the thread count before numpy starts: this script sets OMP/OPENBLAS variables itself.
"""

import argparse
import os
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--steps", type=int, default=100, help="timed steps per round")
parser.add_argument("--repeats", type=int, default=5, help="rounds, frameworks taking turns")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--inter-op", type=int, default=1, help="tutorflow's workers (ConfigProto)")
parser.add_argument("--profile", action="store_true", help="per-op profiles of the steps")
parser.add_argument("--only", choices=["tutorflow", "tensorflow", "torch"], action="append")
parser.add_argument("--full-run", type=int, metavar="STEPS", help="train this many steps, once")
ARGS = parser.parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TF's profiler from logging each trace

import numpy as np  # noqa: E402
from peers import numpy_blas, ops_of, session_config, tf_compat_v1  # noqa: E402

from tutorflow.datasets import mnist as mnist_data  # noqa: E402

BATCH = 50


# fmt: off
def lenet(tf, x, keep_prob):
    """The seed's LeNet-5, verbatim apart from being a function."""
    x_image = tf.reshape(x, [-1, 28, 28, 1])
    W_conv1 = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))
    b_conv1 = tf.Variable(tf.constant(0.1, shape=[32]))
    h_conv1 = tf.nn.relu(tf.nn.conv2d(x_image, W_conv1, strides=[1, 1, 1, 1], padding="SAME") + b_conv1)
    h_pool1 = tf.nn.max_pool(h_conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    W_conv2 = tf.Variable(tf.truncated_normal([5, 5, 32, 64], stddev=0.1))
    b_conv2 = tf.Variable(tf.constant(0.1, shape=[64]))
    h_conv2 = tf.nn.relu(tf.nn.conv2d(h_pool1, W_conv2, strides=[1, 1, 1, 1], padding="SAME") + b_conv2)
    h_pool2 = tf.nn.max_pool(h_conv2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    W_fc1 = tf.Variable(tf.truncated_normal([7 * 7 * 64, 1024], stddev=0.1))
    b_fc1 = tf.Variable(tf.constant(0.1, shape=[1024]))
    h_pool2_flat = tf.reshape(h_pool2, [-1, 7 * 7 * 64])
    h_fc1 = tf.nn.relu(tf.matmul(h_pool2_flat, W_fc1) + b_fc1)
    h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)
    W_fc2 = tf.Variable(tf.truncated_normal([1024, 10], stddev=0.1))
    b_fc2 = tf.Variable(tf.constant(0.1, shape=[10]))
    return tf.matmul(h_fc1_drop, W_fc2) + b_fc2
# fmt: on


class GraphModeLeNet:
    """The seed's graph and training step on a TF 1.x-style module (tutorflow or TF's compat.v1)."""

    def __init__(self, tf):
        self.tf = tf
        self.x = tf.placeholder(tf.float32, [None, 784])
        self.y_ = tf.placeholder(tf.float32, [None, 10])
        self.keep_prob = tf.placeholder(tf.float32)
        y_conv = lenet(tf, self.x, self.keep_prob)
        cross_entropy = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits(labels=self.y_, logits=y_conv)
        )
        self.train_step = tf.train.AdamOptimizer(1e-4).minimize(cross_entropy)
        correct = tf.equal(tf.argmax(y_conv, 1), tf.argmax(self.y_, 1))
        self.accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        self.sess = tf.Session(config=session_config(tf, ARGS.threads, ARGS.inter_op))
        self.sess.run(tf.global_variables_initializer())

    def step(self, xs, ys):
        self.sess.run(self.train_step, {self.x: xs, self.y_: ys, self.keep_prob: 0.5})

    def evaluate(self, xs, ys):
        return self.sess.run(self.accuracy, {self.x: xs, self.y_: ys, self.keep_prob: 1.0})


class TorchLeNet:
    """The same network and Adam step in PyTorch (eager, NCHW)."""

    def __init__(self, torch):
        torch.set_num_threads(ARGS.threads)
        nn = torch.nn
        self.torch = torch
        self.model = nn.Sequential(
            nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(7 * 7 * 64, 1024), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(1024, 10),
        )  # fmt: skip
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-4)
        self.loss = nn.CrossEntropyLoss()

    def step(self, xs, ys):
        torch = self.torch
        self.model.train()
        images = torch.from_numpy(xs).reshape(-1, 1, 28, 28)
        labels = torch.from_numpy(ys.argmax(1))
        self.optimizer.zero_grad()
        self.loss(self.model(images), labels).backward()
        self.optimizer.step()

    def evaluate(self, xs, ys):
        self.model.eval()
        with self.torch.no_grad():
            logits = self.model(self.torch.from_numpy(xs).reshape(-1, 1, 28, 28))
        return float((logits.argmax(1).numpy() == ys.argmax(1)).mean())


def _frameworks():
    wanted = ARGS.only or ["tutorflow", "tensorflow", "torch"]
    if "tutorflow" in wanted:
        import tutorflow

        yield "tutorflow", lambda: GraphModeLeNet(tutorflow)
    if "tensorflow" in wanted:
        tf1 = tf_compat_v1()
        if tf1 is not None:
            yield "TF 1.x graph", lambda: GraphModeLeNet(tf1)
    if "torch" in wanted:
        try:
            import torch

            yield "PyTorch", lambda: TorchLeNet(torch)
        except ImportError:
            print("torch not installed: skipped (pip install torch==2.13.0)")


def time_steps(models: dict, batches) -> dict:
    """ms per training step of each model: rounds of ``len(batches)`` steps, the frameworks
    taking turns within each round so that a busy moment of the machine slows all of them
    alike. Returns each model's per-round figures."""
    for model in models.values():
        for xs, ys in batches[:10]:  # warm-up: compilation, allocator, caches
            model.step(xs, ys)
    rounds = {name: [] for name in models}
    for _ in range(ARGS.repeats):
        for name, model in models.items():
            start = time.perf_counter()
            for xs, ys in batches:
                model.step(xs, ys)
            rounds[name].append((time.perf_counter() - start) / len(batches) * 1e3)
    return rounds


def profile_tutorflow(model, batches) -> None:
    """Times every kernel call of tutorflow's cached plan for the training step."""
    totals = {}

    def timed(op, fn):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[op.type] = totals.get(op.type, 0.0) + time.perf_counter() - start

        return run

    model.step(*batches[0])
    (plan,) = [p for p in model.sess._plans.values() if model.train_step in ops_of(p)]
    plan.steps = [(op, timed(op, fn), *rest) for op, fn, *rest in plan.steps]
    start = time.perf_counter()
    for xs, ys in batches:
        model.step(xs, ys)
    total = (time.perf_counter() - start) / len(batches) * 1e3
    print(f"\nper-op profile of tutorflow's step ({total:.1f} ms/step in all):")
    kernel_total = 0.0
    for op_type, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        ms = seconds / len(batches) * 1e3
        kernel_total += ms
        if ms >= 0.05:
            print(f"  {op_type:<24} {ms:7.2f} ms  {ms / total:6.1%}")
    overhead = total - kernel_total
    print(f"  {'(engine overhead)':<24} {overhead:7.2f} ms  {overhead / total:6.1%}")


def profile_tensorflow(model, batches) -> None:
    """TF's own per-op trace of its step. TF runs independent ops side by side (two inter-op
    threads), so its op times add up to more than its step takes."""
    tf = model.tf
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    totals = {}
    for xs, ys in batches:
        metadata = tf.RunMetadata()
        feed = {model.x: xs, model.y_: ys, model.keep_prob: 0.5}
        model.sess.run(model.train_step, feed, options=options, run_metadata=metadata)
        for device in metadata.step_stats.dev_stats:
            for node in device.node_stats:
                label = node.timeline_label  # "name = OpType(inputs)"
                op_type = label.split("= ")[-1].split("(")[0].strip() or node.node_name
                totals[op_type] = totals.get(op_type, 0.0) + node.all_end_rel_micros / 1e3
    summed = sum(totals.values()) / len(batches)
    print(f"\nper-op profile of TF 1.x's step (op times add up to {summed:.1f} ms/step):")
    for op_type, ms in sorted(totals.items(), key=lambda kv: -kv[1]):
        if ms / len(batches) >= 0.05:
            print(f"  {op_type:<30} {ms / len(batches):7.2f} ms")


def full_run(steps: int) -> None:
    """The seed's training loop, timed from the first batch to the test accuracy."""
    print(f"LeNet-5, the seed's whole training: {steps} steps, {ARGS.threads} threads")
    print(numpy_blas())
    minutes = {}
    for name, build in _frameworks():
        data = mnist_data.read_data_sets("MNIST_data/", one_hot=True, seed=0)  # same batches
        model = build()
        start = time.perf_counter()
        for i in range(steps):
            xs, ys = data.train.next_batch(BATCH)
            if i % 100 == 0:
                model.evaluate(xs, ys)
            model.step(xs, ys)
        accuracy = model.evaluate(data.test.images, data.test.labels)
        minutes[name] = (time.perf_counter() - start) / 60
        print(f"  {name:<14} {minutes[name]:6.2f} min, test accuracy {accuracy:.4f}", flush=True)
    for name, taken in minutes.items():
        if name != "tutorflow" and "tutorflow" in minutes:
            print(f"  tutorflow / {name}: {minutes['tutorflow'] / taken:.2f}")


def main() -> None:
    if ARGS.full_run:
        return full_run(ARGS.full_run)
    data = mnist_data.read_data_sets("MNIST_data/", one_hot=True)
    rng = np.random.default_rng(0)
    batches = []
    for _ in range(ARGS.steps):
        index = rng.integers(0, data.train.num_examples, BATCH)
        batches.append((data.train.images[index], data.train.labels[index]))
    print(
        f"LeNet-5 training step, batch {BATCH}, {ARGS.threads} threads,"
        f" {ARGS.steps} steps x {ARGS.repeats} rounds"
    )
    print(numpy_blas())
    models = {name: build() for name, build in _frameworks()}
    rounds = time_steps(models, batches)
    for name, ms in rounds.items():
        print(f"  {name:<14} {np.median(ms):7.1f} ms/step (rounds {min(ms):.1f}-{max(ms):.1f})")
    if "tutorflow" in rounds:
        ours = np.array(rounds["tutorflow"])
        for name, ms in rounds.items():
            if name != "tutorflow":
                ratios = ours / np.array(ms)  # round by round: the same moment of the machine
                spread = f"rounds {ratios.min():.2f}-{ratios.max():.2f}"
                print(f"  tutorflow / {name}: {np.median(ratios):.2f} ({spread})")
    if ARGS.profile and "TF 1.x graph" in models:
        profile_tensorflow(models["TF 1.x graph"], batches[:20])
    if "tutorflow" in models:
        model = models["tutorflow"]
        if ARGS.profile:
            profile_tutorflow(model, batches)
        start = time.perf_counter()
        accuracy = model.evaluate(data.test.images, data.test.labels)
        seconds = time.perf_counter() - start
        print(
            f"\nevaluating 10,000 test images in one feed: {seconds:.2f} s"
            f" (accuracy {accuracy:.3f})"
        )
    if sys.platform.startswith("linux"):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
