"""Max and average pooling (TF 1.x ``MaxPool``, ``AvgPool`` and their gradients) as direct loops.

Pooling does a handful of comparisons or additions per output value, so a plain loop compiled by
Numba is as fast as memory allows; there is nothing for BLAS to speed up. Windows are clipped to
the real cells of the input: with ``"SAME"`` padding the padded cells are ignored, never counted
as zeros (a max of negative values stays negative; an average divides by the real cells only).
"""

import numpy as np
from numba import njit

from . import split
from .elementwise import relu_grad_and_bias_grad
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
def _max_pool_grad(x, y, dy, win, dx, tiles, relu, total):
    """``tiles``: the windows cover the input, each cell in exactly one, so every cell is
    written once, with no zeroing first and no sum (see `_tiles`). ``relu`` (windows that tile
    only): x is a ReLU's output, and dx is multiplied by ReLU's gradient (x > 0) as it is
    written, and summed per channel into ``total`` (C,), in float64."""
    n_images, h, w, c = x.shape
    if not tiles:
        dx[:] = 0
    pending = np.empty(c, dx.dtype)
    running = np.zeros(c, np.float64)
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
                                value = pending[ch] if hit else 0
                                if relu:  # a product, not a choice: NaN * 0 stays NaN
                                    value *= x[n, i, j, ch] > 0
                                dx[n, i, j, ch] = value
                            elif hit:
                                dx[n, i, j, ch] += pending[ch]
                            if hit:
                                pending[ch] = 0
        if relu:  # the image's gradient, summed while it is in the cache
            for i in range(h):
                for j in range(w):
                    for ch in range(c):
                        running[ch] += dx[n, i, j, ch]
    total[:] = running


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
    x, y, dy, win = _checked("max_pool_grad", x, y, dy, ksize, strides, padding)
    dx = np.empty_like(x)
    _max_pool_grad_by_image(x, y, dy, win, dx, relu=False)
    return dx


def max_pool_relu_grad(
    x: np.ndarray, y: np.ndarray, dy: np.ndarray, ksize, strides, padding: str
) -> tuple[np.ndarray, np.ndarray]:
    """`max_pool_grad` where ``x`` is a ReLU's output, followed by ReLU's gradient and by the
    gradient of the bias added before the ReLU (`elementwise.relu_grad_and_bias_grad`), in one
    pass where the windows tile the input (as LeNet's 2x2 pooling does), else in two.

    Returns:
        dz: (N, H, W, C), the gradient of the loss with respect to the ReLU's input, and the
        bias's gradient (C,), dz summed over all but the channel axis.

    >>> x = np.array([[0.0, 3.0], [0.0, 0.0]]).reshape(1, 2, 2, 1)
    >>> y, dy = np.full((1, 1, 1, 1), 3.0), np.ones((1, 1, 1, 1))
    >>> dz, d_bias = max_pool_relu_grad(x, y, dy, (2, 2), (2, 2), "VALID")
    >>> dz[0, :, :, 0], d_bias
    (array([[0., 1.],
           [0., 0.]]), array([1.]))
    """
    x, y, dy, win = _checked("max_pool_relu_grad", x, y, dy, ksize, strides, padding)
    dz = np.empty_like(x)
    tiles = _tiles(win, *x.shape[1:3])
    total = _max_pool_grad_by_image(x, y, dy, win, dz, relu=tiles)
    if not tiles:
        return relu_grad_and_bias_grad(dz, x, out=dz)
    return dz, total.astype(x.dtype)


def _checked(op: str, x, y, dy, ksize, strides, padding):
    """The arguments of a max-pooling gradient, checked: (x, y, dy, window)."""
    x, y, dy = (check_nhwc(op, name, a) for name, a in (("x", x), ("y", y), ("dy", dy)))
    check_same_dtype(op, x=x, y=y, dy=dy)
    win = window(op, x.shape[1:3], ksize, strides, padding)
    out_shape = (x.shape[0], win.out_h, win.out_w, x.shape[3])
    check_shape(op, "y", y.shape, out_shape)
    check_shape(op, "dy", dy.shape, out_shape)
    return x, y, dy, win


def _max_pool_grad_by_image(x, y, dy, win, dx, relu: bool) -> np.ndarray:
    """`_max_pool_grad` on parts of the batch at once; returns the parts' ``total`` summed."""
    tiles = _tiles(win, *x.shape[1:3])

    def part(n0, n1, total):
        _max_pool_grad(x[n0:n1], y[n0:n1], dy[n0:n1], win, dx[n0:n1], tiles, relu, total)

    per_image = 2 * (x.size + y.size) // max(x.shape[0], 1)
    return split.summed_over(x.shape[0], part, x.shape[3], per_image)


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
