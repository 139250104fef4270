"""2-D convolution (TF 1.x ``Conv2D`` and its two gradients) as im2col + one matrix product.

im2col copies every window of the input into one row of a matrix ``cols``:

    cols[(n, oh, ow), (i, j, c)] = x[n, oh*sh + i - pad_top, ow*sw + j - pad_left, c]

(zero where that falls in the padding), so the convolution becomes one large matrix product,
``cols @ filter.reshape(KH*KW*C, C_out)``, which BLAS runs near the machine's peak on every core.
Both gradients are matrix products too: ``d_cols = dy @ filter.T``, added back onto the input
windows by col2im, and ``d_filter = cols.T @ dy``. Direct loops compiled by Numba do the same
arithmetic 2-10x slower on LeNet's layers (bench/bench_kernels.py): BLAS blocks the work for the
caches and the vector units, and a plain loop does not.

im2col is numpy: a strided view of the windows, copied once into ``cols`` (as fast as a Numba
loop for conv2, and twice as fast when C = 1). col2im adds overlapping windows together, which a
view cannot do, so it is a Numba loop. Both run on one thread: BLAS already uses every core,
and Numba's own threads (``parallel=True``) fought with BLAS's threads and slowed a step down.

Large batches are cut into chunks of images so that ``cols`` (KH*KW times bigger than the input)
never takes more than ``COLS_BUDGET_BYTES``.
"""

import numpy as np
from numba import njit
from numpy.lib.stride_tricks import sliding_window_view

from .padding import Window, check_nhwc, check_same_dtype, check_shape, window

# A LeNet conv2 batch of 50 needs 31 MB of cols (one chunk: fewer, larger matrix products);
# evaluating 10,000 images at once would need 6.3 GB.
COLS_BUDGET_BYTES = 32 * 2**20


def _im2col(x: np.ndarray, win: Window, cols: np.ndarray) -> None:
    """Fill cols: (N*OH*OW, KH*KW*C) with the windows of x: (N, H, W, C), zero-padded."""
    n, _, _, c = x.shape
    pads = ((0, 0), (win.pad_top, win.pad_bottom), (win.pad_left, win.pad_right), (0, 0))
    # windows[n, oh, ow, c, i, j] = x_padded[n, oh*sh + i, ow*sw + j, c], a view: nothing copied.
    windows = sliding_window_view(np.pad(x, pads), (win.kh, win.kw), axis=(1, 2))
    windows = windows[:, :: win.sh, :: win.sw].transpose(0, 1, 2, 4, 5, 3)
    cols.reshape(n, win.out_h, win.out_w, win.kh, win.kw, c)[...] = windows  # the one copy


@njit(cache=True)
def _col2im(cols, win, dx):
    """Add each row of cols: (N*OH*OW, KH*KW*C) onto its window of dx: (N, H, W, C)."""
    n_images, h, w, c = dx.shape
    dx[:] = 0
    for n in range(n_images):
        for oh in range(win.out_h):
            for ow in range(win.out_w):
                row = (n * win.out_h + oh) * win.out_w + ow
                for i in range(win.kh):
                    ih = oh * win.sh + i - win.pad_top
                    for j in range(win.kw):
                        iw = ow * win.sw + j - win.pad_left
                        if 0 <= ih < h and 0 <= iw < w:  # the padding's gradient is dropped
                            col = (i * win.kw + j) * c
                            for ch in range(c):
                                dx[n, ih, iw, ch] += cols[row, col + ch]


def conv2d(x: np.ndarray, filter: np.ndarray, strides, padding: str) -> np.ndarray:
    """2-D convolution (cross-correlation, as in TF) of a batch of images.

    Args:
        x: (N, H, W, C) images.
        filter: (KH, KW, C, C_out).
        strides: (sh, sw).
        padding: ``"SAME"`` or ``"VALID"``.

    Returns:
        (N, OH, OW, C_out), same dtype as ``x``.

    >>> x = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> conv2d(x, np.ones((2, 2, 1, 1)), (1, 1), "VALID")[0, :, :, 0]
    array([[ 8., 12.],
           [20., 24.]])
    """
    op = "conv2d"
    x = check_nhwc(op, "x", x)
    filter = _check_filter(op, filter, x.shape[3])
    check_same_dtype(op, x=x, filter=filter)
    win = window(op, x.shape[1:3], filter.shape[:2], strides, padding)
    f2d = filter.reshape(-1, filter.shape[3])
    out = np.empty((x.shape[0], win.out_h, win.out_w, filter.shape[3]), x.dtype)
    out2d = out.reshape(-1, filter.shape[3])
    for n0, n1, rows, cols in _chunks(x.shape[0], win, f2d.shape[0], x.dtype):
        _im2col(x[n0:n1], win, cols)
        np.matmul(cols, f2d, out=out2d[rows])
    return out


def conv2d_backprop_input(
    dy: np.ndarray, filter: np.ndarray, input_shape, strides, padding: str
) -> np.ndarray:
    """Gradient of `conv2d` with respect to its input.

    Args:
        dy: (N, OH, OW, C_out), the gradient of the loss with respect to the conv output.
        filter: (KH, KW, C, C_out).
        input_shape: (N, H, W, C) of the input given to `conv2d`.
        strides, padding: as given to `conv2d`.

    Returns:
        dx: (N, H, W, C), same dtype as ``dy``.
    """
    op = "conv2d_backprop_input"
    n, h, w, c = _check_shape4(op, "input_shape", input_shape)
    dy = check_nhwc(op, "dy", dy)
    filter = _check_filter(op, filter, c)
    check_same_dtype(op, dy=dy, filter=filter)
    win = window(op, (h, w), filter.shape[:2], strides, padding)
    check_shape(op, "dy", dy.shape, (n, win.out_h, win.out_w, filter.shape[3]))
    f2d = filter.reshape(-1, filter.shape[3])
    dy2d = dy.reshape(-1, filter.shape[3])
    dx = np.empty((n, h, w, c), dy.dtype)
    for n0, n1, rows, cols in _chunks(n, win, f2d.shape[0], dy.dtype):
        np.matmul(dy2d[rows], f2d.T, out=cols)
        _col2im(cols, win, dx[n0:n1])
    return dx


def conv2d_backprop_filter(
    x: np.ndarray, dy: np.ndarray, filter_shape, strides, padding: str
) -> np.ndarray:
    """Gradient of `conv2d` with respect to its filter.

    Args:
        x: (N, H, W, C), the input given to `conv2d`.
        dy: (N, OH, OW, C_out), the gradient of the loss with respect to the conv output.
        filter_shape: (KH, KW, C, C_out).
        strides, padding: as given to `conv2d`.

    Returns:
        d_filter: (KH, KW, C, C_out), same dtype as ``x``.
    """
    op = "conv2d_backprop_filter"
    kh, kw, c, c_out = _check_shape4(op, "filter_shape", filter_shape)
    x = check_nhwc(op, "x", x)
    dy = check_nhwc(op, "dy", dy)
    check_same_dtype(op, x=x, dy=dy)
    if x.shape[3] != c:
        raise ValueError(
            f"{op}: filter_shape (KH, KW, C_in, C_out) = {(kh, kw, c, c_out)} expects C_in = {c}"
            f" channels, but x of shape {x.shape} has {x.shape[3]}"
        )
    win = window(op, x.shape[1:3], (kh, kw), strides, padding)
    check_shape(op, "dy", dy.shape, (x.shape[0], win.out_h, win.out_w, c_out))
    dy2d = dy.reshape(-1, c_out)
    d_f2d = np.zeros((kh * kw * c, c_out), x.dtype)
    for n0, n1, rows, cols in _chunks(x.shape[0], win, kh * kw * c, x.dtype):
        _im2col(x[n0:n1], win, cols)
        d_f2d += cols.T @ dy2d[rows]
    return d_f2d.reshape(kh, kw, c, c_out)


def _chunks(n_images: int, win: Window, row_len: int, dtype):
    """Yield (n0, n1, rows, cols): images n0:n1, their rows of the 2-D output, and a cols buffer.

    The buffer, (rows, row_len), is allocated once and reused, and stays under the budget
    (unless a single image needs more).
    """
    per_image = win.out_h * win.out_w
    image_bytes = per_image * row_len * np.dtype(dtype).itemsize
    step = max(1, min(n_images, COLS_BUDGET_BYTES // max(image_bytes, 1)))
    buf = np.empty((step * per_image, row_len), dtype)
    for n0 in range(0, n_images, step):
        n1 = min(n0 + step, n_images)
        yield n0, n1, slice(n0 * per_image, n1 * per_image), buf[: (n1 - n0) * per_image]


def _check_filter(op: str, filter, channels: int) -> np.ndarray:
    filter = np.asarray(filter)
    if filter.ndim != 4:
        raise ValueError(
            f"{op}: expected filter of rank 4 (KH, KW, C_in, C_out), got shape {filter.shape}"
        )
    if filter.shape[2] != channels:
        raise ValueError(
            f"{op}: filter (KH, KW, C_in, C_out) = {filter.shape} expects C_in = {filter.shape[2]}"
            f" channels, but the input has {channels}"
        )
    return np.ascontiguousarray(filter)


def _check_shape4(op: str, name: str, shape) -> tuple[int, int, int, int]:
    shape = tuple(int(s) for s in shape)
    if len(shape) != 4:
        raise ValueError(f"{op}: expected {name} of 4 ints, got {shape}")
    return shape
