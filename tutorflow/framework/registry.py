"""The op registry: for each op type, the kernel that computes it and the gradient that
differentiates it. Ops register both beside each other in ``tutorflow/ops``.

A kernel is ``kernel(op, *input_values) -> value`` (a tuple for several outputs); a stateful
kernel also receives the session's state: ``kernel(op, state, *input_values)``. An element-wise
kernel registered with ``inplace=True`` also takes ``out=``: an input array that no one else
will read again, which it may overwrite with its result instead of allocating a new one.
A gradient is ``gradient(op, *output_grads) -> [grad for each input, or None]`` and builds
graph nodes, like any other op-building code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass
class OpDef:
    kernel: Callable
    stateful: bool = False
    inplace: bool = False
    gradient: Callable | None = None
    differentiable: bool = True


_REGISTRY: dict[str, OpDef] = {}


def kernel(op_type: str, stateful: bool = False, inplace: bool = False):
    """Decorator registering the function that computes ``op_type`` on numpy values."""

    def register(fn):
        if op_type in _REGISTRY:
            raise KeyError(f"A kernel for op type '{op_type}' is already registered.")
        _REGISTRY[op_type] = OpDef(fn, stateful, inplace)
        return fn

    return register


def gradient(op_type: str):
    """Decorator registering the gradient function of ``op_type`` (TF's RegisterGradient)."""

    def register(fn):
        _REGISTRY[op_type].gradient = fn
        return fn

    return register


def not_differentiable(*op_types: str) -> None:
    """Declares op types with no gradient: their inputs receive None (TF's NotDifferentiable)."""
    for op_type in op_types:
        _REGISTRY[op_type].differentiable = False


def lookup(op_type: str) -> OpDef:
    try:
        return _REGISTRY[op_type]
    except KeyError:
        raise NotImplementedError(f"No kernel registered for op type '{op_type}'.") from None


def registered_op_types() -> list[str]:
    return sorted(_REGISTRY)
