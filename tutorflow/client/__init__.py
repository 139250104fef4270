"""Sessions: the only place where a graph is computed."""
