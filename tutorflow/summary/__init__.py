"""``tf.summary``: summary ops, which turn tensors into ``Summary`` protocol buffers, and the
``FileWriter`` that writes them to event files for TensorBoard.

    tf.summary.scalar("accuracy", accuracy)
    merged = tf.summary.merge_all()
    writer = tf.summary.FileWriter("logs/train", sess.graph)
    writer.add_summary(sess.run(merged, feed_dict), step)

Then ``tensorboard --logdir logs`` shows the scalars, histograms, images, text and the graph.
Needs the ``tensorboard`` package (``pip install tensorboard``), which brings TF's protos.
"""

from ..framework.protos import pb2
from ..ops.summary_ops import histogram, image, merge, merge_all, scalar, text
from .writer import FileWriter

__all__ = ["FileWriter", "Summary", "histogram", "image", "merge", "merge_all", "scalar", "text"]


def __getattr__(name):
    """``tf.summary.Summary``, the protocol buffer, loaded from tensorboard on first use."""
    if name == "Summary":
        return pb2("summary").Summary
    raise AttributeError(f"module 'tutorflow.summary' has no attribute '{name}'")
