"""Sessions run graphs: ``sess.run(fetches, feed_dict)`` computes just what the fetches need.

Taught in notebook 02 (graphs and sessions).
"""

from __future__ import annotations

import contextlib

import numpy as np

from ..framework import ops
from ..framework.errors import OpError
from ..framework.graph import get_default_graph
from . import fusion, step_stats
from .fetches import fed_tensor, flatten
from .parallel import Executor
from .plan import Plan
from .state import SessionState
from .threads import thread_counts


class Session:
    """Runs the ops of one graph; variables keep their values between runs of a session.

    >>> import tutorflow as tf
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.constant(3) + tf.constant(2)))
    5

    ``config``, a ``tf.ConfigProto``, sets the threads: ``inter_op_parallelism_threads`` run
    ready ops side by side (1: one after another, the plan's reference loop), and each op's
    work is cut into ``intra_op_parallelism_threads`` parts that run at once. 0, the default of
    both, picks: one worker, and as many parts as BLAS has threads (client/threads.py says
    why). ``graph_options.rewrite_options.remapping`` OFF (2) runs every op by itself
    (client/fusion.py). Its other fields (``allow_soft_placement``, ``gpu_options``, …) are
    accepted and change nothing: everything runs on the CPU.
    """

    def __init__(self, target: str = "", graph=None, config=None):
        self.graph = graph if graph is not None else get_default_graph()
        self._executor = Executor(*thread_counts(config))
        self._fuse = fusion.enabled(config)
        self._state = SessionState()
        self._plans = {}
        self._closed = False
        self._entered = []

    @property
    def graph_def(self):
        """The session's graph as a ``GraphDef``, as TF 0.x tutorials pass it to a writer."""
        return self.graph.as_graph_def()

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Computes ``fetches``, running only the ops they need.

        The first run of each signature (these fetches, these tensors fed) builds a `Plan`;
        later runs reuse it.

        Args:
            fetches: a tensor, an op, a Variable, a name (``"y:0"``, ``"train"``), or nested
                lists, tuples and dicts of them.
            feed_dict: values for tensors (placeholders, usually), keyed by tensor or name.
            options: ``tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)`` has
                ``run_metadata`` (a ``tf.RunMetadata``) receive each op's time and output
                sizes, for TensorBoard.
            run_metadata: see ``options``.

        Returns:
            numpy values in the structure of ``fetches``; an op gives None.

        Taught in notebook 02 (graphs and sessions); notebook 12 (Inside Session.run) reads
        this code.
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        trace = [] if run_metadata is not None and getattr(options, "trace_level", 0) else None
        try:
            values = self._run(fetches, feed_dict, trace)
        except OpError as error:
            # Raised from here: the engine's own frames would bury TF's message under them.
            raise error.with_traceback(None) from error.__cause__
        if trace is not None:
            step_stats.record(run_metadata, trace)
        return values

    def _run(self, fetches, feed_dict, trace=None):
        if isinstance(fetches, (ops.Tensor, ops.Operation)) and fetches.graph is self.graph:
            flat, rebuild = [fetches], _first  # the common case, without walking a structure
        else:
            flat, rebuild = flatten(fetches, self.graph)
        feeds = self._feeds(feed_dict) if feed_dict else {}
        # One plan per signature: the same fetches with the same tensors fed.
        key = (tuple(flat), frozenset(feeds))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = Plan(flat, feeds, self._state, self._fuse)
        return rebuild(self._executor.run(plan, feeds, trace))

    def _feeds(self, feed_dict) -> dict:
        """Feed values converted to their tensor's dtype and checked against its shape."""
        feeds = {}
        for key, value in feed_dict.items():
            tensor = fed_tensor(self.graph, key)
            if isinstance(value, ops.Tensor) or hasattr(value, "_as_graph_element"):
                raise TypeError(
                    "The value of a feed cannot be a tf.Tensor object. Acceptable feed values "
                    "include Python scalars, strings, lists, numpy ndarrays, or TensorHandles."
                )
            try:
                array = np.asarray(value, dtype=tensor.dtype.as_numpy_dtype)
            except OverflowError:  # a Python int the dtype cannot hold
                raise TypeError(
                    f"Type of feed value {value!r} with type {type(value)} is not compatible "
                    f"with Tensor type {tensor.dtype}. Try explicitly setting the type of the "
                    f"feed tensor to a larger type (e.g. int64). (feeding Tensor '{tensor.name}')"
                ) from None
            dims = tensor.shape.as_tuple()
            if dims is not None and (
                len(dims) != array.ndim
                or any(d is not None and d != n for d, n in zip(dims, array.shape))
            ):
                raise ValueError(
                    f"Cannot feed value of shape {array.shape} for Tensor "
                    f"'{tensor.name}', which has shape '{tensor.shape}'"
                )
            feeds[tensor] = array
        return feeds

    # -- lifetime and default session ------------------------------------------------------

    def close(self) -> None:
        """Frees the session's variables; running it afterwards raises RuntimeError."""
        self._closed = True
        self._state = None
        self._plans.clear()
        self._executor.close()

    def as_default(self):
        """``with sess.as_default():`` makes ``eval()`` and ``run()`` use this session."""
        return ops.default_session(self)

    def __enter__(self):
        stack = contextlib.ExitStack()
        stack.enter_context(self.graph.as_default())
        stack.enter_context(self.as_default())
        self._entered.append(stack)
        return self

    def __exit__(self, *exc_info):
        self._entered.pop().close()
        self.close()


def _first(values):
    return values[0]


class InteractiveSession(Session):
    """A session that makes itself the default at once, for notebooks and shells:
    ``c.eval()`` and ``op.run()`` then need no session argument."""

    def __init__(self, target: str = "", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default = self.as_default()
        self._default.__enter__()

    def close(self) -> None:
        if not self._closed:
            self._default.__exit__(None, None, None)
        super().close()
