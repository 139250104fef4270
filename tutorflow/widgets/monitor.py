"""TrainingMonitor: a progress bar and live loss/accuracy curves for a training loop.

In a Jupyter kernel it shows an ipywidgets progress bar, a line with the latest values and
the curves (drawn by matplotlib into a PNG), all updated in place. When the loop ends, the
widgets give way to a still picture of the final curves and one line of text, so a saved
notebook shows them on GitHub too. Anywhere else (a terminal, a script) it prints one plain
line per refresh::

    with TrainingMonitor(1000, every=100) as monitor:
        for step in range(1, 1001):
            _, loss = sess.run([train_step, cross_entropy], feed_dict)
            monitor.update(step, loss=loss)

    step 100/1000  loss 0.4123
    ...

Used in notebooks 5 (softmax regression), 6 (how learning works) and 8 (LeNet-5).
"""

from __future__ import annotations

import io
import numbers
import time
from collections.abc import Sequence

from IPython.display import Image, display

from ..course.language import say

MIN_REDRAW_SECONDS = 0.25  # the chart is redrawn at most four times a second


class TrainingMonitor:
    """Records metrics step by step and shows the progress every ``every`` steps.

    Args:
        total_steps: the number of the last step; ``update`` takes steps 0 to ``total_steps``,
            counting steps done (``update(i + 1, ...)`` in ``for i in range(total_steps)``).
        metrics: the names of the values ``update`` accepts, one curve each.
        every: refresh the display when at least this many steps have passed since the last
            refresh; the last step is always shown.
        title: shown beside the progress bar, or before each text line.
        text: True for plain text lines, False for widgets; None picks widgets inside a
            Jupyter kernel and text elsewhere.

    Attributes:
        history: for each metric, the list of ``(step, value)`` recorded.
    """

    def __init__(
        self,
        total_steps: int,
        metrics: Sequence[str] = ("loss", "accuracy"),
        every: int = 100,
        title: str | None = None,
        text: bool | None = None,
    ):
        if not isinstance(total_steps, numbers.Integral) or total_steps < 1:
            raise ValueError(f"total_steps must be a positive integer, got {total_steps!r}")
        if not isinstance(every, numbers.Integral) or every < 1:
            raise ValueError(f"every must be a positive integer, got {every!r}")
        if isinstance(metrics, str):
            metrics = (metrics,)
        metrics = tuple(metrics)
        if not metrics or len(set(metrics)) != len(metrics):
            raise ValueError(f"metrics must be distinct names, at least one; got {metrics!r}")
        self.total_steps = int(total_steps)
        self.metrics = metrics
        self.every = int(every)
        self.title = title
        self.history: dict[str, list[tuple[int, float]]] = {m: [] for m in metrics}
        self.step = 0
        self._shown_step = 0
        self._started = time.perf_counter()
        self._closed = False
        use_text = not _in_kernel() if text is None else text
        self._view = _TextView(self) if use_text else _WidgetView(self)

    def update(self, step: int, **values: float) -> None:
        """Records ``values`` (e.g. ``loss=0.41``) at ``step`` and refreshes the display when
        ``every`` steps have passed since the last refresh, or at the last step."""
        if self._closed:
            raise RuntimeError("This TrainingMonitor is closed; create a new one to train again")
        if not isinstance(step, numbers.Integral):
            raise TypeError(f"step must be an integer, got {step!r}")
        if not 0 <= step <= self.total_steps:
            raise ValueError(f"step {step} is outside 0..{self.total_steps} (total_steps)")
        if step < self.step:
            raise ValueError(f"step {step} comes before step {self.step}: steps only go forward")
        unknown = sorted(set(values) - set(self.metrics))
        if unknown:
            raise ValueError(f"unknown metric(s) {unknown}; this monitor tracks {self.metrics}")
        for metric, value in values.items():
            self.history[metric].append((int(step), float(value)))
        self.step = int(step)
        if step == self.total_steps or step - self._shown_step >= self.every:
            self._refresh()

    def latest(self, metric: str) -> float | None:
        """The last value recorded for ``metric``, or None before the first."""
        points = self.history[metric]
        return points[-1][1] if points else None

    def status_line(self) -> str:
        """``"step 100/600  loss 0.412  accuracy 0.91"``: the step and the latest values
        (``"第 100/600 步  loss 0.412  accuracy 0.91"`` in Chinese: metrics keep their names)."""
        step = f"{self.step}/{self.total_steps}"
        parts = [say(f"step {step}", f"第 {step} 步")]
        for metric in self.metrics:
            value = self.latest(metric)
            if value is not None:
                parts.append(f"{metric} {value:.4g}")
        return "  ".join(parts)

    @property
    def elapsed(self) -> float:
        """Seconds since the monitor was created."""
        return time.perf_counter() - self._started

    def close(self) -> None:
        """Shows the last step recorded if it was not shown yet and ends the display."""
        if self._closed:
            return
        if self.step != self._shown_step:
            self._refresh()
        self._view.close()
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _refresh(self) -> None:
        self._shown_step = self.step
        self._view.show(final=self.step == self.total_steps)


class _TextView:
    """One printed line per refresh."""

    def __init__(self, monitor: TrainingMonitor):
        self.monitor = monitor

    def show(self, final: bool) -> None:
        prefix = f"{self.monitor.title}: " if self.monitor.title else ""
        print(prefix + self.monitor.status_line(), flush=True)

    def close(self) -> None:
        pass


class _WidgetView:
    """A progress bar, a label and a chart, replaced by a still chart when training ends."""

    def __init__(self, monitor: TrainingMonitor):
        import ipywidgets

        self.monitor = monitor
        self.progress = ipywidgets.IntProgress(
            value=0, min=0, max=monitor.total_steps, description=monitor.title or ""
        )
        self.label = ipywidgets.Label(value=monitor.status_line())
        self.chart = ipywidgets.Image(format="png")
        self.row = ipywidgets.HBox([self.progress, self.label])
        self.box = ipywidgets.VBox([self.row, self.chart])
        self._curves = _Curves(monitor.metrics, monitor.total_steps, monitor.title)
        self._drawn_at = -float("inf")
        self.handle = display(self.box, display_id=True)

    def show(self, final: bool) -> None:
        self.progress.value = self.monitor.step
        self.label.value = f"{self.monitor.status_line()}  ({self.monitor.elapsed:.1f} s)"
        now = time.perf_counter()
        if final or now - self._drawn_at >= MIN_REDRAW_SECONDS:
            self.chart.value = self._curves.png(self.monitor.history)
            self._drawn_at = now

    def close(self) -> None:
        png = self._curves.png(self.monitor.history)
        self.chart.value = b""  # a saved notebook then keeps no stale copy in its widget state
        for widget in (self.progress, self.label, self.row, self.chart, self.box):
            widget.close()
        if self.handle is not None:  # None when displayed outside IPython
            self.handle.update(Image(png))
        print(self.label.value, flush=True)


class _Curves:
    """One matplotlib plot per metric, redrawn into PNG bytes without pyplot (so nothing is
    displayed behind the monitor's back)."""

    def __init__(self, metrics: tuple[str, ...], total_steps: int, title: str | None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(3.4 * len(metrics), 2.6), dpi=96, layout="constrained")
        FigureCanvasAgg(self.figure)
        if title:
            self.figure.suptitle(title)
        self.lines = {}
        for axes, metric in zip(self.figure.subplots(1, len(metrics), squeeze=False)[0], metrics):
            axes.set_title(metric)
            axes.set_xlabel("step")
            axes.set_xlim(0, total_steps)
            axes.grid(alpha=0.3)
            (self.lines[metric],) = axes.plot([], [], markersize=3)

    def png(self, history: dict[str, list[tuple[int, float]]]) -> bytes:
        for metric, line in self.lines.items():
            points = history[metric]
            line.set_data([s for s, _ in points], [v for _, v in points])
            line.set_marker("o" if len(points) <= 30 else "")  # sparse evaluations as dots
            line.axes.relim()
            line.axes.autoscale_view(scalex=False)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()


def _in_kernel() -> bool:
    """True inside a Jupyter kernel (where widgets can be shown), False in a terminal."""
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")
