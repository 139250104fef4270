"""Fusing a plan's ops, as TF's grappler remaps a graph before running it: a chain of ops that
each step runs, such as a layer's convolution, bias and ReLU, becomes one step that walks the
layer's values once instead of three times. The ops define the chains and their kernels
(``ops/fused_ops.py``, through ``registry.fusion``); this module decides where they may go.

A chain is fused only where no one could tell, apart from the time it takes:
- the values inside it are read by no other op of the run, and are neither fetched nor fed;
- no op waits for one of its ops through a control dependency, and only its first op has
  control inputs of its own;
- the fused step takes its first op's place in the plan, so each of its inputs from outside
  the chain is fed or made by an earlier op.

``config.graph_options.rewrite_options.remapping = RewriterConfig.OFF`` (2) in a session's
``ConfigProto`` turns fusion off, as it turns off TF's. Taught in notebook 12 (Inside
Session.run).
"""

from __future__ import annotations

from ..framework import registry

_OFF = 2  # RewriterConfig.OFF


def enabled(config) -> bool:
    """Whether a session with ``config`` (a ConfigProto, or None) fuses ops."""
    return config is None or config.graph_options.rewrite_options.remapping != _OFF


class PlanOps:
    """What a fusion rule may ask of a plan's ops: who reads a tensor (``readers``, the run
    state's), and which op alone reads it."""

    def __init__(self, readers, kept):
        self.readers = readers
        self._kept = kept

    def only_reader(self, tensor):
        """The op that alone reads ``tensor``, once, where ``tensor`` is neither fetched nor
        fed; else None."""
        readers = self.readers(tensor)
        return readers[0] if len(readers) == 1 and tensor not in self._kept else None


def fused(order: list, readers, fetched, fed) -> list:
    """``order`` with each chain that a registered rule finds there replaced by its fused op,
    at the place of the chain's first op; ``readers(tensor)`` lists the ops of ``order`` that
    read ``tensor``."""
    plan_ops = PlanOps(readers, {*fetched, *fed})
    position = {op: i for i, op in enumerate(order)}
    waited_for = {control for op in order for control in op.control_inputs}
    rules, in_chains, result = registry.fusions(), set(), []
    for op in order:
        if op in in_chains:
            continue
        for rule in rules:
            chain = rule(op, plan_ops)
            if chain is not None and _may_fuse(chain, position, waited_for, fed):
                in_chains.update(chain.ops)
                op = chain
                break
        result.append(op)
    return result


def _may_fuse(chain, position, waited_for, fed) -> bool:
    first = chain.ops[0]
    return (
        not waited_for.intersection(chain.ops)
        and not any(op.control_inputs for op in chain.ops[1:])
        and not any(t in fed for op in chain.ops for t in op.outputs)
        and all(
            t in fed or position.get(t.op, len(position)) < position[first] for t in chain.inputs
        )
    )
