"""TrainingMonitor: what it records, when it refreshes, its text lines and its widgets."""

import ipywidgets
import pytest
from IPython.display import Image

from tutorflow.widgets import monitor as monitor_module
from tutorflow.widgets.monitor import TrainingMonitor

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def printed_lines(capsys):
    return capsys.readouterr().out.splitlines()


def test_history_records_each_metric_with_its_step():
    monitor = TrainingMonitor(4, text=True, every=10)
    monitor.update(1, loss=2.5)
    monitor.update(2, loss=1.5, accuracy=0.5)
    monitor.update(4, loss=0.5)
    assert monitor.history == {"loss": [(1, 2.5), (2, 1.5), (4, 0.5)], "accuracy": [(2, 0.5)]}
    assert monitor.latest("accuracy") == 0.5
    assert monitor.step == 4


def test_values_are_stored_as_python_floats():
    import numpy as np

    monitor = TrainingMonitor(10, metrics=("loss",), text=True)
    monitor.update(1, loss=np.float32(0.25))
    ((_, value),) = monitor.history["loss"]
    assert type(value) is float and value == 0.25


def test_text_line_shows_step_and_latest_values(capsys):
    monitor = TrainingMonitor(600, every=100, text=True)
    monitor.update(99, loss=9.0)
    monitor.update(100, loss=0.412, accuracy=0.91)
    assert printed_lines(capsys) == ["step 100/600  loss 0.412  accuracy 0.91"]


def test_refreshes_every_n_steps_and_always_on_the_last(capsys):
    monitor = TrainingMonitor(250, metrics=("loss",), every=100, text=True)
    for step in range(1, 251):
        monitor.update(step, loss=1.0)
    shown = [line.split()[1] for line in printed_lines(capsys)]
    assert shown == ["100/250", "200/250", "250/250"]


def test_cadence_counts_steps_since_the_last_refresh(capsys):
    monitor = TrainingMonitor(250, metrics=("loss",), every=100, text=True)
    for step in [*range(30, 250, 30), 250]:  # updates every 30 steps
        monitor.update(step, loss=1.0)
    shown = [line.split()[1] for line in printed_lines(capsys)]
    assert shown == ["120/250", "240/250", "250/250"]


def test_close_shows_a_last_step_not_yet_shown_once(capsys):
    with TrainingMonitor(1000, metrics=("loss",), every=100, text=True) as monitor:
        for step in range(1, 151):  # the loop stops early
            monitor.update(step, loss=0.5)
    monitor.close()  # a second close prints nothing more
    assert printed_lines(capsys) == ["step 100/1000  loss 0.5", "step 150/1000  loss 0.5"]


def test_close_after_the_last_step_adds_no_line(capsys):
    with TrainingMonitor(3, metrics=("loss",), every=100, text=True) as monitor:
        for step in range(1, 4):
            monitor.update(step, loss=0.5)
    assert printed_lines(capsys) == ["step 3/3  loss 0.5"]


def test_title_prefixes_text_lines(capsys):
    monitor = TrainingMonitor(1, metrics=("loss",), title="softmax", text=True)
    monitor.update(1, loss=0.3)
    assert printed_lines(capsys) == ["softmax: step 1/1  loss 0.3"]


def test_outside_a_kernel_it_falls_back_to_text(capsys):
    monitor = TrainingMonitor(1, metrics=("loss",))
    monitor.update(1, loss=0.3)
    assert printed_lines(capsys) == ["step 1/1  loss 0.3"]


@pytest.mark.parametrize(
    "step, values, error, message",
    [
        (601, {"loss": 1.0}, ValueError, r"step 601 is outside 0\.\.600"),
        (-1, {"loss": 1.0}, ValueError, "outside"),
        (1, {"acc": 1.0}, ValueError, r"unknown metric\(s\) \['acc'\].*\('loss', 'accuracy'\)"),
        (1.5, {"loss": 1.0}, TypeError, "step must be an integer"),
    ],
)
def test_bad_updates_say_what_is_wrong(step, values, error, message):
    monitor = TrainingMonitor(600, text=True)
    with pytest.raises(error, match=message):
        monitor.update(step, **values)
    assert monitor.history == {"loss": [], "accuracy": []}


def test_steps_cannot_go_backwards():
    monitor = TrainingMonitor(600, text=True)
    monitor.update(10, loss=1.0)
    with pytest.raises(ValueError, match="step 5 comes before step 10"):
        monitor.update(5, loss=1.0)


def test_update_after_close_is_an_error():
    monitor = TrainingMonitor(10, text=True)
    monitor.close()
    with pytest.raises(RuntimeError, match="closed"):
        monitor.update(1, loss=1.0)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"total_steps": 0}, "total_steps must be a positive integer"),
        ({"total_steps": 10, "every": 0}, "every must be a positive integer"),
        ({"total_steps": 10, "metrics": ("loss", "loss")}, "distinct"),
        ({"total_steps": 10, "metrics": ()}, "distinct"),
    ],
)
def test_bad_settings_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        TrainingMonitor(text=True, **options)


class RecordingHandle:
    """Stands in for the display handle a Jupyter kernel returns."""

    def __init__(self):
        self.updates = []

    def update(self, obj):
        self.updates.append(obj)


@pytest.fixture
def displayed(monkeypatch):
    """What the widget path displays, captured without a kernel or a browser."""
    shown = []
    handle = RecordingHandle()

    def fake_display(obj, display_id=False):
        assert display_id is True  # the monitor needs a handle to replace its widgets later
        shown.append(obj)
        return handle

    monkeypatch.setattr(monitor_module, "display", fake_display)
    return shown, handle


def test_widget_path_builds_progress_bar_label_and_chart(displayed):
    shown, _ = displayed
    monitor = TrainingMonitor(200, every=100, title="softmax", text=False)
    (box,) = shown
    assert isinstance(box, ipywidgets.VBox)
    row, chart = box.children
    progress, label = row.children
    assert isinstance(progress, ipywidgets.IntProgress)
    assert (progress.min, progress.max, progress.value) == (0, 200, 0)
    assert progress.description == "softmax"
    assert isinstance(label, ipywidgets.Label)
    assert isinstance(chart, ipywidgets.Image) and chart.format == "png"

    monitor.update(100, loss=0.5, accuracy=0.875)
    assert progress.value == 100
    assert label.value.startswith("step 100/200  loss 0.5  accuracy 0.875")
    assert bytes(chart.value).startswith(PNG_MAGIC)
    monitor.close()


def test_widgets_refresh_on_the_same_cadence(displayed):
    shown, _ = displayed
    monitor = TrainingMonitor(250, metrics=("loss",), every=100, text=False)
    progress = shown[0].children[0].children[0]
    seen = []
    for step in range(1, 251):
        monitor.update(step, loss=1.0)
        seen.append(progress.value)
    assert sorted(set(seen)) == [0, 100, 200, 250]
    monitor.close()


def test_chart_redraws_are_throttled_but_the_last_step_is_drawn(displayed, monkeypatch):
    monkeypatch.setattr(monitor_module, "MIN_REDRAW_SECONDS", 3600.0)
    draws = []
    real_png = monitor_module._Curves.png
    monkeypatch.setattr(
        monitor_module._Curves,
        "png",
        lambda self, history: draws.append(1) or real_png(self, history),
    )
    monitor = TrainingMonitor(50, metrics=("loss",), every=1, text=False)
    for step in range(1, 51):
        monitor.update(step, loss=1.0 / step)
    assert len(draws) == 2  # the first refresh, then nothing for an hour except the last step


def test_closing_replaces_the_widgets_by_a_still_chart_and_a_line(displayed, capsys):
    shown, handle = displayed
    with TrainingMonitor(10, metrics=("loss",), every=5, text=False) as monitor:
        for step in range(1, 11):
            monitor.update(step, loss=1.0 / step)
    (still,) = handle.updates
    assert isinstance(still, Image) and still.data.startswith(PNG_MAGIC)
    assert printed_lines(capsys)[-1].startswith("step 10/10  loss 0.1  (")
    box = shown[0]
    assert (
        box.comm is None and bytes(box.children[1].value) == b""
    )  # closed, no PNG left in its state
