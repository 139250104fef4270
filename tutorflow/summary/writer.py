"""``tf.summary.FileWriter``: writes summaries, the graph and run metadata to an event file,
the format TensorBoard reads (``tensorboard --logdir <logdir>``).

    writer = tf.summary.FileWriter("logs/train", sess.graph)
    writer.add_summary(sess.run(merged, feed_dict), step)
    writer.close()

The events go through TensorBoard's own ``EventFileWriter`` (a background thread, flushed every
``flush_secs`` and on ``flush()`` and ``close()``).
"""

from __future__ import annotations

import time

from ..framework.graph import Graph
from ..framework.protos import pb2


class FileWriter:
    """An event file in ``logdir`` (created if missing), started with ``graph`` if given.

    Args:
        logdir: the run's folder; TensorBoard shows each folder under its ``--logdir`` as a run.
        graph: a ``tf.Graph`` (``sess.graph``) or a ``GraphDef`` to show in the Graphs dashboard.
        max_queue: events held before a write; flush_secs: seconds between flushes.
    """

    def __init__(
        self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None, filename_suffix=""
    ):
        pb2("event")  # first: without tensorboard, its ImportError says how to install it
        from tensorboard.summary.writer.event_file_writer import EventFileWriter

        self._writer = EventFileWriter(str(logdir), max_queue, flush_secs, filename_suffix or "")
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self) -> str:
        return self._writer.get_logdir()

    def add_event(self, event) -> None:
        """Writes an ``Event`` protocol buffer as it is."""
        self._writer.add_event(event)

    def _add(self, global_step, **fields) -> None:
        event = pb2("event").Event(wall_time=time.time(), **fields)
        if global_step is not None:
            event.step = int(global_step)
        self.add_event(event)

    def add_summary(self, summary, global_step=None) -> None:
        """Writes a ``Summary`` (as a summary op's value gives it, serialized, or the proto)
        at ``global_step``, the x coordinate of TensorBoard's plots."""
        if isinstance(summary, bytes):
            summary = pb2("summary").Summary.FromString(summary)
        self._add(global_step, summary=summary)

    def add_graph(self, graph, global_step=None, graph_def=None) -> None:
        """Writes ``graph`` (a ``tf.Graph``, with each output's shape, or a ``GraphDef``)."""
        graph = graph if graph is not None else graph_def
        if isinstance(graph, Graph):
            graph = graph.as_graph_def(add_shapes=True)
        self._add(global_step, graph_def=graph.SerializeToString())

    def add_run_metadata(self, run_metadata, tag, global_step=None) -> None:
        """Writes the ``tf.RunMetadata`` of a traced ``Session.run`` under ``tag``; TensorBoard's
        Graphs dashboard offers it as a "Session run" to colour nodes by compute time and memory."""
        tagged = pb2("event").TaggedRunMetadata(
            tag=tag, run_metadata=run_metadata.SerializeToString()
        )
        self._add(global_step, tagged_run_metadata=tagged)

    def flush(self) -> None:
        """Writes every pending event to disk."""
        self._writer.flush()

    def close(self) -> None:
        """Flushes and closes the event file."""
        self._writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
