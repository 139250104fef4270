"""Time loading MNIST from the cache, and one training-sized next_batch.

python bench/bench_mnist_load.py [mnist|fashion]
"""

import statistics
import sys
import time

from tutorflow.datasets import mnist

LOADS = 5
BATCHES = 2000


def main(dataset: str = "mnist") -> None:
    paths = mnist.prefetch(dataset)  # fetch first if need be, so what follows times loading only
    print(f"{dataset} from {paths['train-images-idx3-ubyte'].parent}")
    seconds = []
    for _ in range(LOADS):
        start = time.perf_counter()
        data = mnist.read_data_sets("MNIST_data/", one_hot=True, dataset=dataset)
        seconds.append(time.perf_counter() - start)
        del data  # free the arrays, so each load starts from the same memory state
    print(
        f"read_data_sets(one_hot=True): median {statistics.median(seconds):.2f} s, "
        f"min {min(seconds):.2f} s, max {max(seconds):.2f} s over {LOADS} loads"
    )
    train = mnist.read_data_sets("MNIST_data/", one_hot=True, dataset=dataset).train
    start = time.perf_counter()
    for _ in range(BATCHES):
        train.next_batch(100)
    per_batch = (time.perf_counter() - start) / BATCHES
    print(f"next_batch(100): {per_batch * 1e6:.0f} µs")


if __name__ == "__main__":
    main(*sys.argv[1:])
