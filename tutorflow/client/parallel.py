"""Running a plan's ready ops side by side, as TF's inter-op thread pool does.

`Plan.run` is the reference: one op after another in the plan's order. Here the same steps run
on ``N`` workers (the caller's thread and ``N - 1`` helpers): each step waits for the steps that
produce its inputs (and for its control inputs); when the last one finishes, it joins a queue of
ready steps, taken lowest plan position first so that the order stays close to the reference's.
Kernels that release Python's GIL (numpy's BLAS, Numba loops compiled with ``nogil=True``) then
run at the same time: a layer's two gradients, Adam on one layer while the layer below it runs
its backward pass.

What the reference gets from its order, this executor keeps with counts:
- a value is dropped when its last reader finishes (not after a position in the plan);
- an in-place kernel overwrites an input only when no other reader of it is left;
- a step that updates a variable waits for the earlier steps that read the variable's value,
  and later readers wait for it, so every kernel sees the value that the plan's order gives it;
- if kernels fail, steps before the first failure in the plan's order still run, so the error
  raised is the one the reference raises. Steps after it that already ran stay run, as in TF.
"""

from __future__ import annotations

import heapq
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..framework import registry
from .plan import Plan, _forwardable, _scatter, _timed, raise_as_reference
from .threads import IntraOpThreads


class Schedule:
    """What a parallel run of ``plan`` counts down: for each step, how many steps it waits for
    and which steps wait for it; for each plan index, how many steps read it.

    ``worthwhile`` is False when no two steps can ever run at once (a chain): the reference
    loop is then as fast, with nothing to hand over between threads.
    """

    def __init__(self, plan: Plan):
        steps = plan.steps
        producer = {}
        for position, (_, _, _, output, multiple, _, _) in enumerate(steps):
            for index in output if multiple else (output,):
                producer[index] = position
        position_of = {step[0]: position for position, step in enumerate(steps)}
        waits_for = [set() for _ in steps]
        for position, (op, _, inputs, _, _, _, _) in enumerate(steps):
            waits_for[position].update(producer[i] for i in inputs if i in producer)
            waits_for[position].update(position_of[c] for c in op.control_inputs)
        for later, earlier in _variable_order(steps):
            waits_for[later].add(earlier)
        self.waiting = [len(earlier) for earlier in waits_for]
        self.successors = [[] for _ in steps]
        for position, earlier in enumerate(waits_for):
            for before in earlier:
                self.successors[before].append(position)
        self.keep = plan.kept
        self.readers = [0] * plan.size
        for _, _, inputs, _, _, _, _ in steps:
            for index in set(inputs):
                self.readers[index] += 1
        self.worthwhile = any(len(later) > 1 for later in self.successors) or (
            sum(count == 0 for count in self.waiting) > 1
        )


def _variable_order(steps):
    """Pairs ``(later, earlier)`` of steps whose order the plan's order fixes because of a
    variable: the steps that take its storage (reads, assignments, updates) keep their order,
    and the steps reading a value that aliases the storage (through ``aliases`` ops, such as
    its ``read`` Identity) stay between the storage steps around them."""
    producer_opdef, storage_users, alias_of = {}, {}, {}
    for position, (op, _, inputs, output, multiple, _, _) in enumerate(steps):
        opdef = registry.lookup(op.type)
        outputs = output if multiple else (output,)
        touched = {alias_of[i] for i in inputs if i in alias_of}
        takes = {i for i in inputs if producer_opdef.get(i) == "storage"}
        for variable in takes:
            storage_users.setdefault(variable, []).append((position, True))
        for variable in touched - takes:
            storage_users.setdefault(variable, []).append((position, False))
        for index in outputs:
            if opdef.stateful and opdef.aliases:  # a variable's storage
                producer_opdef[index] = "storage"
            elif opdef.aliases and (takes or touched):
                alias_of[index] = next(iter(takes or touched))
    for users in storage_users.values():
        last_storage_step, readers_since = None, []
        for position, takes_storage in users:
            if last_storage_step is not None:
                yield position, last_storage_step
            if takes_storage:
                yield from ((position, reader) for reader in readers_since)
                last_storage_step, readers_since = position, []
            else:
                readers_since.append(position)


class Executor:
    """Runs a session's plans: on ``workers`` threads (the caller's and ``workers - 1``
    helpers) where a plan has steps to run side by side, else with `Plan.run`. Each op's work
    is cut into ``parts`` (`threads.IntraOpThreads`)."""

    def __init__(self, workers: int, parts: int | None):
        self.workers = workers
        self._parts = parts
        self._pool = ThreadPoolExecutor(workers - 1, "tutorflow-worker") if workers > 1 else None
        self._schedules = {}

    def run(self, plan: Plan, feeds: dict, trace: list | None = None) -> list:
        """The values of ``plan``'s fetches, as `Plan.run` gives them."""
        schedule = self._schedule(plan)
        with IntraOpThreads(self._parts):
            if schedule is None:
                return plan.run(feeds, trace)
            return self._run_side_by_side(plan, schedule, feeds, trace)

    def _schedule(self, plan: Plan) -> Schedule | None:
        """``plan``'s schedule, or None where it runs with `Plan.run`."""
        if self._pool is None:
            return None
        if plan not in self._schedules:
            schedule = Schedule(plan)
            self._schedules[plan] = schedule if schedule.worthwhile else None
        return self._schedules[plan]

    def _run_side_by_side(self, plan, schedule, feeds, trace) -> list:
        values = [None] * plan.size
        _scatter(values, [plan.index_of[tensor] for tensor in feeds], feeds.values())
        steps = plan.steps if trace is None else [_timed(step, trace) for step in plan.steps]
        run = _ParallelRun(schedule, steps, values, plan.state)
        helpers = [self._pool.submit(run.work) for _ in range(self.workers - 1)]
        run.work()
        for helper in helpers:
            helper.result()
        run.raise_first_failure()
        return plan.fetched(values)

    def close(self) -> None:
        """Ends the helper threads."""
        if self._pool is not None:
            self._pool.shutdown()
        self._schedules.clear()


class _ParallelRun:
    """One run's counts, shared by its workers under one lock."""

    def __init__(self, schedule: Schedule, steps: list, values: list, state):
        self.schedule, self.steps, self.values = schedule, steps, values
        self.state, self.workspaces = state, state.start_run()
        self.waiting = list(schedule.waiting)
        self.readers_left = list(schedule.readers)
        self.ready = [position for position, count in enumerate(self.waiting) if count == 0]
        self.running = 0
        self.first_failure = len(steps)  # no step at or after it starts
        self.failures = []
        self.lock = threading.Condition()

    def work(self) -> None:
        """Runs ready steps until none is left to start; every worker, the caller included."""
        self.state.join_run(self.workspaces)  # one convolution leaves them for another
        try:
            with np.errstate(all="ignore"):  # log(0) is -inf, 0/0 is nan, silently, as in TF
                while (position := self._take()) is not None:
                    self._run(position)
        finally:
            self.state.end_run()

    def _take(self) -> int | None:
        with self.lock:
            while not self.ready or self.ready[0] >= self.first_failure:
                if self.running == 0:
                    self.lock.notify_all()
                    return None
                self.lock.wait()
            position = heapq.heappop(self.ready)
            self.running += 1
            return position

    def _run(self, position: int) -> None:
        op, kernel, inputs, output, multiple, _, reuse = self.steps[position]
        outputs = output if multiple else (output,)
        args = list(map(self.values.__getitem__, inputs))
        try:
            if reuse is None:
                result = kernel(*args)
            else:
                result = kernel(*args, out=self._forwardable(args, inputs, reuse))
            results = tuple(result) if multiple else (result,)
        except BaseException as error:  # recorded, so that no worker waits for this step
            self._failed(position, error, args)
            return
        args = result = None  # our references must not stop a later step from reusing a buffer
        with self.lock:
            _scatter(self.values, outputs, results)
            self._finished(position, inputs, outputs)

    def _forwardable(self, args, inputs, reuse):
        """Like the reference's, among the inputs that no step still to run will read."""
        positions, dtype = reuse
        with self.lock:
            alone = tuple(p for p in positions if self.readers_left[inputs[p]] == 1)
        return _forwardable(args, alone, dtype) if alone else None

    def _finished(self, position, inputs, outputs) -> None:
        keep, values = self.schedule.keep, self.values
        for index in set(inputs):
            self.readers_left[index] -= 1
            if self.readers_left[index] == 0 and index not in keep:
                values[index] = None
        for index in outputs:
            if self.readers_left[index] == 0 and index not in keep:
                values[index] = None
        for later in self.schedule.successors[position]:
            self.waiting[later] -= 1
            if self.waiting[later] == 0:
                heapq.heappush(self.ready, later)
        self.running -= 1
        self.lock.notify_all()

    def _failed(self, position, error, args) -> None:
        with self.lock:
            self.failures.append((position, error, args))
            self.first_failure = min(self.first_failure, position)
            self.running -= 1
            self.lock.notify_all()

    def raise_first_failure(self) -> None:
        """Raises the error of the failed step earliest in the plan, as the reference would."""
        if self.failures:
            position, error, args = min(self.failures, key=lambda failure: failure[0])
            raise_as_reference(error, self.steps[position][0], args)
