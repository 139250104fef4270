"""When a loop runs on several threads: large arrays only, on a thread-safe threading layer.

A session runs one op at a time, so while a loop over LeNet's activations or its 3.27M
parameters runs (0.1-2 ms), the other cores idle. Each such loop has a parallel twin
(``parallel=True``) that splits its work over Numba's threads. Waking them costs a few
microseconds, more than a loop over a few thousand values takes: below `PARALLEL_MIN_VALUES`
the serial loop runs (the crossover measured in bench/bench_loops.py).

Numba's threads come from its threading layer, chosen once per process. We ask for a
thread-safe one (TBB, or GNU OpenMP on Linux), unless ``NUMBA_THREADING_LAYER`` names one:
the side-by-side executor may start two loops at once, and the workqueue layer aborts the
process then (it was also 2x slower here). GNU OpenMP cannot run in a child forked after it
loaded (multiprocessing's default start on Linux): there the loops stay serial.

How many threads: ``numba.set_num_threads``, per calling thread (1 keeps every loop serial).
"""

import os

import numba
from numba import njit

PARALLEL_MIN_VALUES = 1 << 15  # about the crossover on LeNet's loops at 2 threads

_THREAD_SAFE_LAYERS = ("tbb", "omp")
_layer_ok = None  # None until the first large loop loads the threading layer


def threads_for(values: int) -> int:
    """How many of Numba's threads a loop over ``values`` values should use (1: run serially).

    Passed to the parallel twin: a compiled loop that asks Numba itself can't be cached."""
    global _layer_ok
    if values < PARALLEL_MIN_VALUES:
        return 1
    if _layer_ok is None:
        _layer_ok = _load_thread_safe_layer()
    return numba.get_num_threads() if _layer_ok else 1


@njit(cache=True, nogil=True)
def share(size, part, parts):
    """Part ``part`` of ``parts`` of range(size), as (start, stop): contiguous, sizes within 1."""
    return size * part // parts, size * (part + 1) // parts


def _load_thread_safe_layer() -> bool:
    if "NUMBA_THREADING_LAYER" not in os.environ:
        numba.config.THREADING_LAYER = "threadsafe"  # only if Numba's threads haven't started
    try:
        numba.get_num_threads()  # starts them
    except ValueError:  # neither TBB nor OpenMP: leave Numba's default to the user's own code
        numba.config.THREADING_LAYER = "default"
        return False
    return numba.threading_layer() in _THREAD_SAFE_LAYERS


def _after_fork_in_child() -> None:
    global _layer_ok
    try:
        inherited = numba.threading_layer()
    except ValueError:  # no layer loaded before the fork: the child may load its own
        return
    if inherited == "omp":
        _layer_ok = False  # GNU OpenMP's threads are the parent's: using it ends the child


if hasattr(os, "register_at_fork"):  # not on Windows, which never forks
    os.register_at_fork(after_in_child=_after_fork_in_child)
