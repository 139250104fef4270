"""FilterEditor: type the nine weights of a 3x3 filter, or pick a preset, and see a digit
filtered by ``tf.nn.conv2d`` as you type.

    editor = FilterEditor(mnist.test.images[0].reshape(28, 28), preset="sharpen")
    editor                       # shows the grid, the presets and the two images
    editor.filter = [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    editor.result                # the filtered image, a (28, 28) array

Taught in notebook 07 (convolution and pooling).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

import tutorflow as tf

from ..course.language import Text
from .images import to_png

SIZE = 3
PIXEL_ZOOM = 6  # each image pixel is drawn as a 6x6 block: 28x28 becomes 168x168, crisp
CUSTOM = "custom"

PRESETS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    # Sobel filters: positive where brightness grows downwards (rightwards), negative where it falls
    "horizontal edges": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "vertical edges": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "Laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}
# What the menu shows for each preset (its value stays the name above, in either language).
SHOWN = {
    "identity": Text("identity", "恒等"),
    "blur": Text("blur", "模糊"),
    "sharpen": Text("sharpen", "锐化"),
    "horizontal edges": Text("horizontal edges", "水平边缘"),
    "vertical edges": Text("vertical edges", "竖直边缘"),
    "Laplacian": Text("Laplacian", "拉普拉斯"),
    CUSTOM: Text("custom", "自定义"),
}


class Convolver:
    """``tf.nn.conv2d`` of one grey image with one 3x3 filter (stride 1, SAME padding), in a
    graph and session of its own so that the notebook's default graph is left alone."""

    def __init__(self, height: int, width: int):
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.image = tf.placeholder(tf.float32, [height, width])
            self.filter = tf.placeholder(tf.float32, [SIZE, SIZE])
            convolved = tf.nn.conv2d(
                tf.reshape(self.image, [1, height, width, 1]),
                tf.reshape(self.filter, [SIZE, SIZE, 1, 1]),
                strides=[1, 1, 1, 1],
                padding="SAME",
            )
            self.output = tf.reshape(convolved, [height, width])
        self.session = tf.Session(graph=self.graph)

    def __call__(self, image: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return self.session.run(self.output, {self.image: image, self.filter: weights})


class FilterEditor(widgets.HBox):
    """A 3x3 grid of weights with a preset menu, beside the digit and the digit filtered.

    Editing a cell, choosing a preset or assigning ``filter`` recomputes ``result``; the menu
    reads "custom" when the weights match no preset.

    Args:
        image: a grey image ``(H, W)``, or a flat MNIST row of 784 values.
        preset: the preset to start with (a key of ``PRESETS``).

    Attributes:
        result: the filtered image, ``(H, W)``, for the weights now in the cells.
        cells, presets: the nine FloatText cells (row by row) and the preset Dropdown.
    """

    def __init__(self, image, preset: str = "identity"):
        image = np.asarray(image, np.float32)
        image = image.reshape(28, 28) if image.shape == (784,) else image
        if image.ndim != 2 or 0 in image.shape:
            raise ValueError(
                "FilterEditor needs a grey image of shape (H, W), or a flat MNIST row of 784 "
                f"values; got shape {image.shape}"
            )
        if preset not in PRESETS:
            choices = ", ".join(repr(name) for name in PRESETS)
            raise ValueError(f"Unknown preset {preset!r}; choose one of {choices}")
        self.image = image
        self._convolve = Convolver(*self.image.shape)
        self._filling = False  # True while cells are set together, so the result is made once
        self.cells = [
            widgets.FloatText(step=0.1, layout=widgets.Layout(width="4.5em"))
            for _ in range(SIZE * SIZE)
        ]
        self.presets = widgets.Dropdown(
            options=[(str(SHOWN[name]), name) for name in [*PRESETS, CUSTOM]],
            description=str(Text("preset", "预设")),
            layout=widgets.Layout(width="15em"),
        )
        self.weight_sum = widgets.Label()
        self.original = widgets.Image(format="png", value=png(self.image))
        self.filtered = widgets.Image(format="png")
        grid = widgets.GridBox(
            self.cells, layout=widgets.Layout(grid_template_columns=f"repeat({SIZE}, 4.8em)")
        )
        super().__init__(
            [
                widgets.VBox([self.presets, grid, self.weight_sum]),
                _captioned(self.original, Text("digit", "数字")),
                _captioned(self.filtered, Text("filtered", "滤波结果")),
            ]
        )
        for cell in self.cells:
            cell.observe(self._on_cell, names="value")
        self.presets.observe(self._on_preset, names="value")
        self.filter = PRESETS[preset]

    @property
    def filter(self) -> np.ndarray:
        """The weights in the cells, ``(3, 3)``; assign a 3x3 array-like to change them all."""
        return np.array([cell.value for cell in self.cells], np.float32).reshape(SIZE, SIZE)

    @filter.setter
    def filter(self, values) -> None:
        values = np.asarray(values, np.float64)
        if values.shape != (SIZE, SIZE):
            raise ValueError(f"a filter has shape ({SIZE}, {SIZE}), got {values.shape}")
        self._filling = True
        try:
            for cell, value in zip(self.cells, values.flat):
                cell.value = round(float(value), 4)
        finally:
            self._filling = False
        self._update()

    def __repr__(self) -> str:  # short and stable: the widget's own repr lists every child
        return f"FilterEditor(preset={self.presets.value!r})"

    def _on_cell(self, change) -> None:
        if not self._filling:
            self._update()

    def _on_preset(self, change) -> None:
        if change["new"] != CUSTOM and not self._filling:
            self.filter = PRESETS[change["new"]]

    def _update(self) -> None:
        weights = self.filter
        self.result = self._convolve(self.image, weights)
        self.filtered.value = png(self.result)
        total = f"{weights.sum():.4g}"
        self.weight_sum.value = str(Text(f"weights sum to {total}", f"权重之和为 {total}"))
        self._filling = True  # showing the matching preset must not refill the cells
        try:
            self.presets.value = matching_preset(weights)
        finally:
            self._filling = False


def matching_preset(weights: np.ndarray) -> str:
    """The name of the preset equal to ``weights`` (to 4 decimals), else "custom"."""
    for name, preset in PRESETS.items():
        if np.allclose(weights, preset, atol=1e-4):
            return name
    return CUSTOM


def png(image: np.ndarray) -> bytes:
    """A PNG of ``image``, enlarged, in the course's colours: an image with negative values
    (a filter's response) in red and blue with zero white; others as dark ink on light paper,
    from paper (0) to full ink (their max)."""
    high = float(np.abs(image).max()) or 1.0
    if image.min() < 0:
        return to_png(image, cmap="RdBu_r", vmin=-high, vmax=high, scale=PIXEL_ZOOM)
    return to_png(image, cmap="gray_r", vmin=0.0, vmax=high, scale=PIXEL_ZOOM)


def _captioned(image: widgets.Image, caption: Text) -> widgets.VBox:
    return widgets.VBox([widgets.Label(str(caption)), image])
