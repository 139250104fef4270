"""The graph data structures: dtypes, shapes, graphs, operations, tensors, the op registry."""
