"""``Timeline``: a traced run's ``StepStats`` as a Chrome trace, to open in chrome://tracing
or https://ui.perfetto.dev and see when each op ran and for how long.

    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    run_metadata = tf.RunMetadata()
    sess.run(train_op, options=options, run_metadata=run_metadata)
    trace = timeline.Timeline(run_metadata.step_stats).generate_chrome_trace_format()

Taught in notebook 12 (inside Session.run).
"""

from __future__ import annotations

import json
import re

_LABEL = re.compile(r"(.*) = (.*)\((.*)\)")  # "name = Type(input, ^control_input)"


class Timeline:
    """The ops of one traced ``Session.run``, one row per device.

    Args:
      step_stats: ``run_metadata.step_stats`` from a run with ``RunOptions.FULL_TRACE``.
      graph: accepted as TF's ``Timeline`` accepts it; the step stats already name every op.
    """

    def __init__(self, step_stats, graph=None):
        self._step_stats = step_stats

    def generate_chrome_trace_format(self, show_dataflow=True, show_memory=False) -> str:
        """A JSON string ``{"traceEvents": [...]}``: a process per device, named by a metadata
        event, and a complete event (``"ph": "X"``) per op run, named by its op type, with the
        op's name and inputs in ``args``; ``ts`` and ``dur`` in microseconds.

        Args:
          show_dataflow: also draw an arrow from each op to the ops that read its outputs
            (flow events ``"ph": "s"`` and ``"t"``, as TF's timeline draws them).
          show_memory: accepted for TF's signature; tutorflow's trace records no allocations,
            so there are no memory counters to show.
        """
        events = []
        for pid, device in enumerate(self._step_stats.dev_stats):
            events.append(_process_name(pid, f"{device.device} Compute"))
            events.extend(_op_event(pid, node) for node in device.node_stats)
        if show_dataflow:
            events.extend(_flow_events([e for e in events if e["ph"] == "X"]))
        return json.dumps({"traceEvents": events}, separators=(",", ":"))


def _process_name(pid: int, name: str) -> dict:
    return {"name": "process_name", "ph": "M", "pid": pid, "args": {"name": name}}


def _op_event(pid: int, node) -> dict:
    op_type, inputs = _parse_label(node.timeline_label)
    args = {"name": node.node_name, "op": op_type}
    args.update((f"input{i}", name) for i, name in enumerate(inputs))
    return {
        "ph": "X",
        "cat": "Op",
        "name": op_type,
        "pid": pid,
        "tid": node.thread_id,
        "ts": node.all_start_micros,
        "dur": node.all_end_rel_micros,
        "args": args,
    }


def _parse_label(label: str) -> tuple:
    """The op type and input names in a ``timeline_label``; ("unknown", []) if it has none."""
    match = _LABEL.match(label)
    if match is None:
        return "unknown", []
    inputs = match.group(3)
    return match.group(2), inputs.split(", ") if inputs else []


def _flow_events(op_events: list) -> list:
    """A start event where each tensor's producer began and a step event where each reader
    began; an input whose producer did not run (a fed tensor) or a control input draws none."""
    producers = {e["args"]["name"]: e for e in op_events}
    flows = []
    for reader in op_events:
        inputs = (v for k, v in reader["args"].items() if k.startswith("input"))
        for tensor in inputs:
            producer = producers.get(tensor.split(":")[0])
            if tensor.startswith("^") or producer is None:
                continue
            common = {"cat": "DataFlow", "name": tensor, "id": len(flows) // 2}
            flows.append(
                {
                    **common,
                    "ph": "s",
                    "pid": producer["pid"],
                    "tid": producer["tid"],
                    "ts": producer["ts"],
                }
            )
            flows.append(
                {
                    **common,
                    "ph": "t",
                    "pid": reader["pid"],
                    "tid": reader["tid"],
                    "ts": reader["ts"],
                }
            )
    return flows
