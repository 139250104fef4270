"""What a traced ``Session.run`` puts in a ``tf.RunMetadata``: TF's ``StepStats``, one
``NodeExecStats`` per op run (when it started, how long it took, what it produced).
TensorBoard's graph view colours each node by its compute time and memory from them.
"""

from __future__ import annotations

from ..framework.protos import data_type, shape_proto
from ..framework.tensor_shape import TensorShape

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"  # TF's name for the one device we use


def record(run_metadata, trace) -> None:
    """Adds ``trace`` (the ``OpTiming``s of one run, in the order the ops ran) to
    ``run_metadata.step_stats``."""
    device = run_metadata.step_stats.dev_stats.add(device=DEVICE)
    threads = {}  # thread ids as TF numbers them: 0, 1, … in the order they first ran an op
    for timing in trace:
        duration_us = max((timing.end_ns - timing.start_ns) // 1000, 1)
        total_bytes = sum(nbytes for _, nbytes in timing.outputs)
        stats = device.node_stats.add(
            node_name=timing.op.name,
            timeline_label=_label(timing.op),
            all_start_micros=timing.start_ns // 1000,
            op_start_rel_micros=0,
            op_end_rel_micros=duration_us,
            all_end_rel_micros=duration_us,
            thread_id=threads.setdefault(timing.thread, len(threads)),
        )
        stats.memory.add(allocator_name="cpu", total_bytes=total_bytes, peak_bytes=total_bytes)
        for index, (tensor, (shape, nbytes)) in enumerate(zip(timing.op.outputs, timing.outputs)):
            # NodeOutput.slot is the proto's word for the output's index (``op:index``).
            description = stats.output.add(slot=index).tensor_description
            description.dtype = data_type(tensor.dtype)
            description.shape.CopyFrom(shape_proto(TensorShape(shape)))
            description.allocation_description.requested_bytes = nbytes
            description.allocation_description.allocator_name = "cpu"


def _label(op) -> str:
    """TF's ``timeline_label``: ``"name = Type(input, ^control_input)"``."""
    inputs = [t.op.name if t.value_index == 0 else t.name for t in op.inputs]
    inputs += [f"^{control.name}" for control in op.control_inputs]
    return f"{op.name} = {op.type}({', '.join(inputs)})"
