"""The ten class probabilities of one model or several, as bars, live as a digit is drawn.

    bars = PredictionBars({
        "softmax regression": (sess, softmax.x, softmax.probabilities),
        "LeNet-5": (sess, lenet.x, lenet.probabilities, {lenet.keep_prob: 1.0}),
    })
    bars.update(digit)            # (28, 28) in [0, 1]; None shows "draw a digit"

    LivePredictor(DrawingPad(), models)   # the pad, what the network sees, and the bars

A model is a session with its input and output tensors (plus any extra feed, such as dropout's
``keep_prob``), or any callable taking one (28, 28) digit to ten probabilities. A model whose
output is not ten probabilities (logits, NaN, three classes) gets no guess, and its column says
what is wrong. Notebook 09.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np

from ..course.language import Text, say
from .drawing_pad import DrawingPad
from .images import show_png

Classifier = Callable[[np.ndarray], np.ndarray]
Model = Classifier | tuple
EMPTY_MESSAGE = Text("draw a digit", "画一个数字")
NO_GUESS = Text("no guess", "无法判断")
NUM_CLASSES = 10
SUM_TOLERANCE = 1e-3  # float32 softmax sums to 1 within about 1e-6


def as_classifier(model: Model, name: str = "model") -> Classifier:
    """``model`` as a function from one (28, 28) digit to ten probabilities.

    Args:
        model: a callable doing just that, or ``(session, input, probabilities)`` or
            ``(session, input, probabilities, feed_dict)``; the digit is reshaped to the
            input's shape, e.g. ``(1, 784)`` or ``(1, 28, 28, 1)``.
        name: how error messages call the model.

    Raises:
        ValueError: a tensor of the tuple is not in the session's graph, or the output's
            shape cannot hold ten probabilities.
    """
    if callable(model):
        return model
    if not isinstance(model, tuple) or len(model) not in (3, 4):
        raise TypeError(
            "a model is a callable digit -> probabilities, or a tuple (session, input tensor, "
            f"probabilities tensor[, feed_dict]); got {type(model).__name__}"
        )
    session, inputs, probabilities, *extra = model
    feed = dict(extra[0]) if extra else {}
    _check_session_model(name, session, inputs, probabilities, feed)
    dims = inputs.shape.as_list() if inputs.shape.ndims is not None else [None, 784]
    shape = [1] + [-1 if size is None else size for size in dims[1:]]

    def classify(digit: np.ndarray) -> np.ndarray:
        batch = np.asarray(digit, dtype=np.float32).reshape(shape)
        return session.run(probabilities, feed_dict={**feed, inputs: batch})[0]

    return classify


def _check_session_model(name, session, inputs, probabilities, feed) -> None:
    """Raises, when the widget is built, what would otherwise fail at the first stroke."""
    for tensor in (inputs, probabilities, *feed):
        if tensor.graph is not session.graph:
            raise ValueError(
                f"model '{name}': Tensor '{tensor.name}' is not an element of the session's "
                f"graph; run the model in a session of its own graph: "
                f"tf.Session(graph={inputs.op.name}.graph)"
            )
    dims = probabilities.shape.as_list() if probabilities.shape.ndims else []
    if dims and dims[-1] is not None and dims[-1] != NUM_CLASSES:
        raise ValueError(
            f"model '{name}': its output Tensor '{probabilities.name}' has shape "
            f"{probabilities.shape}; the bars need {NUM_CLASSES} probabilities, one per digit"
        )


def problem_with(output: np.ndarray) -> Text | None:
    """Why ``output`` cannot be shown as the ten probabilities of a digit; None if it can."""
    if output.size != NUM_CLASSES:
        return Text(
            f"it gave {output.size} values; the bars need {NUM_CLASSES}, one per digit",
            f"它给出了 {output.size} 个值；条形图需要 {NUM_CLASSES} 个，每个数字一个",
        )
    if np.isnan(output).any():
        return Text(
            "it gave NaN (not a number) for this digit: its weights hold NaN, often after "
            "training with too large a learning rate",
            "它对这个数字给出了 NaN（不是一个数）：它的权重里有 NaN，常常是因为训练时学习率太大",
        )
    total, negative = output.sum(), (output < 0).any()
    if negative or not abs(total - 1) <= SUM_TOLERANCE:
        return Text(
            f"its outputs are not probabilities: they sum to {total:.4g}"
            f"{', and some are negative' if negative else ''}. "
            "Give the bars tf.nn.softmax(logits) rather than the logits",
            f"它的输出不是概率：总和为 {total:.4g}{'，而且有负数' if negative else ''}。"
            "请把 tf.nn.softmax(logits) 交给条形图，而不是 logits 本身",
        )
    return None


class PredictionBars(widgets.HTML):
    """A column of ten bars per model: the probability it gives each digit, its guess on top.

    Args:
        models: ``{name: model}``, or a single model (named "model"); see ``as_classifier``.

    Attributes:
        probabilities: ``{name: (10,) array}`` for the digit last shown, empty while none is.
        problems: ``{name: why}`` (a ``Text``) for each model whose output for that digit is not ten
            probabilities (see ``problem_with``); such a model shows "no guess" and why.
    """

    def __init__(self, models: dict[str, Model] | Model, **kwargs):
        super().__init__(**kwargs)
        named = models if isinstance(models, dict) else {"model": models}
        self.classifiers = {name: as_classifier(model, name) for name, model in named.items()}
        self.probabilities: dict[str, np.ndarray] = {}
        self.problems: dict[str, Text] = {}
        self.update(None)

    def __repr__(self) -> str:
        return f"PredictionBars(models={list(self.classifiers)})"

    @property
    def guesses(self) -> dict[str, int | None]:
        """Each model's most probable digit (None while no digit is shown, and for a model
        whose output is not ten probabilities)."""
        return {
            name: None
            if name not in self.probabilities or name in self.problems
            else int(np.argmax(self.probabilities[name]))
            for name in self.classifiers
        }

    def update(self, digit: np.ndarray | None) -> None:
        """Classify ``digit`` (28, 28) with every model and redraw; None says "draw a digit"."""
        self.probabilities = (
            {}
            if digit is None
            else {
                name: np.asarray(f(digit), dtype=float).reshape(-1)
                for name, f in self.classifiers.items()
            }
        )
        found = {name: problem_with(p) for name, p in self.probabilities.items()}
        self.problems = {name: problem for name, problem in found.items() if problem}
        self.value = _bars_html(self.classifiers, self.probabilities, self.problems)


def _bars_html(names, probabilities: dict[str, np.ndarray], problems: dict[str, Text]) -> str:
    columns = "".join(
        _column_html(name, probabilities.get(name), problems.get(name)) for name in names
    )
    return f'<div class="tf-predictions" style="display:flex;gap:24px">{columns}</div>'


_ROW = (
    '<div style="display:flex;align-items:center;gap:6px;height:18px">'
    '<span style="width:10px">{digit}</span>'
    '<span style="width:120px;height:12px;background:#eee">'
    '<span class="tf-bar" style="display:block;height:12px;width:{percent:.1f}%;'
    'background:{color}"></span></span>'
    '<span style="width:48px;text-align:right">{percent:.1f}%</span>'
    "</div>"
)


def _column_html(name: str, probabilities: np.ndarray | None, problem: Text | None) -> str:
    """One model's column: its name, its guess (or "draw a digit", or "no guess" and why),
    ten bars."""
    unusable = probabilities is None or problem is not None
    guess = "" if unusable else str(int(np.argmax(probabilities)))
    shown = np.zeros(NUM_CLASSES) if unusable else probabilities
    rows = "".join(
        _ROW.format(
            digit=digit, percent=100 * p, color="#e8710a" if str(digit) == guess else "#4285f4"
        )
        for digit, p in enumerate(shown)
    )
    size = "28px" if guess else "16px"
    name = html.escape(name)
    shown_guess = guess or (EMPTY_MESSAGE if problem is None else NO_GUESS)
    why = (
        ""
        if problem is None
        else f'<div class="tf-problem" style="color:#c5221f;max-width:190px">'
        f"{html.escape(str(problem))}</div>"
    )
    return (
        f'<div class="tf-model" data-model="{name}" style="font-family:sans-serif;min-width:190px">'
        f'<div style="font-weight:bold">{name}</div>'
        f'<div class="tf-guess" data-guess="{guess}" '
        f'style="font-size:{size};height:40px;line-height:40px">{shown_guess}</div>'
        f"{why}{rows}</div>"
    )


class LivePredictor(widgets.HBox):
    """A drawing pad wired to prediction bars: every stroke updates the probabilities.

    Between them, the 28x28 digit the models actually see (after ``preprocess``).

    Args:
        pad: the ``DrawingPad`` to listen to.
        models: as for ``PredictionBars``.
    """

    def __init__(self, pad: DrawingPad, models: dict[str, Model] | Model, **kwargs):
        self.pad = pad
        self.bars = PredictionBars(models)
        self.seen = widgets.Image(format="png")
        seeing = say("what the models see", "模型看到的")
        seen_box = widgets.VBox([widgets.HTML(f"<b>{seeing}</b>"), self.seen])
        seen_box.layout.margin = "0 16px"
        super().__init__([pad, seen_box, self.bars], **kwargs)
        pad.on_draw(self._drawn)
        self._drawn(pad)

    def __repr__(self) -> str:
        return f"LivePredictor({self.pad!r}, models={list(self.bars.classifiers)})"

    def _drawn(self, pad: DrawingPad) -> None:
        digit = pad.digit
        blank = np.zeros((28, 28))
        show_png(self.seen, blank if digit is None else digit, 4, vmin=0, vmax=1)
        self.bars.update(digit)
