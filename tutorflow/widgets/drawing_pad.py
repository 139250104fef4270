"""A canvas to draw a digit on, with mouse, pen or finger; Python gets the ink after each stroke.

    pad = DrawingPad()
    pad                        # draw in the notebook
    pad.digit                  # (28, 28) float32, MNIST-like, or None while the canvas is empty
    pad.on_draw(lambda pad: print(pad.digit is not None))

Drawing happens in the browser (``static/drawing_pad.js``); when a stroke ends the canvas's ink
is sent to Python as ``size * size`` bytes, one per pixel. Python can draw too:
``pad.set_image(array)`` puts any image on the canvas and ``pad.draw(strokes)`` adds pen strokes,
which lets notebooks and tests drive the pad without a mouse. Used in notebooks 09 and 10.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import anywidget
import numpy as np
import traitlets
from ipywidgets.widgets.trait_types import bytes_serialization

from ..course.language import say
from ..course.preprocess import DigitSteps, ink_intensity, preprocess, resize_area

STATIC = Path(__file__).parent / "static"
MIN_SIZE = 28  # a smaller canvas cannot hold the 28x28 digit the models see


class DrawingPad(anywidget.AnyWidget):
    """A square canvas with brush size, Undo and Clear.

    Attributes:
        size: side of the canvas in pixels (fixed once shown).
        brush: brush diameter in canvas pixels; the slider under the canvas changes it.
        pixels: the ink, ``size * size`` bytes, row by row: 0 = paper, 255 = full ink.
        labels: the words on the buttons and the canvas, in the course's language when the
            pad is made (``tutorflow.course.set_language``).
    """

    _esm = STATIC / "drawing_pad.js"
    _css = STATIC / "drawing_pad.css"

    size = traitlets.Int(280).tag(sync=True)
    brush = traitlets.Int(20).tag(sync=True)
    pixels = traitlets.Bytes(b"").tag(sync=True, **bytes_serialization)
    labels = traitlets.Dict().tag(sync=True)

    @traitlets.default("labels")
    def _labels_in_the_course_language(self):
        return {
            "undo": say("Undo", "撤销"),
            "undo_tip": say("undo the last stroke", "撤销最后一笔"),
            "clear": say("Clear", "清除"),
            "clear_tip": say("wipe the canvas", "擦掉整个画布"),
            "brush": say("Brush", "画笔"),
            "canvas": say("drawing canvas: draw a digit", "画布：画一个数字"),
        }

    @traitlets.validate("size")
    def _check_size(self, proposal):
        if proposal["value"] < MIN_SIZE:
            raise traitlets.TraitError(
                f"DrawingPad size must be at least {MIN_SIZE} pixels (an MNIST digit is "
                f"{MIN_SIZE}x{MIN_SIZE}), got {proposal['value']}"
            )
        return proposal["value"]

    @traitlets.validate("brush")
    def _check_brush(self, proposal):
        if proposal["value"] < 1:
            raise traitlets.TraitError(
                f"DrawingPad brush must be at least 1 pixel wide, got {proposal['value']}"
            )
        return proposal["value"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._steps: DigitSteps | None = None
        self._callbacks: list[Callable[[DrawingPad], None]] = []
        self.observe(self._on_pixels, names="pixels")

    def __repr__(self) -> str:
        return f"DrawingPad(size={self.size}, brush={self.brush})"

    @property
    def image(self) -> np.ndarray:
        """The raw canvas, ``(size, size)`` uint8 ink (light on dark, as MNIST)."""
        if len(self.pixels) != self.size * self.size:
            return np.zeros((self.size, self.size), dtype=np.uint8)
        return np.frombuffer(self.pixels, dtype=np.uint8).reshape(self.size, self.size)

    @property
    def steps(self) -> DigitSteps | None:
        """Each preprocessing step of the current drawing (see ``preprocess``); None if empty."""
        return self._steps

    @property
    def digit(self) -> np.ndarray | None:
        """The drawing as an MNIST digit, (28, 28) float32 in [0, 1]; None while empty."""
        return None if self._steps is None else self._steps.digit

    def set_image(self, image: np.ndarray, ink: str = "light") -> None:
        """Put ``image`` on the canvas, replacing the drawing (an MNIST digit, a scan...).

        Args:
            image: any shape and dtype ``preprocess.ink_intensity`` accepts; a non-square image
                is centred on square paper first, then scaled to the canvas.
            ink: ``"light"`` for light ink on dark (MNIST), ``"dark"`` for dark ink on light.
        """
        intensity = ink_intensity(image, ink)
        side = max(intensity.shape)
        square = np.zeros((side, side), dtype=np.float32)
        top, left = (side - intensity.shape[0]) // 2, (side - intensity.shape[1]) // 2
        square[top : top + intensity.shape[0], left : left + intensity.shape[1]] = intensity
        canvas = resize_area(square, self.size, self.size)
        self.pixels = np.round(np.clip(canvas, 0, 1) * 255).astype(np.uint8).tobytes()

    def draw(self, strokes: list) -> None:
        """Draw pen strokes from Python, over the current drawing, as the mouse would.

        Args:
            strokes: a list of strokes, each a list of (x, y) points in canvas pixels.
        """
        ink = render_strokes(strokes, self.size, self.brush).astype(np.float32) / 255
        below = self.image.astype(np.float32) / 255
        over = 1 - (1 - below) * (1 - ink)  # ink laid over ink, as the canvas composites it
        self.pixels = np.round(over * 255).astype(np.uint8).tobytes()

    def clear(self) -> None:
        """Wipe the canvas."""
        self.pixels = bytes(self.size * self.size)

    def on_draw(self, callback: Callable[[DrawingPad], None], remove: bool = False) -> None:
        """Call ``callback(pad)`` whenever the drawing changes (a stroke, Undo, Clear, or
        ``set_image``); ``remove=True`` stops it, as ``Button.on_click`` does."""
        if remove:
            self._callbacks.remove(callback)
        else:
            self._callbacks.append(callback)

    def _on_pixels(self, change) -> None:
        self._steps = preprocess(self.image)
        for callback in self._callbacks:
            callback(self)


def render_strokes(strokes: list, size: int = 280, brush: int = 20) -> np.ndarray:
    """Strokes as the browser's canvas draws them: lines ``brush`` pixels wide with round ends
    and joins, anti-aliased. Returns (size, size) uint8 ink.

    Args:
        strokes: a list of strokes, each a list of (x, y) points in canvas pixels.
    """
    rows, cols = np.mgrid[0:size, 0:size] + 0.5  # pixel centres
    distance = np.full((size, size), np.inf)
    for stroke in strokes:
        points = np.asarray(stroke, dtype=float).reshape(-1, 2)
        if len(points) == 1:
            points = np.repeat(points, 2, axis=0)  # a tap leaves a dot
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            dx, dy = x1 - x0, y1 - y0
            length2 = max(dx * dx + dy * dy, 1e-12)
            t = np.clip(((cols - x0) * dx + (rows - y0) * dy) / length2, 0, 1)  # nearest point
            distance = np.minimum(distance, np.hypot(cols - x0 - t * dx, rows - y0 - t * dy))
    coverage = np.clip(brush / 2 - distance + 0.5, 0, 1)  # a one-pixel soft edge
    return np.round(coverage * 255).astype(np.uint8)
