"""The learner's progress as a table: one line a notebook, a mark an exercise (notebook 01
shows it with ``tutorflow.course.progress()``)."""

from __future__ import annotations

from .exercises import by_notebook
from .language import Text
from .tracker import DONE, NOT_STARTED, TRIED, load, status


def summary() -> list[tuple[str, dict[str, str]]]:
    """For each notebook, in course order: its name and ``{exercise id: status}``."""
    state = load()
    return [
        (notebook, {item.id: status(item.id, state) for item in items})
        for notebook, items in by_notebook().items()
    ]


_MARKS = {DONE: "✓", TRIED: "✗", NOT_STARTED: "·"}
_NAMES = {
    DONE: Text("done", "完成"),
    TRIED: Text("tried", "尝试过"),
    NOT_STARTED: Text("not started", "未开始"),
}


def as_text() -> str:
    """One line a notebook: ``05_softmax_regression  ✓✓✗··  2 done, 1 tried, 2 not started``."""
    lines = []
    for notebook, statuses in summary():
        marks = "".join(_MARKS[s] for s in statuses.values())
        counts = ", ".join(f"{list(statuses.values()).count(s)} {_NAMES[s]}" for s in _MARKS)
        lines.append(f"{notebook:<30} {marks:<8} {counts}")
    return "\n".join(lines)


def as_html() -> str:
    colours = {DONE: "#2e7d32", TRIED: "#c62828", NOT_STARTED: "#9e9e9e"}
    rows = []
    for notebook, statuses in summary():
        cells = "".join(
            f'<span title="{ex_id}: {_NAMES[s]}" style="color:{colours[s]};font-size:1.2em">'
            f"{_MARKS[s]}</span>"
            for ex_id, s in statuses.items()
        )
        done = list(statuses.values()).count(DONE)
        rows.append(
            f"<tr><td><code>{notebook}</code></td><td>{cells}</td>"
            f"<td>{done}/{len(statuses)} {_NAMES[DONE]}</td></tr>"
        )
    legend = " ".join(
        f'<span style="color:{colours[s]}">{_MARKS[s]}</span> {_NAMES[s]}' for s in _MARKS
    )
    return f"<table>{''.join(rows)}</table><p>{legend}</p>"


def show():
    """A small widget of the progress where widgets work; the text table otherwise."""
    try:
        import ipywidgets
        from IPython import get_ipython

        if get_ipython() is not None and hasattr(get_ipython(), "kernel"):
            return ipywidgets.HTML(as_html())
    except ImportError:
        pass
    print(as_text())
    return None
