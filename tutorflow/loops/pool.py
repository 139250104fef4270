"""Max and average pooling (TF 1.x ``MaxPool``, ``AvgPool`` and their gradients) as direct loops.

Pooling does a handful of comparisons or additions per output value, so a plain loop compiled by
Numba is as fast as memory allows; there is nothing for BLAS to speed up. Windows are clipped to
the real cells of the input: with ``"SAME"`` padding the padded cells are ignored, never counted
as zeros (a max of negative values stays negative; an average divides by the real cells only).
"""

import numpy as np
from numba import njit

from . import split
from .padding import check_nhwc, check_same_dtype, check_shape, window


@njit(cache=True, nogil=True)
def _clip(start, k, size):
    """The part [lo, hi) of the window [start, start + k) that lies inside [0, size)."""
    return max(start, 0), min(start + k, size)


# The loops index single values, channels innermost: no per-window array views, which cost
# more than the arithmetic (twice as fast on LeNet's layers as slicing out[n, oh, ow]).


@njit(cache=True, nogil=True)
def _max_pool(x, win, out):
    n_images, h, w, c = x.shape
    for n in range(n_images):
        for oh in range(win.out_h):
            h0, h1 = _clip(oh * win.sh - win.pad_top, win.kh, h)
            for ow in range(win.out_w):
                w0, w1 = _clip(ow * win.sw - win.pad_left, win.kw, w)
                for ch in range(c):
                    out[n, oh, ow, ch] = x[n, h0, w0, ch]
                for i in range(h0, h1):
                    for j in range(w0, w1):
                        for ch in range(c):
                            if x[n, i, j, ch] > out[n, oh, ow, ch]:
                                out[n, oh, ow, ch] = x[n, i, j, ch]


@njit(cache=True, nogil=True)
def _max_pool_grad(x, y, dy, win, dx, tiles):
    """``tiles``: the windows cover the input, each cell in exactly one, so every cell is
    written once, with no zeroing first and no sum (see `_tiles`)."""
    n_images, h, w, c = x.shape
    if not tiles:
        dx[:] = 0
    pending = np.empty(c, dx.dtype)
    for n in range(n_images):
        for oh in range(win.out_h):
            h0, h1 = _clip(oh * win.sh - win.pad_top, win.kh, h)
            for ow in range(win.out_w):
                w0, w1 = _clip(ow * win.sw - win.pad_left, win.kw, w)
                # Scan the window in row-major order: the first cell equal to the max takes
                # the whole gradient; later ties find nothing left.
                for ch in range(c):
                    pending[ch] = dy[n, oh, ow, ch]
                for i in range(h0, h1):
                    for j in range(w0, w1):
                        for ch in range(c):
                            hit = x[n, i, j, ch] == y[n, oh, ow, ch]
                            if tiles:
                                dx[n, i, j, ch] = pending[ch] if hit else 0
                            elif hit:
                                dx[n, i, j, ch] += pending[ch]
                            if hit:
                                pending[ch] = 0


def _tiles(win, h: int, w: int) -> bool:
    """Whether the windows cover the input, each cell exactly once (stride = size, no cell
    left over, as 2x2 pooling with stride 2 and SAME padding does)."""
    return (
        (win.sh, win.sw) == (win.kh, win.kw)
        and win.out_h * win.sh - win.pad_top >= h
        and win.out_w * win.sw - win.pad_left >= w
    )


@njit(cache=True, nogil=True)
def _avg_pool(x, win, out):
    n_images, h, w, c = x.shape
    for n in range(n_images):
        for oh in range(win.out_h):
            h0, h1 = _clip(oh * win.sh - win.pad_top, win.kh, h)
            for ow in range(win.out_w):
                w0, w1 = _clip(ow * win.sw - win.pad_left, win.kw, w)
                for ch in range(c):
                    out[n, oh, ow, ch] = 0
                for i in range(h0, h1):
                    for j in range(w0, w1):
                        for ch in range(c):
                            out[n, oh, ow, ch] += x[n, i, j, ch]
                count = (h1 - h0) * (w1 - w0)
                for ch in range(c):
                    out[n, oh, ow, ch] /= count


@njit(cache=True, nogil=True)
def _avg_pool_grad(dy, win, dx):
    n_images, h, w, c = dx.shape
    dx[:] = 0
    for n in range(n_images):
        for oh in range(win.out_h):
            h0, h1 = _clip(oh * win.sh - win.pad_top, win.kh, h)
            for ow in range(win.out_w):
                w0, w1 = _clip(ow * win.sw - win.pad_left, win.kw, w)
                count = (h1 - h0) * (w1 - w0)
                for i in range(h0, h1):
                    for j in range(w0, w1):
                        for ch in range(c):
                            dx[n, i, j, ch] += dy[n, oh, ow, ch] / count


def max_pool(x: np.ndarray, ksize, strides, padding: str) -> np.ndarray:
    """Max over each (KH, KW) window, per channel.

    Args:
        x: (N, H, W, C).
        ksize: (KH, KW).
        strides: (sh, sw).
        padding: ``"SAME"`` or ``"VALID"``.

    Returns:
        (N, OH, OW, C), same dtype as ``x``.

    >>> x = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> max_pool(x, (2, 2), (2, 2), "SAME")[0, :, :, 0]
    array([[4., 5.],
           [7., 8.]])
    """
    x = check_nhwc("max_pool", "x", x)
    win = window("max_pool", x.shape[1:3], ksize, strides, padding)
    out = np.empty((x.shape[0], win.out_h, win.out_w, x.shape[3]), x.dtype)
    _by_image(_max_pool, x, win, out)
    return out


def max_pool_grad(
    x: np.ndarray, y: np.ndarray, dy: np.ndarray, ksize, strides, padding: str
) -> np.ndarray:
    """Gradient of `max_pool`: each window's dy goes to its maximum cell.

    When several cells tie for the maximum, the first in row-major window order gets it all,
    as in TF.

    Args:
        x: (N, H, W, C), the input given to `max_pool`.
        y: (N, OH, OW, C), the output `max_pool` returned.
        dy: (N, OH, OW, C), the gradient of the loss with respect to ``y``.
        ksize, strides, padding: as given to `max_pool`.

    Returns:
        dx: (N, H, W, C).
    """
    op = "max_pool_grad"
    x, y, dy = (check_nhwc(op, name, a) for name, a in (("x", x), ("y", y), ("dy", dy)))
    check_same_dtype(op, x=x, y=y, dy=dy)
    win = window(op, x.shape[1:3], ksize, strides, padding)
    out_shape = (x.shape[0], win.out_h, win.out_w, x.shape[3])
    check_shape(op, "y", y.shape, out_shape)
    check_shape(op, "dy", dy.shape, out_shape)
    dx = np.empty_like(x)
    _by_image(_max_pool_grad, x, y, dy, win, dx, _tiles(win, *x.shape[1:3]))
    return dx


def avg_pool(x: np.ndarray, ksize, strides, padding: str) -> np.ndarray:
    """Mean over the real cells of each (KH, KW) window, per channel.

    Args:
        x: (N, H, W, C).
        ksize: (KH, KW).
        strides: (sh, sw).
        padding: ``"SAME"`` or ``"VALID"``.

    Returns:
        (N, OH, OW, C), same dtype as ``x``.

    >>> x = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> avg_pool(x, (2, 2), (2, 2), "SAME")[0, :, :, 0]  # edge windows average 2 or 1 cells
    array([[2. , 3.5],
           [6.5, 8. ]])
    """
    x = check_nhwc("avg_pool", "x", x)
    win = window("avg_pool", x.shape[1:3], ksize, strides, padding)
    out = np.empty((x.shape[0], win.out_h, win.out_w, x.shape[3]), x.dtype)
    _by_image(_avg_pool, x, win, out)
    return out


def avg_pool_grad(dy: np.ndarray, input_shape, ksize, strides, padding: str) -> np.ndarray:
    """Gradient of `avg_pool`: each window shares its dy equally among its real cells.

    Args:
        dy: (N, OH, OW, C), the gradient of the loss with respect to the pooled output.
        input_shape: (N, H, W, C) of the input given to `avg_pool`.
        ksize, strides, padding: as given to `avg_pool`.

    Returns:
        dx: (N, H, W, C), same dtype as ``dy``.
    """
    op = "avg_pool_grad"
    dy = check_nhwc(op, "dy", dy)
    input_shape = tuple(int(s) for s in input_shape)
    if len(input_shape) != 4:
        raise ValueError(f"{op}: expected input_shape of 4 ints (N, H, W, C), got {input_shape}")
    win = window(op, input_shape[1:3], ksize, strides, padding)
    check_shape(op, "dy", dy.shape, (input_shape[0], win.out_h, win.out_w, input_shape[3]))
    dx = np.empty(input_shape, dy.dtype)
    _by_image(_avg_pool_grad, dy, win, dx)
    return dx


def _by_image(loop, *args) -> None:
    """``loop(*args)`` on parts of the batch at once: every array in ``args`` holds the same
    images, and the window is the same for all of them."""
    images = args[0].shape[0]
    per_image = sum(a.size for a in args if isinstance(a, np.ndarray)) // max(images, 1)

    def part(n0, n1):
        loop(*(a[n0:n1] if isinstance(a, np.ndarray) else a for a in args))

    split.over(images, part, per_image)
