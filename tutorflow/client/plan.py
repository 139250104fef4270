"""An execution plan: the ops one ``Session.run`` signature needs, in order, ready to call.

Building a plan walks the graph once; running it is a flat loop over kernel calls, so a
training step pays only for the arithmetic and a few list look-ups per op.
"""

from __future__ import annotations

from functools import partial

from ..framework import registry
from ..framework.errors import InvalidArgumentError, OpError
from ..ops._util import shape_string

# Fetched values from these ops may alias session state or graph constants: copy them.
_ALIASING_OPS = {
    "Const",
    "Identity",
    "VariableV2",
    "Assign",
    "AssignAdd",
    "AssignSub",
    "PlaceholderWithDefault",
}


class Plan:
    """The steps that compute ``fetches`` given values for the ``fed`` tensors."""

    def __init__(self, fetches, fed, state):
        order = _needed_ops(fetches, fed)
        for op in order:
            if op.type == "Placeholder":
                raise _missing_feed(op)
        self.slot_of = {tensor: i for i, tensor in enumerate(fed)}
        scratch = len(self.slot_of)  # where outputs that are also fed get written and ignored
        self.steps = []
        for op in order:
            opdef = registry.lookup(op.type)
            fn = partial(opdef.kernel, op, state) if opdef.stateful else partial(opdef.kernel, op)
            inputs = tuple(self.slot_of[t] for t in op.inputs)
            outputs = tuple(
                self._new_slot(t) if t not in self.slot_of else scratch for t in op.outputs
            )
            self.steps.append(
                [op, fn, inputs, outputs[0] if len(outputs) == 1 else outputs, len(outputs) != 1, ()]
            )
        self.num_slots = len(self.slot_of) + 1
        self.fetches = [
            (self.slot_of[f], f.op.type in _ALIASING_OPS) if hasattr(f, "op") else (None, False)
            for f in fetches
        ]
        self._free_after_last_use(fed)

    def _new_slot(self, tensor) -> int:
        self.slot_of[tensor] = len(self.slot_of) + 1
        return self.slot_of[tensor]

    def _free_after_last_use(self, fed) -> None:
        """Drops each intermediate value right after its last reader, to bound peak memory."""
        keep = {slot for slot, _ in self.fetches} | {self.slot_of[t] for t in fed}
        last_reader = {}
        for index, step in enumerate(self.steps):
            for slot in step[2]:
                last_reader[slot] = index
        for slot, index in last_reader.items():
            if slot not in keep:
                self.steps[index][5] += (slot,)
        self.steps = [tuple(step) for step in self.steps]

    def run(self, feeds: dict) -> list:
        """Executes the steps; returns the values of the fetches (None for an op)."""
        values = [None] * self.num_slots
        slot_of = self.slot_of
        for tensor, value in feeds.items():
            values[slot_of[tensor]] = value
        try:
            for op, fn, inputs, output, multiple, dead in self.steps:
                result = fn(*[values[i] for i in inputs])
                if multiple:
                    for slot, value in zip(output, result):
                        values[slot] = value
                else:
                    values[output] = result
                for slot in dead:
                    values[slot] = None
        except OpError as error:
            raise _located(error, op) from None
        except (ValueError, IndexError, TypeError, ZeroDivisionError) as error:
            raise _located(InvalidArgumentError(None, op, str(error)), op) from error
        return [
            None if slot is None else _fetched(values[slot], copy) for slot, copy in self.fetches
        ]


def _needed_ops(fetches, fed) -> list:
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
    if hasattr(value, "read"):  # the raw storage of a variable
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


def _located(error: OpError, op) -> OpError:
    """Names the failing node in the message, as TF 1.x does: ``[[node Variable/read]]``."""
    if error.op is None:
        error.op = op
        error.message = f"{error.message}\n\t [[node {op.name} ({op.type})]]"
        error.args = (error.message,)
    return error
