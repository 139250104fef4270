"""What kernels keep between calls: a session's resources, and a run's workspaces.

Taught in notebook 12 (Inside Session.run).
"""

from __future__ import annotations

import threading


class SessionState:
    """What one session holds: variable values and random generators, one per op."""

    def __init__(self):
        self._resources = {}

    def resource(self, op, create):
        """The resource of ``op`` in this session, made by ``create(op)`` on first use."""
        found = self._resources.get(op)
        if found is None:
            found = self._resources[op] = create(op)
        return found


class RunState:
    """What a stateful kernel receives from its plan: ``kernel(op, state, *input_values)``.

    ``resource(op, create)`` reaches the session's resources, which last as long as the
    session. ``workspaces`` holds what one kernel computes for a later kernel of the same run,
    such as the unfolded input that a convolution leaves for its filter's gradient: a speed-up
    that TF's graph does not show, so it is no graph output. The reader takes it out (``pop``),
    and the plan empties what is left when the run ends, so nothing outlives its run. The
    threads that run one plan's steps side by side share the run's workspaces
    (``start_run`` in the caller's thread, ``join_run`` in each helper).
    ``readers(tensor)`` lists the ops of the plan that read ``tensor``: a kernel keeps a
    workspace only if one of them will take it.
    """

    def __init__(self, session_state: SessionState, ops):
        self.resource = session_state.resource
        self._readers = {}
        for op in ops:
            for tensor in op.inputs:
                self._readers.setdefault(tensor, []).append(op)
        # Per thread: two threads may run the same plan at once, as TF allows.
        self._per_thread = threading.local()

    def readers(self, tensor) -> list:
        """The ops of this plan that read ``tensor``."""
        return self._readers.get(tensor, [])

    @property
    def workspaces(self) -> dict:
        """The workspaces of the run in progress in this thread."""
        found = getattr(self._per_thread, "workspaces", None)
        if found is None:
            found = self._per_thread.workspaces = {}
        return found

    def start_run(self) -> dict:
        """New, empty workspaces for the run this thread starts."""
        self._per_thread.workspaces = {}
        return self._per_thread.workspaces

    def join_run(self, workspaces: dict) -> None:
        """This thread helps with the run whose ``workspaces`` are given."""
        self._per_thread.workspaces = workspaces

    def end_run(self) -> None:
        """Drops the workspaces that no kernel took."""
        self._per_thread.workspaces = None
