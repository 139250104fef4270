"""Graph-level and op-level random seeds, combined the way TF 1.x combines them."""

from __future__ import annotations

from .graph import get_default_graph

DEFAULT_GRAPH_SEED = 87654321


def set_random_seed(seed: int) -> None:
    """Sets the graph-level seed: with it, every random op repeats its numbers in a new session."""
    get_default_graph().seed = seed


def get_seed(op_seed: int | None) -> tuple:
    """The ``(graph_seed, op_seed)`` pair for a new random op, or ``(None, None)`` if unseeded.

    With a graph seed but no op seed, the op seed is the number of ops in the graph, so that
    two random ops differ but a rebuilt graph repeats itself.
    """
    graph = get_default_graph()
    if graph.seed is not None:
        return graph.seed, op_seed if op_seed is not None else graph._last_id
    if op_seed is not None:
        return DEFAULT_GRAPH_SEED, op_seed
    return None, None
