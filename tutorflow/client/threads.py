"""A session's threads, as ``tf.ConfigProto`` sets them.

``inter_op_parallelism_threads`` (N): how many threads run ready ops side by side (the caller's
thread and N - 1 helpers; 1 runs the plan's reference loop). ``intra_op_parallelism_threads``
(M): into how many parts one op's work is cut, to run at once (loops/split.py); numpy's BLAS
runs on one thread meanwhile. 0, TF's default, lets the system pick; `thread_counts` says what
it picks, and why.
"""

from __future__ import annotations

import os

from ..loops import split


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def thread_counts(config) -> tuple[int, int | None]:
    """``(N, M)`` from a ``ConfigProto`` (or None): N workers, and M parts per op, None for as
    many as BLAS has threads (``OPENBLAS_NUM_THREADS``, else one per core).

    N's default is 1, the plan's reference loop: on LeNet-5's training step, measured on the
    course's 2-core machine, two workers took 32 ms a step against the loop's 30, each op's
    work already cut in two. Ask for more with ``inter_op_parallelism_threads``.
    """
    inter = getattr(config, "inter_op_parallelism_threads", 0)
    intra = getattr(config, "intra_op_parallelism_threads", 0)
    if inter < 0 or intra < 0:
        raise ValueError(
            f"inter_op_parallelism_threads ({inter}) and intra_op_parallelism_threads "
            f"({intra}) must be 0 (let the system pick) or positive"
        )
    return inter or 1, intra or None


class IntraOpThreads:
    """One run's intra-op threads: each op's work cut into ``parts`` (loops/split.py; None:
    as many as BLAS's threads), and numpy's BLAS on one thread meanwhile, so that its own
    threads neither spin nor fight the parts (the small products that are not cut run as fast
    on one). A ``with`` block restores what it found."""

    def __init__(self, parts: int | None):
        self.parts = parts
        self._found = None

    def __enter__(self):
        libraries = _blas_libraries()
        self._found = split.threads(), [library.get_num_threads() for library in libraries]
        parts = self.parts or max(self._found[1], default=cores())
        if parts != self._found[0]:
            split.set_threads(parts)
        for library, count in zip(libraries, self._found[1]):
            if count != 1:
                library.set_num_threads(1)
        return self

    def __exit__(self, *exc_info):
        parts, counts = self._found
        if parts != split.threads():
            split.set_threads(parts)
        for library, count in zip(_blas_libraries(), counts):
            if count != 1:
                library.set_num_threads(count)


_blas = None


def _blas_libraries() -> list:
    """threadpoolctl's handles on the BLAS libraries loaded in this process (found once)."""
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = [c for c in ThreadpoolController().lib_controllers if c.user_api == "blas"]
    return _blas
