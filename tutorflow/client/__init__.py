"""Sessions: the only place where a graph is computed.

``ops_to_run(fetches, feed_dict)`` says which ops a ``Session.run`` would compute, without
computing them; ``graph_elements`` and ``fed_tensors`` read fetches and feed keys as the
session does. TF 1.x has no such functions: they are tutorflow's, for drawing and teaching.
"""

from .fetches import fed_tensors, graph_elements, ops_to_run

__all__ = ["fed_tensors", "graph_elements", "ops_to_run"]
