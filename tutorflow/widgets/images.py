"""Small arrays as pictures for the widgets: tiles in a grid, and PNG bytes for an Image widget."""

from __future__ import annotations

import io

import numpy as np


def mosaic(images: np.ndarray, columns: int, gap: int = 1) -> np.ndarray:
    """Lay ``images`` (N, H, W) out in rows of ``columns`` tiles, ``gap`` pixels apart.

    Returns a float32 (rows * (H + gap) - gap, columns' width likewise) array; the gaps and the
    unused tiles of the last row are NaN, which colormaps draw as transparent.
    """
    count, height, width = images.shape
    columns = max(1, min(columns, count))
    rows = -(-count // columns)
    grid = np.full(
        (rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan, dtype=np.float32
    )
    for index, image in enumerate(images):
        top, left = (index // columns) * (height + gap), (index % columns) * (width + gap)
        grid[top : top + height, left : left + width] = image
    return grid


def to_png(
    image: np.ndarray,
    cmap: str = "gray_r",
    vmin: float | None = None,
    vmax: float | None = None,
    scale: int = 1,
) -> bytes:
    """PNG bytes of a 2-D array drawn with a matplotlib colormap (by default the course's dark
    ink on light paper), each pixel enlarged to a
    ``scale`` x ``scale`` block so small images stay crisp instead of blurred by the browser."""
    from matplotlib import image as mpimage  # matplotlib is a course extra, loaded when needed

    enlarged = np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)
    buffer = io.BytesIO()
    mpimage.imsave(buffer, enlarged, cmap=cmap, vmin=vmin, vmax=vmax, format="png")
    return buffer.getvalue()


def show_png(widget, image: np.ndarray, scale: int = 1, **colors) -> None:
    """Put ``image`` into an ``ipywidgets.Image`` at its natural size (``scale`` screen pixels
    per array pixel), so the browser neither stretches nor blurs it; ``colors`` go to
    ``to_png`` (cmap, vmin, vmax)."""
    widget.value = to_png(image, scale=scale, **colors)
    widget.width, widget.height = str(image.shape[1] * scale), str(image.shape[0] * scale)
