"""Turn a drawing into an MNIST-like 28x28 digit, the way MNIST itself was made.

MNIST's digits were black-and-white scans, size-normalised to fit a 20x20 box keeping their
aspect ratio (the averaging creates the grey levels), then pasted into a 28x28 field so that
their centre of mass sits at the centre. A drawing needs the same treatment before a network
trained on MNIST can read it:

    steps = preprocess(canvas, ink="dark")   # black pen on white paper
    steps.digit                               # (28, 28) float32 in [0, 1], white ink on black

``preprocess`` keeps every intermediate image so notebook 09 can show each step; it returns
``None`` for an empty canvas: there is nothing to read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FIELD = 28  # side of an MNIST image
BOX = 20  # the digit is scaled to fit a BOX x BOX square
INK_THRESHOLD = 0.02  # fainter pixels (dust, the faintest anti-aliasing) count as paper


@dataclass(frozen=True)
class DigitSteps:
    """Each stage of the preprocessing; every image is float32 with ink = 1, paper = 0."""

    ink: np.ndarray  # the whole canvas as ink intensity
    box: tuple[int, int, int, int]  # the ink's bounding box: top, bottom, left, right (exclusive)
    cropped: np.ndarray  # the canvas cut to that box
    scaled: np.ndarray  # the crop scaled to fit BOX x BOX, aspect ratio kept
    center_of_mass: tuple[float, float]  # of ``scaled``, as (row, column)
    offset: tuple[int, int]  # where ``scaled``'s top-left corner lands in the 28x28 field
    digit: np.ndarray  # the result: (28, 28), centre of mass at (14, 14) to within half a pixel


def ink_intensity(canvas: np.ndarray, ink: str = "light") -> np.ndarray:
    """A canvas as float32 ink intensity in [0, 1] (1 = full ink).

    Args:
        canvas: (H, W) grayscale, (H, W, 3) RGB or (H, W, 4) RGBA; uint8 (0-255), bool, or
            floats in [0, 1]. Transparent RGBA pixels count as paper.
        ink: ``"light"`` for light ink on a dark background (MNIST's own convention and the
            drawing pad's), ``"dark"`` for dark ink on light paper.
    """
    if ink not in ("light", "dark"):
        raise ValueError(f'ink must be "light" or "dark", got {ink!r}')
    array = np.asarray(canvas)
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ValueError(
            f"expected a (H, W) grayscale, (H, W, 3) RGB or (H, W, 4) RGBA canvas, "
            f"got shape {array.shape}"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"the canvas is empty: shape {array.shape}")
    values = _as_unit_floats(array)
    paper = 0.0 if ink == "light" else 1.0
    if values.ndim == 3:
        if values.shape[2] == 4:  # lay the colours over paper, as the page shows them
            alpha = values[..., 3:]
            values = values[..., :3] * alpha + paper * (1 - alpha)
        values = values @ np.array([0.299, 0.587, 0.114], dtype=np.float32)  # luma (ITU-R 601)
    return (values if ink == "light" else 1 - values).astype(np.float32)


def _as_unit_floats(array: np.ndarray) -> np.ndarray:
    if array.dtype == np.uint8:
        return array.astype(np.float32) / 255
    if array.dtype == np.bool_:
        return array.astype(np.float32)
    if np.issubdtype(array.dtype, np.floating):
        if not np.all(np.isfinite(array)) or array.min() < 0 or array.max() > 1:
            raise ValueError("a float canvas must hold finite values in [0, 1]")
        return array.astype(np.float32)
    raise TypeError(f"canvas dtype must be uint8, bool or float in [0, 1], got {array.dtype}")


def resize_area(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resample ``image`` (H, W) to (height, width) by area averaging.

    Each output pixel covers a rectangle of the input and takes the mean of what lies under it,
    partial pixels weighted by the overlap: the anti-aliasing that gave MNIST its grey edges.
    """
    rows = _overlap_weights(image.shape[0], height)
    cols = _overlap_weights(image.shape[1], width)
    return (rows @ image @ cols.T).astype(np.float32)


def _overlap_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix: how much of input pixel j lies under output pixel i; rows sum to 1."""
    edges = np.arange(n_out + 1) * (n_in / n_out)  # output pixel borders, in input pixels
    starts, ends = edges[:-1, None], edges[1:, None]
    pixel = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(ends, pixel + 1) - np.maximum(starts, pixel), 0, None)
    return overlap / (n_in / n_out)


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the intensity-weighted mean pixel index."""
    total = image.sum()
    rows = np.arange(image.shape[0]) @ image.sum(axis=1) / total
    cols = np.arange(image.shape[1]) @ image.sum(axis=0) / total
    return float(rows), float(cols)


def preprocess(canvas: np.ndarray, ink: str = "light") -> DigitSteps | None:
    """Crop to the ink, scale into 20x20 keeping the aspect ratio, centre by mass in 28x28.

    Args:
        canvas: the drawing; see ``ink_intensity`` for the shapes and dtypes accepted.
        ink: ``"light"`` (light ink on dark, as MNIST) or ``"dark"`` (dark ink on light paper).

    Returns:
        Every step as a ``DigitSteps`` (the result is ``.digit``), or ``None`` when nothing is
        drawn (no pixel reaches ``INK_THRESHOLD``).
    """
    intensity = ink_intensity(canvas, ink)
    inked_rows = np.flatnonzero((intensity >= INK_THRESHOLD).any(axis=1))
    inked_cols = np.flatnonzero((intensity >= INK_THRESHOLD).any(axis=0))
    if inked_rows.size == 0:
        return None
    box = (int(inked_rows[0]), int(inked_rows[-1]) + 1, int(inked_cols[0]), int(inked_cols[-1]) + 1)
    cropped = intensity[box[0] : box[1], box[2] : box[3]]

    scale = BOX / max(cropped.shape)
    height = max(1, round(cropped.shape[0] * scale))
    width = max(1, round(cropped.shape[1] * scale))
    scaled = np.clip(resize_area(cropped, height, width), 0, 1)

    mass_row, mass_col = center_of_mass(scaled)
    offset = (round(FIELD / 2 - mass_row), round(FIELD / 2 - mass_col))
    digit = _paste(scaled, offset)
    return DigitSteps(intensity, box, cropped, scaled, (mass_row, mass_col), offset, digit)


def _paste(image: np.ndarray, offset: tuple[int, int]) -> np.ndarray:
    """``image`` placed with its top-left corner at ``offset`` in a blank 28x28 field; whatever
    falls outside the field is cut off (only very lopsided shapes reach the border)."""
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    top, left = offset
    rows = slice(max(top, 0), min(top + image.shape[0], FIELD))
    cols = slice(max(left, 0), min(left + image.shape[1], FIELD))
    field[rows, cols] = image[
        rows.start - top : rows.stop - top, cols.start - left : cols.stop - left
    ]
    return field


def to_mnist(canvas: np.ndarray, ink: str = "light") -> np.ndarray | None:
    """The 28x28 float32 digit of ``preprocess``, or ``None`` for an empty canvas."""
    steps = preprocess(canvas, ink)
    return None if steps is None else steps.digit
