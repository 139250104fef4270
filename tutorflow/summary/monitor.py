"""A training monitor that logs for TensorBoard: hand it to the course's
``models.load_or_train(…, monitor=…)``, which calls ``update(step, loss=…, accuracy=…)``.

    from tutorflow.summary.monitor import SummaryMonitor
    writer = tf.summary.FileWriter("logs/lenet5", tf.get_default_graph())
    sess = models.load_or_train(model, "lenet5", steps, monitor=SummaryMonitor(writer))
    writer.close()               # then: tensorboard --logdir logs

A restored model trains no steps, so it logs nothing but the graph.
"""

from __future__ import annotations

from ..framework.protos import pb2


class SummaryMonitor:
    """Writes each ``update``'s values as scalars at ``step`` to ``writer`` (a FileWriter),
    and passes them on to ``also`` (another monitor, such as the TrainingMonitor widget)."""

    def __init__(self, writer, also=None):
        self.writer = writer
        self.also = also

    def update(self, step: int, **scalars) -> None:
        Summary = pb2("summary").Summary
        values = [Summary.Value(tag=tag, simple_value=v) for tag, v in scalars.items()]
        self.writer.add_summary(Summary(value=values), step)
        if self.also is not None:
            self.also.update(step, **scalars)
