"""One op's work cut into parts that run at once: TF's intra-op threads.

numpy's matrix products and the Numba loops (compiled with ``nogil=True``) release Python's GIL,
so the parts of one product or one loop run side by side in Python threads: the caller's thread
takes the first part, helper threads the others (``handoff.py``: they take a part within
microseconds), and the caller takes back any part that no helper has started.

Parts replace BLAS's own threads: while a session runs, numpy's BLAS runs on one thread
(client/threads.py). After each product, OpenBLAS keeps its idle threads spinning for about
2**28 cycles (its ``OPENBLAS_THREAD_TIMEOUT``), on the cores that a loop, another op or another
program then needs; our helpers spin for a millisecond at most, and give the core to whoever
wants it meanwhile. Parts also reach what BLAS leaves on one thread: the small per-frequency
products of the Fourier-transform convolution, and the loops.

Each part writes its own slice of the output, so results are those of one thread, bit for bit,
except that a matrix product may round a little differently where its parts meet.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Callable

import numpy as np

from .handoff import Helper, error_of

# Below these sizes one thread is faster than handing a part over (measured here).
MIN_PART_VALUES = 2**15  # per part of a loop: values read or written
MIN_PART_MULTIPLY_ADDS = 2**21  # per part of a matrix product

_parts = 1
_helpers: list[Helper] = []  # grows with the count asked for, never shrinks
_growing = threading.Lock()
_handing = threading.Lock()  # one run hands parts at a time; another runs its own parts
_handed = 0  # how many parts were handed: the next part's number is one more


def threads() -> int:
    """How many parts one op's work is cut into at most (1: it runs on the caller's thread)."""
    return _parts


def set_threads(count: int) -> None:
    """Cut work into up to ``count`` parts, on the caller's thread and ``count - 1`` helpers."""
    global _parts
    if count < 1:
        raise ValueError(f"set_threads: count must be at least 1, got {count}")
    with _growing:
        while len(_helpers) < count - 1:
            _helpers.append(Helper("tutorflow-intra-op"))
        _parts = count


def run(tasks: list[Callable[[], object]]) -> None:
    """Runs ``tasks``, the first on this thread and the others on helpers; returns when all are
    done, raising the first task's error if any failed. While another thread's run has the
    helpers (two ops side by side), this one runs its tasks on its own thread."""
    global _handed
    if _parts == 1 or len(tasks) == 1 or not _handing.acquire(blocking=False):
        errors = [error_of(task) for task in tasks]
    else:
        try:
            handed = []
            for helper, task in zip(_helpers, tasks[1:]):
                _handed += 1
                helper.hand(_handed, task)
                handed.append((helper, _handed))
            errors = [error_of(task) for task in (tasks[0], *tasks[1 + len(handed) :])]
            errors[1:1] = [helper.wait(number) for helper, number in handed]
        finally:
            _handing.release()
    error = next((error for error in errors if error is not None), None)
    if error is not None:
        raise error


def ranges(count: int, values_each: int = 1, min_values: int | None = None) -> list:
    """``[(start, stop), ...]``: ``range(count)`` in up to `threads` parts of about equal size,
    each of at least ``min_values`` values (default `MIN_PART_VALUES`) when an item holds
    ``values_each``."""
    min_values = MIN_PART_VALUES if min_values is None else min_values
    parts = max(1, min(_parts, count * values_each // max(min_values, 1), count))
    bounds = [count * i // parts for i in range(parts + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def over(count: int, loop: Callable[[int, int], object], values_each: int = 1) -> None:
    """Calls ``loop(start, stop)`` on parts of ``range(count)`` at once (see `ranges`)."""
    if _parts == 1 or count * values_each < 2 * MIN_PART_VALUES:  # the common small case, fast
        loop(0, count)
        return
    run([partial(loop, start, stop) for start, stop in ranges(count, values_each)])


def summed_over(
    count: int, loop: Callable[[int, int, np.ndarray], object], width: int, values_each: int = 1
) -> np.ndarray:
    """Calls ``loop(start, stop, total)`` on parts of ``range(count)`` at once (see `ranges`),
    each part adding into a float64 ``total`` (width,) of its own; returns their sum."""
    parts = ranges(count, values_each)
    totals = np.zeros((len(parts), width), np.float64)
    run([partial(loop, start, stop, total) for (start, stop), total in zip(parts, totals)])
    return totals.sum(axis=0)


def matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` for matrices, or for stacks of them (3-D, along the first axis), with the
    output cut into parts: the stack's matrices, else the rows or the columns, whichever
    are more; or, where the inner axis is far longer than the output's, the inner axis, and
    the parts' products are added up."""
    if _few_rows_times_transposed(a, b):
        flipped = matmul(b.T, a.T)
        if out is None:
            return np.ascontiguousarray(flipped.T)
        np.copyto(out, flipped.T)
        return out
    multiply_adds = max(a.size * b.shape[-1], b.size * a.shape[-2])
    if _parts == 1 or multiply_adds < 2 * MIN_PART_MULTIPLY_ADDS:  # small: one part, fast
        return np.matmul(a, b, out=out)
    stacked = max(a.ndim, b.ndim) == 3
    if out is None:
        rows, cols = a.shape[-2], b.shape[-1]
        shape = ((a if a.ndim == 3 else b).shape[0], rows, cols) if stacked else (rows, cols)
        out = np.empty(shape, np.result_type(a, b))
    if not stacked and a.shape[1] >= 4 * max(out.shape):  # a long inner axis and a small out
        return _summed_over_inner(a, b, out, multiply_adds)
    axis_len = out.shape[0] if stacked else max(out.shape)
    parts = ranges(axis_len, multiply_adds // max(axis_len, 1), MIN_PART_MULTIPLY_ADDS)
    if len(parts) == 1:
        return np.matmul(a, b, out=out)
    if stacked:
        cut = [(_stack(a, i, j), _stack(b, i, j), out[i:j]) for i, j in parts]
    elif out.shape[0] >= out.shape[1]:
        cut = [(a[i:j], b, out[i:j]) for i, j in parts]
    else:
        cut = [(a, b[:, i:j], out[:, i:j]) for i, j in parts]
    run([partial(np.matmul, x, y, out=o) for x, y, o in cut])
    return out


def _few_rows_times_transposed(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether ``a @ b`` runs faster as ``(b.T @ a.T).T``: OpenBLAS takes up to 1.8 times as
    long to multiply a few rows by a long transposed matrix, such as a layer's input gradient
    ``dy @ W.T`` (bench/bench_loops.py)."""
    return (
        a.ndim == 2 == b.ndim
        and a.shape[0] <= 64
        and a.shape[1] >= 256
        and b.flags.f_contiguous
        and not b.flags.c_contiguous
    )


def _summed_over_inner(a, b, out, multiply_adds):
    """``a @ b`` as a sum of products over parts of the inner axis, each into its own matrix."""
    parts = ranges(a.shape[1], multiply_adds // a.shape[1], MIN_PART_MULTIPLY_ADDS)
    sums = [out] + [np.empty_like(out) for _ in parts[1:]]
    run([partial(np.matmul, a[:, i:j], b[i:j], out=o) for (i, j), o in zip(parts, sums)])
    for other in sums[1:]:
        out += other
    return out


def _stack(m: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Matrices ``start:stop`` of a stack; a single matrix stays, as numpy broadcasts it."""
    return m[start:stop] if m.ndim == 3 else m
