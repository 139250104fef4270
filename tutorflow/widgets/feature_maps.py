"""Inside a convolutional network: its first-layer filters, and what each layer makes of a digit.

    FilterGrid(sess.run(lenet.weights["conv1/W"]))          # 32 learned 5x5 filters
    maps = FeatureMaps(sess, lenet.x, {"conv1": lenet.h_conv1, "pool1": lenet.h_pool1},
                       feed={lenet.keep_prob: 1.0}, images=mnist.test.images)
    maps.follow(pad)                                        # and the digit drawn on a pad

Filters are drawn red where they add up ink and blue where they subtract it; feature maps are
bright where the layer responds. Notebook 10.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..course.language import say
from .drawing_pad import DrawingPad
from .images import mosaic, show_png

_WIDE_LABEL = {"description_width": "initial"}  # room for the whole label


class FilterGrid(widgets.VBox):
    """The filters of a conv layer as a grid of small images, on one shared colour scale.

    Args:
        weights: the layer's filter bank, (KH, KW, C_in, C_out), e.g. ``sess.run(W_conv1)``.
        columns: filters per row.
        scale: screen pixels per filter weight.

    With more than one input channel, a slider picks the channel whose filters are shown.

    Attributes:
        grid: the mosaic on show, (rows, columns) of weights with NaN between the filters.
    """

    def __init__(self, weights: np.ndarray, columns: int = 8, scale: int = 10, **kwargs):
        weights = np.asarray(weights, dtype=np.float32)
        if weights.ndim != 4:
            raise ValueError(f"expected filters (KH, KW, C_in, C_out), got shape {weights.shape}")
        self.weights, self.columns, self.scale = weights, columns, scale
        self.limit = float(np.abs(weights).max()) or 1.0  # symmetric: zero is always white
        self.channel = widgets.IntSlider(
            0,
            0,
            weights.shape[2] - 1,
            description=say("input channel", "输入通道"),
            style=_WIDE_LABEL,
        )
        self.image = widgets.Image(format="png")
        count, size = weights.shape[3], f"{weights.shape[0]}x{weights.shape[1]}"
        caption = widgets.HTML(
            say(
                f"{count} filters of {size}: red adds, blue subtracts",
                f"{count} 个 {size} 的卷积核：红色加，蓝色减",
            )
        )
        controls = [self.channel] if weights.shape[2] > 1 else []
        super().__init__([caption, *controls, self.image], **kwargs)
        self.channel.observe(lambda change: self._draw(), names="value")
        self._draw()

    def __repr__(self) -> str:
        return f"FilterGrid(weights of shape {self.weights.shape})"

    def _draw(self) -> None:
        filters = self.weights[:, :, self.channel.value, :].transpose(2, 0, 1)
        self.grid = mosaic(filters, self.columns)
        show_png(
            self.image, self.grid, self.scale, cmap="RdBu_r", vmin=-self.limit, vmax=self.limit
        )


class FeatureMaps(widgets.VBox):
    """The feature maps of each chosen layer for one digit, the layer picked from a menu.

    Args:
        session: holds the trained network.
        inputs: its input placeholder, e.g. ``(?, 784)``.
        layers: ``{name: tensor}``, each (?, H, W, C), in the order to offer them.
        feed: extra feed for every run, such as ``{keep_prob: 1.0}``.
        images: optional digits to pick from with a slider (e.g. ``mnist.test.images``).
        columns: maps per row; tile: the side of each map on screen, in pixels (about).

    Attributes:
        digit: the (28, 28) digit on show, or None.
        maps: ``{name: (H, W, C) array}`` for that digit.
        grid: the mosaic of the selected layer's maps, as drawn.
    """

    def __init__(
        self,
        session,
        inputs,
        layers: dict,
        feed: dict | None = None,
        images: np.ndarray | None = None,
        columns: int = 8,
        tile: int = 56,
        **kwargs,
    ):
        if not layers:
            raise ValueError("FeatureMaps needs at least one layer: {name: tensor}")
        self.session, self.inputs, self.layers = session, inputs, dict(layers)
        self.feed = dict(feed or {})
        self.images = None if images is None else np.asarray(images).reshape(-1, 28, 28)
        self.columns, self.tile = columns, tile
        self.digit: np.ndarray | None = None
        self.maps: dict[str, np.ndarray] = {}
        self.grid: np.ndarray | None = None

        self.layer = widgets.Dropdown(options=list(self.layers), description=say("layer", "层"))
        self.digit_image = widgets.Image(format="png")
        self.caption = widgets.HTML()
        self.maps_image = widgets.Image(format="png")
        controls = [self.layer]
        if self.images is not None:
            self.index = widgets.IntSlider(
                0,
                0,
                len(self.images) - 1,
                description=say("test image", "测试图像"),
                style=_WIDE_LABEL,
            )
            self.index.observe(lambda change: self.set_digit(self.images[change.new]), "value")
            controls.append(self.index)
        self.layer.observe(lambda change: self._draw(), names="value")
        top = widgets.HBox([self.digit_image, widgets.VBox([*controls, self.caption])])
        super().__init__([top, self.maps_image], **kwargs)
        if self.images is not None:
            self.set_digit(self.images[0])
        else:
            self._draw()

    def __repr__(self) -> str:
        return f"FeatureMaps(layers={list(self.layers)})"

    def set_digit(self, digit: np.ndarray) -> None:
        """Run the network on ``digit`` (28, 28), keep every layer's maps, show the selected one."""
        self.digit = np.asarray(digit, dtype=np.float32).reshape(28, 28)
        shape = [1] + [-1 if d is None else d for d in self.inputs.shape.as_list()[1:]]
        outputs = self.session.run(
            list(self.layers.values()),
            feed_dict={**self.feed, self.inputs: self.digit.reshape(shape)},
        )
        self.maps = {name: output[0] for name, output in zip(self.layers, outputs)}
        show_png(self.digit_image, self.digit, 4, vmin=0, vmax=1)
        self._draw()

    def follow(self, pad: DrawingPad) -> None:
        """Show the digit drawn on ``pad`` after every stroke."""

        def drawn(pad: DrawingPad) -> None:
            if pad.digit is not None:  # an empty canvas leaves the last digit on show
                self.set_digit(pad.digit)

        pad.on_draw(drawn)
        drawn(pad)

    def _draw(self) -> None:
        name = self.layer.value
        if name not in self.maps:
            self.caption.value = say(
                "no digit yet: draw one or pick a test image",
                "还没有数字：画一个，或选一张测试图像",
            )
            return
        maps = self.maps[name]
        height, width, channels = maps.shape
        self.caption.value = say(
            f"<b>{name}</b>: {channels} feature maps of {height}x{width}",
            f"<b>{name}</b>：{channels} 张 {height}x{width} 的特征图",
        )
        self.grid = mosaic(maps.transpose(2, 0, 1), self.columns)
        scale = max(1, round(self.tile / height))
        low, high = min(0.0, float(maps.min())), float(maps.max())
        show_png(self.maps_image, self.grid, scale, cmap="magma", vmin=low, vmax=high)
