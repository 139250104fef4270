"""An execution plan: the ops one ``Session.run`` signature needs, in order, ready to call.

Building a plan walks the graph once; running it is a flat loop over kernel calls, so a
training step pays only for the arithmetic and a few list look-ups per op.
"""

from __future__ import annotations

import sys
import time
from functools import partial
from typing import NamedTuple

import numpy as np

from ..framework import registry
from ..framework.errors import InvalidArgumentError, OpError
from ..framework.tensor_shape import TensorShape, shape_string
from ..framework.variable_storage import VariableStorage


class Plan:
    """The steps that compute ``fetches`` given values for the ``fed`` tensors."""

    def __init__(self, fetches, fed, state):
        order = needed_ops(fetches, fed)
        for op in order:
            if registry.lookup(op.type).needs_feed:
                raise _missing_feed(op)
        self.slot_of = {tensor: i for i, tensor in enumerate(fed)}
        scratch = len(self.slot_of)  # where outputs that are also fed get written and ignored
        steps = []
        for op in order:
            opdef = registry.lookup(op.type)
            fn = partial(opdef.kernel, op, state) if opdef.stateful else partial(opdef.kernel, op)
            inputs = tuple(self.slot_of[t] for t in op.inputs)
            outputs = tuple(
                self._new_slot(t) if t not in self.slot_of else scratch for t in op.outputs
            )
            output = outputs[0] if len(outputs) == 1 else outputs
            steps.append((op, fn, inputs, output, len(outputs) != 1, opdef.inplace))
        self.num_slots = len(self.slot_of) + 1
        self.fetches = [
            (self.slot_of[f], registry.lookup(f.op.type).aliases)
            if hasattr(f, "op")
            else (None, False)
            for f in fetches
        ]
        self.steps = self._with_lifetimes(steps, fed)

    def _new_slot(self, tensor) -> int:
        self.slot_of[tensor] = len(self.slot_of) + 1
        return self.slot_of[tensor]

    def _with_lifetimes(self, steps, fed) -> list:
        """Adds to each step the slots to drop after it (their last reader, to bound peak memory;
        an output nothing reads dies where it is made) and, for an in-place kernel, which of its
        inputs die there and could hold its result."""
        keep = {slot for slot, _ in self.fetches} | {self.slot_of[t] for t in fed}
        last_use = {}
        for index, (_, _, inputs, output, multiple, _) in enumerate(steps):
            for slot in output if multiple else (output,):
                last_use[slot] = index
            for slot in inputs:
                last_use[slot] = index
        dead = [[] for _ in steps]
        for slot, index in last_use.items():
            if slot not in keep:
                dead[index].append(slot)
        result = []
        for (op, fn, inputs, output, multiple, inplace), drop in zip(steps, dead):
            reuse = None
            if inplace:
                positions = tuple(
                    i for i, slot in enumerate(inputs) if slot in drop and inputs.count(slot) == 1
                )
                reuse = (positions, op.outputs[0].dtype.as_numpy_dtype) if positions else None
            result.append((op, fn, inputs, output, multiple, tuple(drop), reuse))
        return result

    def run(self, feeds: dict, trace: list | None = None) -> list:
        """Executes the steps; returns the values of the fetches (None for an op).

        A ``trace`` list receives one ``OpTiming`` per op run (``RunOptions.FULL_TRACE``).
        """
        steps = self.steps if trace is None else [_timed(step, trace) for step in self.steps]
        values = [None] * self.num_slots
        _scatter(values, [self.slot_of[tensor] for tensor in feeds], feeds.values())
        try:
            with np.errstate(all="ignore"):  # log(0) is -inf, 0/0 is nan, silently, as in TF
                for op, fn, inputs, output, multiple, dead, reuse in steps:
                    args = list(map(values.__getitem__, inputs))
                    if multiple:
                        _scatter(values, output, fn(*args))
                    elif reuse is None:
                        values[output] = fn(*args)
                    else:
                        values[output] = fn(*args, out=_forwardable(args, *reuse))
                    for slot in dead:
                        values[slot] = None
        except OpError as error:
            raise _located(error, op) from None
        except (ValueError, IndexError, TypeError, ZeroDivisionError) as error:
            message = _tf_message(error, args)
            raise _located(InvalidArgumentError(None, None, message), op) from error
        return [
            None if slot is None else _fetched(values[slot], copy) for slot, copy in self.fetches
        ]


class OpTiming(NamedTuple):
    """When one op ran (nanoseconds since the epoch) and the shapes and bytes it produced."""

    op: object
    start_ns: int
    end_ns: int
    outputs: list  # (shape, nbytes) per output


def _timed(step, trace: list):
    """``step`` with its kernel call timed into ``trace``."""
    op, fn, inputs, output, multiple, dead, reuse = step

    def timed_fn(*args, **kwargs):
        start = time.time_ns()
        result = fn(*args, **kwargs)
        end = time.time_ns()
        produced = result if multiple else (result,)
        sizes = [(np.shape(value), getattr(value, "nbytes", 0)) for value in produced]
        trace.append(OpTiming(op, start, end, sizes))
        return result

    return op, timed_fn, inputs, output, multiple, dead, reuse


def _scatter(values, slots, results) -> None:
    for slot, result in zip(slots, results):
        values[slot] = result


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
    """Whether broadcasting ``args`` together gives ``shape`` (no smaller input may hold it)."""
    return len(args) == 1 or np.broadcast_shapes(*[np.shape(a) for a in args]) == shape


def needed_ops(fetches, fed) -> list:
    """The ops that the fetches depend on, through inputs and control inputs, stopping at
    fed tensors; sorted by creation, which is a topological order."""
    needed = set()
    stack = [getattr(f, "op", f) for f in fetches if f not in fed]
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        stack.extend(t.op for t in op.inputs if t not in fed)
        stack.extend(op.control_inputs)
    return sorted(needed, key=lambda op: op._id)


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


def _tf_message(error: Exception, args) -> str:
    """TF's words for a kernel's error where numpy's differ: two inputs whose shapes do not
    broadcast together are ``Incompatible shapes: [2,3] vs. [4]``."""
    if "broadcast" in str(error) and len(args) == 2:
        x, y = (shape_string(TensorShape(np.shape(a))) for a in args)
        return f"Incompatible shapes: {x} vs. {y}"
    return str(error)


def _located(error: OpError, op) -> OpError:
    """Names the failing node in the message, as TF 1.x does: ``[[node Variable/read]]``."""
    if error.op is None:
        error.op = op
        error.message = f"{error.message}\n\t [[node {op.name} ({op.type})]]"
        error.args = (error.message,)
    return error
