"""Start-up cost of the Numba kernels: a cold start (nothing compiled yet) against a warm one
(the ``cache=True`` files from the cold start are reused).

Each start is a fresh Python process that imports tutorflow, builds the seed's LeNet-5 and runs
one Adam training step and one evaluation on a batch of 50 (tutorflow.course.models): every
kernel the course uses is compiled (cold) or loaded from the cache (warm). NUMBA_CACHE_DIR
points both at one new temporary folder, so the project's own cache is left alone.

    python bench/bench_startup.py
"""

import os
import subprocess
import sys
import tempfile
import time

FIRST_STEP = """
import time
start = time.perf_counter()
import numpy as np
import tutorflow as tf
from tutorflow.course import models
model = models.lenet5()
images = np.random.default_rng(0).random((50, 784), dtype=np.float32)
labels = np.eye(10, dtype=np.float32)[np.arange(50) % 10]
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(model.train_step, model.feed(images, labels, training=True))
    sess.run(model.probabilities, model.feed(images))
print(time.perf_counter() - start)
"""

def start(cache_dir: str) -> tuple[float, float]:
    """Seconds from interpreter start-up to the end of the first step, and the process's wall."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    began = time.perf_counter()
    command = [sys.executable, "-c", FIRST_STEP]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - began
    if done.returncode:
        raise SystemExit(done.stderr)
    return float(done.stdout.strip().splitlines()[-1]), wall


def main() -> None:
    with tempfile.TemporaryDirectory() as cache_dir:
        for label in ("cold (compiling every kernel)", "warm (kernels from the cache)", "warm again"):
            inside, wall = start(cache_dir)
            print(f"{label:32s} import to first step {inside:5.2f} s, whole process {wall:5.2f} s")


if __name__ == "__main__":
    main()
