"""A session's threads, as ``tf.ConfigProto`` sets them.

``inter_op_parallelism_threads`` (N): how many threads run ready ops side by side (the caller's
thread and N - 1 helpers; 1 runs the plan's reference loop). ``intra_op_parallelism_threads``
(M): how many threads one op may use, here BLAS's (numpy's matrix products). 0, TF's default,
lets the system pick; `thread_counts` says what it picks, and why.
"""

from __future__ import annotations

import os


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def thread_counts(config) -> tuple[int, int | None]:
    """``(N, M)`` from a ``ConfigProto`` (or None): N workers, and M BLAS threads, None to
    leave BLAS as it starts (``OPENBLAS_NUM_THREADS``, else one per core).

    N's default is 1, the plan's reference loop: on LeNet-5's training step, measured on the
    course's 2-core machine, two workers took 41-43 ms a step against the loop's 35
    (bench/bench_lenet.py). Ask for more with ``inter_op_parallelism_threads``.
    """
    inter = getattr(config, "inter_op_parallelism_threads", 0)
    intra = getattr(config, "intra_op_parallelism_threads", 0)
    if inter < 0 or intra < 0:
        raise ValueError(
            f"inter_op_parallelism_threads ({inter}) and intra_op_parallelism_threads "
            f"({intra}) must be 0 (let the system pick) or positive"
        )
    return inter or 1, intra or None


class BlasThreads:
    """numpy's BLAS thread count for the ops of one run: ``alone`` threads for an op that runs
    by itself, ``shared`` for one that runs beside others (None: as BLAS started).

    OpenBLAS's count is the process's, not a thread's, so it changes only where that is safe:
    to ``alone`` when no other op runs, and to ``shared`` beside ops that run with ``shared``
    already. A ``with`` block restores the count it found.
    """

    def __init__(self, alone: int | None, shared: int | None):
        self.alone, self.shared = alone, shared
        wanted = alone is not None or (shared is not None and shared != alone)
        self._libraries = _blas_libraries() if wanted else []
        self._found = self._current = None

    def __enter__(self):
        if self._libraries:
            self._found = self._current = self._libraries[0].get_num_threads()
        return self

    def use(self, alone: bool) -> None:
        """Sets the count for the op about to start."""
        count = (self.alone if alone else self.shared) or self._found
        if count != self._current:
            for library in self._libraries:
                library.set_num_threads(count)
            self._current = count

    def __exit__(self, *exc_info):
        if self._libraries and self._current != self._found:
            for library in self._libraries:
                library.set_num_threads(self._found)


def shared_blas_threads(workers: int, blas_threads: int | None) -> int | None:
    """BLAS threads for each of ``workers`` ops run side by side: a share of the cores."""
    if workers == 1:
        return blas_threads
    return max(1, (blas_threads or cores()) // workers)


_blas = None


def _blas_libraries() -> list:
    """threadpoolctl's handles on the BLAS libraries loaded in this process (found once)."""
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = [c for c in ThreadpoolController().lib_controllers if c.user_api == "blas"]
    return _blas
