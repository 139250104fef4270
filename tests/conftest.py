"""Shared fixtures: every test starts in a fresh default graph with no default session; and
Hypothesis's settings."""

import pytest
from hypothesis import settings

import tutorflow as tf
from tutorflow.framework import graph, ops

# No deadline, in CI or not: a per-example time limit is a timing threshold, and a busy machine
# would fail correct code. Built on the profile Hypothesis chose ("ci" in CI, which already
# drops the deadline and derandomizes), so that nothing else changes.
settings.register_profile("tutorflow", parent=settings.default, deadline=None)
settings.load_profile("tutorflow")


def _clear_graphs_and_sessions():
    """Closes sessions a test left as the default and leaves any graph it left entered."""
    for session in reversed(ops._sessions.sessions):
        if isinstance(session, tf.InteractiveSession):
            session.close()
    ops._sessions.sessions.clear()
    graph._stack.graphs.clear()
    tf.reset_default_graph()


@pytest.fixture(autouse=True)
def fresh_graph():
    """A new, empty default graph for each test; tidied again afterwards."""
    _clear_graphs_and_sessions()
    yield tf.get_default_graph()
    _clear_graphs_and_sessions()
