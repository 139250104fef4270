"""Helper threads that take a part of an op's work within microseconds: they wait by spinning.

A thread that sleeps (on a lock, an event, a queue) takes 20-30 us to wake on the course's
virtual machines, and then often waits again for Python's GIL. Handing a part to a sleeping
helper and waiting for it to finish cost about 100 us; a LeNet-5 training step does it some 40
times (measured: 3.7 ms of a 26 ms step).

So a helper, once it has finished a part, keeps looking for the next one for about a
millisecond (`SPINS` looks) before it sleeps, and the caller looks for the helper's result the
same way. They look in a Numba loop that runs outside the GIL and gives the core away between
looks (``sched_yield``), so that any other thread or program that wants it runs. A hand-over
then takes a few microseconds. Where ``sched_yield`` is missing (Windows), nobody spins: the
threads sleep and wake through events, as before.

Each helper's ``signals`` array says how many parts it was handed and finished (parts are
numbered 1, 2, ...), and who sleeps. A part is run by whoever claims it first: the helper, or
the caller when the helper has not started it.
"""

from __future__ import annotations

import os
import threading
from typing import Callable

import numpy as np
from numba import njit, types

HANDED, FINISHED, ASLEEP, CALLER_ASLEEP = range(4)  # the indices of ``Helper.signals``
SPINS = 4096 if os.name == "posix" else 0  # looks before sleeping: about 1 ms here
_YIELDS_BEFORE_GIL = 3  # after seeing a part: the caller lets go of the GIL meanwhile
_CALLER_NAP = 0.001  # seconds: a sleeping caller looks again this often

_sched_yield = types.ExternalFunction("sched_yield", types.int32())  # libc's, on POSIX


@njit(cache=True, nogil=True)
def _await_change(signals, index, seen, spins, yields_after):
    """``signals[index]`` once it differs from ``seen``, or as it is after ``spins`` looks."""
    for _ in range(spins):
        value = signals[index]
        if value != seen:
            for _ in range(yields_after):
                _sched_yield()
            return value
        _sched_yield()  # an opaque call: the compiler must read signals[index] again
    return signals[index]


@njit(cache=True, nogil=True)
def _finish_and_await(signals, finished, spins, yields_after):
    """Says part ``finished`` is done, then looks for the next: from outside the GIL, so that
    the caller, seeing it done, does not find the GIL taken."""
    signals[FINISHED] = finished
    return _await_change(signals, HANDED, finished, spins, yields_after)


class Helper:
    """A thread that runs the parts handed to it, one at a time."""

    def __init__(self, name: str):
        self.signals = np.zeros(4, np.int64)
        self.task: Callable[[], object] | None = None
        self.error: BaseException | None = None
        self._claimed = 0  # the last part a thread took to run
        self._claim_lock = threading.Lock()
        self._wake = threading.Event()  # for a sleeping helper
        self._finished = threading.Event()  # for a sleeping caller
        threading.Thread(target=self._serve, name=name, daemon=True).start()

    def hand(self, number: int, task: Callable[[], object]) -> None:
        """Hands it part ``number``, greater than any handed before."""
        self.task, self.error = task, None
        self.signals[HANDED] = number
        if self.signals[ASLEEP]:
            self._wake.set()

    def wait(self, number: int) -> BaseException | None:
        """Part ``number``'s error, or None, once the part has run: here, if the helper has
        not started it."""
        if self._claim(number):
            return error_of(self._take_task())
        signals = self.signals
        while signals[FINISHED] != number:
            if SPINS:  # the parts are about equal: the helper's ends soon after the caller's
                _await_change(signals, FINISHED, signals[FINISHED], SPINS, 0)
                continue
            signals[CALLER_ASLEEP] = 1
            if signals[FINISHED] != number:
                self._finished.wait(_CALLER_NAP)
            self._finished.clear()
            signals[CALLER_ASLEEP] = 0
        error, self.error = self.error, None
        return error

    def _take_task(self) -> Callable[[], object]:
        """The part's task, no longer held here: its arrays are freed once it has run."""
        task, self.task = self.task, None
        return task

    def _claim(self, number: int) -> bool:
        """Whether this thread is the first to take part ``number``. A helper that saw a part
        long ago may ask after the caller has taken that part and later ones: numbers only
        grow, so it is refused."""
        with self._claim_lock:
            first = number > self._claimed
            if first:
                self._claimed = number
        return first

    def _serve(self) -> None:
        signals, finished = self.signals, 0
        handed = self._await_part(finished)
        while True:
            if self._claim(handed):
                self.error = error_of(self._take_task())
            finished = handed
            if SPINS:
                handed = _finish_and_await(signals, finished, SPINS, _YIELDS_BEFORE_GIL)
            else:
                signals[FINISHED] = finished
            if signals[CALLER_ASLEEP]:
                self._finished.set()
            if handed == finished:  # it has looked for long enough already
                handed = self._sleep_until_handed(finished)

    def _await_part(self, finished: int) -> int:
        """The number of the next part handed: looked for, then slept for."""
        if SPINS:
            handed = _await_change(self.signals, HANDED, finished, SPINS, _YIELDS_BEFORE_GIL)
            if handed != finished:
                return handed
        return self._sleep_until_handed(finished)

    def _sleep_until_handed(self, finished: int) -> int:
        """The number of the next part handed, slept for: `hand` wakes the helper."""
        signals = self.signals
        while signals[HANDED] == finished:
            signals[ASLEEP] = 1
            if signals[HANDED] == finished:  # checked after ASLEEP is set: hand() wakes it
                self._wake.wait()
            self._wake.clear()
            signals[ASLEEP] = 0
        return int(signals[HANDED])


def error_of(task: Callable[[], object]) -> BaseException | None:
    """Runs ``task``; returns what it raised, if anything."""
    try:
        task()
    except BaseException as error:  # every part ends before an error is raised
        return error
    return None
