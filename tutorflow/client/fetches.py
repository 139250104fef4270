"""How ``Session.run`` reads what it is given: fetches (a tensor, an op, a Variable, a name,
or nested lists, tuples and dicts of them) and the keys of a ``feed_dict``; and `ops_to_run`,
which answers "which ops would this run compute?" by the same rules.

TF 1.x has no public function for this; these are tutorflow's own, in ``tutorflow.client``.
Taught in notebook 12 (Inside Session.run).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..framework import ops
from .plan import needed_ops


def ops_to_run(fetches, feed_dict=None, graph=None) -> list:
    """The ops that ``Session.run(fetches, feed_dict)`` would compute, in the order it runs them.

    A fed tensor cuts the walk: the ops that only it needs are not computed. Control
    dependencies count as inputs. Nothing is computed here.

    Args:
        fetches: as ``Session.run`` takes them: a tensor, an op, a Variable, a name
            (``"y:0"`` for a tensor, ``"train"`` for an op), or nested lists, tuples and dicts.
        feed_dict: as ``Session.run`` takes it; only its keys count, so any iterable of keys
            (tensors, Variables or names) will do.
        graph: the graph that names refer to; default: the graph of ``fetches``, else the
            default graph.

    Returns:
        A list of ``Operation``s, in the order of the run's plan (an order of creation).

    Raises:
        TypeError, ValueError: where ``Session.run`` would raise them, with its message.

    >>> import tutorflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, name="x")
    ...     y = tf.add(x, 1.0, name="y")
    ...     print([op.name for op in ops_to_run(y)])
    ...     print([op.name for op in ops_to_run(y, feed_dict={x: 3.0})])
    ['x', 'y/y', 'y']
    ['y/y', 'y']
    """
    elements = graph_elements(fetches, graph)
    graph = graph if graph is not None else ops.graph_of(elements)
    return needed_ops(elements, set(fed_tensors(feed_dict or (), graph)))


def graph_elements(fetches, graph=None) -> list:
    """The tensors and ops that ``fetches`` name, in the order ``Session.run`` lists them.

    Args and Raises: as `ops_to_run`.
    """
    return flatten(fetches, graph)[0]


def fed_tensors(feed_dict, graph=None) -> list:
    """The tensors that the keys of ``feed_dict`` name, as ``Session.run`` reads them.

    Raises:
        TypeError: a key is no tensor of ``graph`` (an op, say), with ``Session.run``'s message.
    """
    keys = list(feed_dict)
    graph = graph if graph is not None else ops.graph_of(keys)
    return [fed_tensor(graph, key) for key in keys]


def flatten(fetches, graph=None) -> tuple[list, Callable]:
    """The graph elements in ``fetches``, and a function that puts a list of values, one for
    each, back into the structure of ``fetches`` (lists, tuples, namedtuples and dicts)."""
    leaves = []

    def walk(fetch):
        if isinstance(fetch, (list, tuple)):
            parts = [walk(f) for f in fetch]
            if hasattr(fetch, "_fields"):  # a namedtuple
                return lambda values: type(fetch)(*[part(values) for part in parts])
            return lambda values: type(fetch)(part(values) for part in parts)
        if isinstance(fetch, dict):
            parts = {key: walk(f) for key, f in fetch.items()}
            return lambda values: {key: part(values) for key, part in parts.items()}
        leaves.append(fetch)
        index = len(leaves) - 1
        return lambda values: values[index]

    rebuild = walk(fetches)
    graph = graph if graph is not None else ops.graph_of(leaves)
    return [fetched_element(graph, leaf) for leaf in leaves], rebuild


def fetched_element(graph, fetch):
    """The tensor or op of ``graph`` that one fetch names, or TF's error saying why not."""
    if fetch is None or isinstance(fetch, (int, float, np.ndarray)):
        raise TypeError(f"Fetch argument {fetch!r} has invalid type {type(fetch)}")
    try:
        return graph.as_graph_element(fetch)
    except (TypeError, ValueError, KeyError) as error:
        # TF raises a name not in the graph (the graph's KeyError) as a ValueError
        kind = TypeError if isinstance(error, TypeError) else ValueError
        reason = error.args[0] if error.args else error
        raise kind(
            f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. ({reason})"
        ) from None


def fed_tensor(graph, key):
    """The tensor of ``graph`` that a ``feed_dict`` key names, or TF's error saying why not."""
    if isinstance(key, ops.Tensor) and key.graph is graph:
        return key  # the usual key: nothing to look up, at every step
    try:
        tensor = graph.as_graph_element(key)
    except (TypeError, ValueError, KeyError) as error:
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: {error}") from None
    if not isinstance(tensor, ops.Tensor):
        raise TypeError(
            f"Cannot interpret feed_dict key as Tensor: {key!r} is an "
            "Operation; feed one of its outputs instead."
        )
    return tensor
