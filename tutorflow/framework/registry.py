"""The op registry: for each op type, the kernel that computes it, the gradient that
differentiates it and the dtypes it takes. Ops register them together in ``tutorflow/ops``.

A kernel is ``kernel(op, *input_values) -> value`` (a tuple for several outputs); a stateful
kernel also receives the run's state, ``kernel(op, state, *input_values)``: the session's
variables and other resources, and the workspaces one run shares between kernels (the
convolution keeps its input's spectrum there for its gradient). An element-wise
kernel registered with ``inplace=True`` also takes ``out``, after its inputs: an input array
that no one else will read again, which it may overwrite with its result instead of allocating a
new one, or None.
A gradient is ``gradient(op, *output_grads) -> [grad for each input, or None]`` and builds
graph nodes, like any other op-building code. ``tf.RegisterGradient("MyRelu")`` also registers
gradients under names that are no op type, for ``Graph.gradient_override_map`` to pick.

Facts the session needs about an op are flags here, so that the client never names an op type:
``aliases`` (its output may share memory with session state, a constant or an input, so a
fetched value is copied) and ``needs_feed`` (a placeholder: a run that needs it must feed it).
So are the chains of ops that a plan may run as one step: ``fusion`` registers the rules that
find them.

An op that computes on numbers names the dtypes its first input may have (``takes``), as TF's
op definitions do: building it on another dtype, such as ``tf.reduce_mean`` of a bool tensor,
is a TypeError at once, in TF's words, instead of a wrong value later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass
class OpDef:
    kernel: Callable
    stateful: bool = False
    inplace: bool = False
    takes: tuple = ()  # the dtypes its first input may have; () for any
    parameter: str = "x"  # that input's name in TF's messages
    aliases: bool = False  # its output may share memory with state, a constant or an input
    needs_feed: bool = False  # a placeholder, which every run that needs it must feed
    gradient: Callable | None = None
    differentiable: bool = True

    def check_dtype(self, first_input) -> None:
        """Raises TF's TypeError if the op does not take ``first_input``'s dtype."""
        if self.takes and first_input.dtype not in self.takes:
            allowed = ", ".join(dtype.name for dtype in self.takes)
            raise TypeError(
                f"Value passed to parameter '{self.parameter}' has DataType "
                f"{first_input.dtype.name} not in list of allowed values: {allowed}"
            )


_REGISTRY: dict[str, OpDef] = {}
_NAMED_GRADIENTS: dict[str, Callable] = {}  # RegisterGradient names that are no op type
_FUSIONS: list[Callable] = []


def kernel(
    op_type: str,
    stateful: bool = False,
    inplace: bool = False,
    takes: tuple = (),
    parameter: str = "x",
    aliases: bool = False,
    needs_feed: bool = False,
):
    """Decorator registering the function that computes ``op_type`` on numpy values; ``takes``
    lists the dtypes of its first input, named ``parameter``, that it accepts (default: any);
    ``aliases`` and ``needs_feed`` are the flags the session reads (see above)."""

    def register(fn):
        if op_type in _REGISTRY:
            raise KeyError(f"A kernel for op type '{op_type}' is already registered.")
        _REGISTRY[op_type] = OpDef(fn, stateful, inplace, takes, parameter, aliases, needs_feed)
        return fn

    return register


def gradient(name: str):
    """Decorator registering ``fn(op, *output_grads) -> input grads`` as the gradient of op type
    ``name``, or under a new ``name`` for ``Graph.gradient_override_map`` (TF's RegisterGradient).

    Raises:
      KeyError: if a gradient is already registered under ``name``.
    """

    def register(fn):
        opdef = _REGISTRY.get(name)
        if (opdef.gradient if opdef else _NAMED_GRADIENTS.get(name)) is not None:
            raise KeyError(f"Registering two gradient with name '{name}'!")
        if opdef:
            opdef.gradient = fn
        else:
            _NAMED_GRADIENTS[name] = fn
        return fn

    return register


def gradient_function(op) -> Callable | None:
    """The function that differentiates ``op``: the gradient that ``gradient_override_map``
    named when ``op`` was built, else its op type's; None if the op is not differentiable.

    Raises:
      LookupError: if no gradient is registered under that name.
    """
    name = op.attrs.get("_gradient_op_type", op.type)
    opdef = _REGISTRY.get(name)
    if opdef is not None and not opdef.differentiable:
        return None
    fn = opdef.gradient if opdef else _NAMED_GRADIENTS.get(name)
    if fn is None:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})")
    return fn


def not_differentiable(*op_types: str) -> None:
    """Declares op types with no gradient: their inputs receive None (TF's NotDifferentiable)."""
    for op_type in op_types:
        _REGISTRY[op_type].differentiable = False


def fusion(rule: Callable) -> Callable:
    """Decorator registering ``rule(op, plan_ops) -> fused op or None``: the chain of ops that
    starts at ``op`` and runs as one step, if there is one (client/fusion.py says where a
    plan takes it). ``plan_ops`` tells who reads a tensor (`client.fusion.PlanOps`)."""
    _FUSIONS.append(rule)
    return rule


def fusions() -> tuple[Callable, ...]:
    """The registered fusion rules, in the order they were registered."""
    return tuple(_FUSIONS)


def lookup(op_type: str) -> OpDef:
    try:
        return _REGISTRY[op_type]
    except KeyError:
        raise NotImplementedError(f"No kernel registered for op type '{op_type}'.") from None


def registered_op_types() -> list[str]:
    return sorted(_REGISTRY)
