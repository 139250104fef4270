"""2-D convolution and its two gradients as im2col + one matrix product.

im2col copies every window of the input into one row of a matrix ``cols``:

    cols[(n, oh, ow), (i, j, c)] = x[n, oh*sh + i - pad_top, ow*sw + j - pad_left, c]

(zero where that falls in the padding), so the convolution becomes one large matrix product,
``cols @ filter.reshape(KH*KW*C, C_out)``, which BLAS runs near the machine's peak.
Both gradients are matrix products too: ``d_cols = dy @ filter.T``, added back onto the input
windows by col2im, and ``d_filter = cols.T @ dy``. Direct loops compiled by Numba do the same
arithmetic 2-10x slower on LeNet's layers (bench/bench_loops.py): BLAS blocks the work for the
caches and the vector units, and a plain loop does not.

im2col is numpy: a strided view of the windows, copied once into ``cols`` (as fast as a Numba
loop). col2im adds overlapping windows together, which a view cannot do, so it is a Numba loop.
Both run on one thread; the products are cut into parts that run at once (``split.py``).

Each function takes a batch cut into chunks of images (``chunks``), so that ``cols``, KH*KW
times bigger than the input, stays small. The input gradient takes small chunks, so that col2im
reads what the product wrote while it is still in the caches.
"""

import threading

import numpy as np
from numba import njit
from numpy.lib.stride_tricks import sliding_window_view

from . import split
from .padding import Window


def conv2d(x: np.ndarray, filter: np.ndarray, win: Window, chunk_bytes: int, keep=False):
    """x: (N, H, W, C), filter: (KH, KW, C, C_out) -> (N, OH, OW, C_out), and ``cols`` when
    ``keep`` and the batch was one chunk (else None)."""
    f2d = filter.reshape(-1, filter.shape[3])
    out = np.empty((x.shape[0], win.out_h, win.out_w, filter.shape[3]), x.dtype)
    out2d = out.reshape(-1, filter.shape[3])
    batches = chunks(x.shape[0], win, f2d.shape[0], x.dtype, chunk_bytes)
    keep = keep and len(batches) == 1
    for n0, n1, rows in batches:
        cols = new_cols(rows.stop - rows.start, win, x.shape[3], x.dtype, keep)
        fill(x[n0:n1], win, cols)
        split.matmul(cols, f2d, out=out2d[rows])
    return out, cols if keep else None


def input_gradient(dy: np.ndarray, filter: np.ndarray, win: Window, dx: np.ndarray, chunk_bytes):
    """dx: (N, H, W, C) = the gradient of `conv2d` for dy: (N, OH, OW, C_out), written in place."""
    f2d = filter.reshape(-1, filter.shape[3])
    dy2d = dy.reshape(-1, filter.shape[3])
    for n0, n1, rows in chunks(dx.shape[0], win, f2d.shape[0], dy.dtype, chunk_bytes):
        cols = _scratch((rows.stop - rows.start, f2d.shape[0]), dy.dtype)
        split.matmul(dy2d[rows], f2d.T, out=cols)
        _col2im(cols, win, dx[n0:n1])
    return dx


def filter_gradient(x: np.ndarray, dy: np.ndarray, win: Window, chunk_bytes: int, cols=None):
    """d_filter: (KH*KW*C, C_out) for x: (N, H, W, C) and dy: (N, OH, OW, C_out); ``cols``,
    if `conv2d` kept it, spares the im2col."""
    dy2d = dy.reshape(-1, dy.shape[3])
    if cols is not None:
        return split.matmul(cols.T, dy2d)
    row_len = win.kh * win.kw * x.shape[3]
    d_f2d = np.zeros((row_len, dy.shape[3]), x.dtype)
    for n0, n1, rows in chunks(x.shape[0], win, row_len, x.dtype, chunk_bytes):
        cols = new_cols(rows.stop - rows.start, win, x.shape[3], x.dtype, keep=False)
        fill(x[n0:n1], win, cols)
        d_f2d += split.matmul(cols.T, dy2d[rows])
    return d_f2d


def fill(x: np.ndarray, win: Window, cols: np.ndarray) -> None:
    """Fill cols: (N*OH*OW, KH*KW*C) with the windows of x: (N, H, W, C), zero-padded.

    ``cols`` is C-contiguous, or the transpose of a C-contiguous array (see `new_cols`)."""
    n, _, _, c = x.shape
    pads = ((0, 0), (win.pad_top, win.pad_bottom), (win.pad_left, win.pad_right), (0, 0))
    # windows[n, oh, ow, c, i, j] = x_padded[n, oh*sh + i, ow*sw + j, c], a view: nothing copied.
    windows = sliding_window_view(np.pad(x, pads), (win.kh, win.kw), axis=(1, 2))
    windows = windows[:, :: win.sh, :: win.sw]
    if cols.flags.c_contiguous:  # the one copy
        cols.reshape(n, win.out_h, win.out_w, win.kh, win.kw, c)[...] = windows.transpose(
            0, 1, 2, 4, 5, 3
        )
    else:
        cols.T.reshape(win.kh, win.kw, c, n, win.out_h, win.out_w)[...] = windows.transpose(
            4, 5, 3, 0, 1, 2
        )


def new_cols(rows: int, win: Window, c: int, dtype, keep: bool) -> np.ndarray:
    """An empty cols matrix (rows, KH*KW*C): new if it is to be kept, else scratch space.

    With one input channel it is the transpose of a C-contiguous (KH*KW, rows) array, so that
    im2col copies whole rows of output cells (28 values on LeNet's conv1) instead of window rows
    (5 values): 3-4x faster. With more channels a window row (KW*C values) is longer already.
    """
    transposed = c == 1 and win.sw == 1
    shape = (win.kh * win.kw * c, rows) if transposed else (rows, win.kh * win.kw * c)
    cols = np.empty(shape, dtype) if keep else _scratch(shape, dtype)
    return cols.T if transposed else cols


@njit(cache=True, nogil=True)
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


def chunks(n_images: int, win: Window, row_len: int, dtype, chunk_bytes: int) -> list:
    """Cuts a batch into chunks whose cols take at most ``chunk_bytes`` (or one image each, when
    a single one needs more).

    Returns:
        ``[(n0, n1, rows), ...]``: images n0:n1 and their rows of the 2-D matrices (cols and
        output).
    """
    per_image = win.out_h * win.out_w
    image_bytes = per_image * row_len * np.dtype(dtype).itemsize
    step = max(1, min(n_images, chunk_bytes // max(image_bytes, 1)))
    return [
        (n0, min(n0 + step, n_images), slice(n0 * per_image, min(n0 + step, n_images) * per_image))
        for n0 in range(0, n_images, step)
    ]


_scratch_space = threading.local()


def _scratch(shape, dtype) -> np.ndarray:
    """A (shape, dtype) view of this thread's scratch buffer, grown when too small.

    Fresh memory is costly: each new page faults on first touch, which on some machines takes
    longer than the matrix product that fills it.
    """
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    buffer = getattr(_scratch_space, "buffer", None)
    if buffer is None or buffer.size < size:
        buffer = _scratch_space.buffer = np.empty(size, np.uint8)
    return buffer[:size].view(dtype).reshape(shape)
