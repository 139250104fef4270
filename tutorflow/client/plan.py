"""An execution plan: the ops one ``Session.run`` signature needs, in order, ready to call.

Building a plan walks the graph once; running it is a flat loop over kernel calls, so a
training step pays only for the arithmetic and a few list look-ups per op.
Taught in notebook 12 (Inside Session.run).
"""

from __future__ import annotations

import sys
import threading
import time
from functools import partial
from typing import NamedTuple

import numpy as np

from ..framework import registry
from ..framework.errors import (
    KERNEL_ERRORS,
    InvalidArgumentError,
    OpError,
    invalid_argument,
    located,
)
from ..framework.tensor_shape import shape_string
from ..framework.variable_storage import VariableStorage
from . import fusion
from .state import RunState


class Plan:
    """The steps that compute ``fetches`` given values for the ``fed`` tensors; with ``fuse``,
    chains of ops run as one step each (client/fusion.py).

    Each tensor of the run has a *plan index*: its place in the list of values that `run`
    fills in as the kernels return, and empties again after the tensor's last reader.
    Each step is ``(op, kernel, inputs, output, multiple, drop, reuse)``: the kernel bound to
    its op, the plan indices of its inputs and of its output (a tuple if ``multiple``), the
    plan indices to empty after it, and which dying input an in-place kernel may overwrite.
    """

    def __init__(self, fetches, fed, session_state, fuse=True):
        order = needed_ops(fetches, fed)
        for op in order:
            if registry.lookup(op.type).needs_feed:
                raise _missing_feed(op)
        self.state = RunState(session_state, order)
        if fuse:  # chains of ops that run as one step (client/fusion.py)
            fetched = [f for f in fetches if hasattr(f, "op")]
            order = fusion.fused(order, self.state.readers, fetched, fed)
        self.index_of = {tensor: i for i, tensor in enumerate(fed)}
        unread = len(self.index_of)  # where an op writes an output that is also fed
        steps = []
        for op in order:
            opdef = registry.lookup(op.type)
            # A stateful kernel also gets the state: variables, generators, workspaces.
            bound = (op, self.state) if opdef.stateful else (op,)
            kernel = partial(opdef.kernel, *bound)
            inputs = tuple(self.index_of[t] for t in op.inputs)
            outputs = tuple(
                unread if t in self.index_of else self._new_index(t) for t in op.outputs
            )
            output = outputs[0] if len(outputs) == 1 else outputs
            steps.append((op, kernel, inputs, output, len(outputs) != 1, opdef.inplace))
        self.size = len(self.index_of) + 1
        # For each fetch: (plan index, whether to copy its value), or (None, False) for an op.
        self.fetches = [
            (self.index_of[f], registry.lookup(f.op.type).aliases)
            if hasattr(f, "op")
            else (None, False)
            for f in fetches
        ]
        self.steps = self._with_lifetimes(steps, fed)

    def _new_index(self, tensor) -> int:
        self.index_of[tensor] = len(self.index_of) + 1
        return self.index_of[tensor]

    def _with_lifetimes(self, steps, fed) -> list:
        """Adds to each step the plan indices to empty after it: those it is the last to read
        or write (so peak memory stays low; an output nothing reads goes at once), and, for
        an in-place kernel, which of its inputs die there and could hold its result."""
        keep = {index for index, _ in self.fetches} | {self.index_of[t] for t in fed}
        self.kept = keep - {None}  # never dropped: the fetches and the fed values
        last_use = {}
        for position, (_, _, inputs, output, multiple, _) in enumerate(steps):
            for index in (*(output if multiple else (output,)), *inputs):
                last_use[index] = position
        drops = [[] for _ in steps]
        for index, position in last_use.items():
            if index not in keep:
                drops[position].append(index)
        result = []
        for (op, kernel, inputs, output, multiple, inplace), drop in zip(steps, drops):
            reuse = None
            if inplace:
                dying = [index for index in inputs if index in drop and inputs.count(index) == 1]
                positions = tuple(inputs.index(index) for index in dying)
                reuse = (positions, op.outputs[0].dtype.as_numpy_dtype) if positions else None
            result.append((op, kernel, inputs, output, multiple, tuple(drop), reuse))
        return result

    def run(self, feeds: dict, trace: list | None = None) -> list:
        """Executes the steps; returns the values of the fetches (None for an op).

        A ``trace`` list receives one ``OpTiming`` per op run (``RunOptions.FULL_TRACE``).
        """
        steps = self.steps if trace is None else [_timed(step, trace) for step in self.steps]
        values = [None] * self.size
        _scatter(values, [self.index_of[tensor] for tensor in feeds], feeds.values())
        try:
            with np.errstate(all="ignore"):  # log(0) is -inf, 0/0 is nan, silently, as in TF
                for op, kernel, inputs, output, multiple, drop, reuse in steps:
                    args = list(map(values.__getitem__, inputs))
                    if reuse is not None:  # `out`: an input it may overwrite, or None
                        args.append(_forwardable(args, *reuse))
                    if multiple:
                        _scatter(values, output, kernel(*args))
                    else:
                        values[output] = kernel(*args)
                    for index in drop:
                        values[index] = None
        except OpError as error:
            raise located(error, op) from None
        except KERNEL_ERRORS as error:
            raise invalid_argument(error, op, args[: len(inputs)]) from error
        finally:
            self.state.end_run()
        return self.fetched(values)

    def fetched(self, values: list) -> list:
        """The fetches' values from a run's list of values (None for an op)."""
        return [
            None if index is None else _fetched(values[index], copy) for index, copy in self.fetches
        ]


def raise_as_reference(error: BaseException, op, args) -> None:
    """Raises ``error`` from ``op``'s kernel as `Plan.run` raises it (for other executors)."""
    if isinstance(error, OpError):
        raise located(error, op) from None
    if isinstance(error, KERNEL_ERRORS):
        raise invalid_argument(error, op, args) from error
    raise error


class OpTiming(NamedTuple):
    """When one op ran (nanoseconds since the epoch), on which thread (``threading.get_ident``),
    and the shapes and bytes it produced."""

    op: object
    start_ns: int
    end_ns: int
    outputs: list  # (shape, nbytes) per output
    thread: int = 0


def _timed(step, trace: list):
    """``step`` with its kernel call timed into ``trace``."""
    op, kernel, inputs, output, multiple, drop, reuse = step

    def timed_kernel(*args, **kwargs):
        start = time.time_ns()
        result = kernel(*args, **kwargs)
        end = time.time_ns()
        produced = result if multiple else (result,)
        sizes = [(np.shape(value), getattr(value, "nbytes", 0)) for value in produced]
        trace.append(OpTiming(op, start, end, sizes, threading.get_ident()))
        return result

    return op, timed_kernel, inputs, output, multiple, drop, reuse


def _scatter(values, indices, results) -> None:
    for index, result in zip(indices, results):
        values[index] = result


# While a kernel runs, an input array that nothing else holds has exactly these references:
# the plan's value list, the argument list, and, in _forwardable, a local and getrefcount's own.
_SOLE_OWNER_REFS = 4


def _forwardable(args, positions, dtype):
    """An input array the kernel may overwrite with its result, as TF forwards a buffer whose
    reference count is one: it dies at this step, owns its memory (no view of it can be alive
    elsewhere), and has the result's shape and dtype. None if there is no such input."""
    for position in positions:
        candidate = args[position]
        if (
            type(candidate) is np.ndarray
            and candidate.base is None
            and candidate.dtype == dtype
            and candidate.flags.writeable
            and candidate.flags.c_contiguous
            and sys.getrefcount(candidate) == _SOLE_OWNER_REFS
            and _is_result_shape(candidate.shape, args)
        ):
            return candidate
    return None


def _is_result_shape(shape, args) -> bool:
    """Whether broadcasting ``args`` together gives ``shape``, the shape of one of them: every
    other one fits inside it (no smaller input may hold the result). Written out because
    ``np.broadcast_shapes`` costs microseconds, and this runs for several ops every step."""
    for arg in args:
        dims = np.shape(arg)
        if dims != shape and (
            len(dims) > len(shape)
            or any(n != 1 and n != m for n, m in zip(reversed(dims), reversed(shape)))
        ):
            return False
    return True


def needed_ops(fetches, fed) -> list:
    """The ops that the fetches depend on, through inputs and control inputs, stopping at
    fed tensors; sorted by creation, which is a topological order (an op's inputs exist
    before it is made)."""
    needed = set()
    # A stack rather than recursion: a long chain of ops would pass Python's recursion limit.
    stack = [getattr(f, "op", f) for f in fetches if f not in fed]
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        stack.extend(t.op for t in op.inputs if t not in fed)
        stack.extend(op.control_inputs)
    return sorted(needed, key=lambda op: op._id)  # _id: the op's number in creation order


def _fetched(value, copy):
    if isinstance(value, VariableStorage):  # a variable's op fetched: its value
        value, copy = value.read(), True
    if getattr(value, "ndim", None) == 0:
        return value[()]  # numpy scalar, as TF returns for 0-d tensors
    if copy or (hasattr(value, "flags") and not value.flags.owndata):
        return value.copy()
    return value


def _missing_feed(op) -> InvalidArgumentError:
    tensor = op.outputs[0]
    shape = "" if tensor.shape.ndims is None else f" and shape {shape_string(tensor.shape)}"
    return InvalidArgumentError(
        None,
        op,
        f"You must feed a value for placeholder tensor '{op.name}' with dtype "
        f"{tensor.dtype.type_name}{shape}\n\t [[node {op.name}]]",
    )
