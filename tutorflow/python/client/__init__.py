"""``from tensorflow.python.client import timeline``, as classic profiling code writes it."""
