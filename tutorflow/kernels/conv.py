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

Where the stride is 1 and it takes fewer multiply-adds, the three are computed through the
discrete Fourier transform instead (``spectral.py``): on LeNet's conv2 that is two thirds of
the arithmetic and none of the 31 MB of ``cols``.

The forward pass can keep a *workspace* for the filter gradient: its ``cols`` (the patches), or
the input's spectrum. The filter gradient then skips its own im2col or transform: in a training
step the same input is unfolded once, not twice.

Big batches are cut into chunks of images so that ``cols`` (KH*KW times bigger than the input),
or the spectra, stay small: evaluating 10,000 images at once never makes a 6.3 GB ``cols``. The
forward pass and the filter gradient take chunks of up to ``CHUNK_BYTES`` (the bigger the matrix
product, the faster it runs); im2col's input gradient takes chunks of ``COL2IM_CHUNK_BYTES``,
small enough that col2im reads what the product wrote while it is still in the caches.
"""

import threading

import numpy as np
from numba import njit
from numpy.lib.stride_tricks import sliding_window_view

from . import spectral
from .padding import Window, check_nhwc, check_same_dtype, check_shape, window

# A training batch is one chunk (its workspace is kept); evaluating 10,000 images takes many.
CHUNK_BYTES = 64 * 2**20
COL2IM_CHUNK_BYTES = 4 * 2**20  # about 5 images of LeNet's conv2


def _im2col(x: np.ndarray, win: Window, cols: np.ndarray) -> None:
    """Fill cols: (N*OH*OW, KH*KW*C) with the windows of x: (N, H, W, C), zero-padded.

    ``cols`` is C-contiguous, or the transpose of a C-contiguous array (see `_new_cols`)."""
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


def _new_cols(rows: int, win: Window, c: int, dtype, keep: bool) -> np.ndarray:
    """An empty cols matrix (rows, KH*KW*C): new if it is to be kept, else scratch space.

    With one input channel it is the transpose of a C-contiguous (KH*KW, rows) array, so that
    im2col copies whole rows of output cells (28 values on LeNet's conv1) instead of window rows
    (5 values): 3-4x faster. With more channels a window row (KW*C values) is longer already.
    """
    transposed = c == 1 and win.sw == 1
    shape = (win.kh * win.kw * c, rows) if transposed else (rows, win.kh * win.kw * c)
    cols = np.empty(shape, dtype) if keep else _scratch(shape, dtype)
    return cols.T if transposed else cols


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


def conv2d(x: np.ndarray, filter: np.ndarray, strides, padding: str, keep_workspace=False):
    """2-D convolution (cross-correlation, as in TF) of a batch of images.

    Args:
        x: (N, H, W, C) images.
        filter: (KH, KW, C, C_out).
        strides: (sh, sw).
        padding: ``"SAME"`` or ``"VALID"``.
        keep_workspace: also return what `conv2d_backprop_filter` can reuse for this ``x``.

    Returns:
        (N, OH, OW, C_out), same dtype as ``x``; with ``keep_workspace``, also the workspace:
        the patches (N*OH*OW, KH*KW*C) or x's spectrum, or None when the batch was cut into
        chunks.

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
    periods = _spectral_periods(x.shape, filter.shape[3], win)
    if periods is not None:
        out, workspace = _conv2d_spectral(x, filter, periods)
    else:
        out, workspace = _conv2d_im2col(x, filter, win, keep_workspace)
    return (out, workspace) if keep_workspace else out


def _conv2d_im2col(x, filter, win, keep_patches):
    f2d = filter.reshape(-1, filter.shape[3])
    out = np.empty((x.shape[0], win.out_h, win.out_w, filter.shape[3]), x.dtype)
    out2d = out.reshape(-1, filter.shape[3])
    chunks, _ = _chunks(x.shape[0], win, f2d.shape[0], x.dtype, CHUNK_BYTES)
    keep = keep_patches and len(chunks) == 1
    for n0, n1, rows in chunks:
        cols = _new_cols(rows.stop - rows.start, win, x.shape[3], x.dtype, keep)
        _im2col(x[n0:n1], win, cols)
        np.matmul(cols, f2d, out=out2d[rows])
    return out, cols if keep else None


def _conv2d_spectral(x, filter, periods):
    matrices = spectral.filter_matrices(filter, periods)
    chunks = _image_chunks(x.shape[0], _spectrum_bytes(x.shape[3], filter.shape[3], periods, x))
    if len(chunks) == 1:
        return spectral.conv2d(x, matrices, periods)
    out = np.empty((x.shape[0], *map(len, periods.output_cells), filter.shape[3]), x.dtype)
    for n0, n1 in chunks:
        out[n0:n1] = spectral.conv2d(x[n0:n1], matrices, periods)[0]
    return out, None


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
    periods = _spectral_periods((n, h, w, c), filter.shape[3], win)
    if periods is not None:
        matrices = spectral.filter_matrices(filter, periods, adjoint=True)
        dx = np.empty((n, h, w, c), dy.dtype)
        for n0, n1 in _image_chunks(n, _spectrum_bytes(c, filter.shape[3], periods, dy)):
            dx[n0:n1] = spectral.input_gradient(dy[n0:n1], matrices, periods)
        return dx
    f2d = filter.reshape(-1, filter.shape[3])
    dy2d = dy.reshape(-1, filter.shape[3])
    dx = np.empty((n, h, w, c), dy.dtype)
    chunks, chunk_rows = _chunks(n, win, f2d.shape[0], dy.dtype, COL2IM_CHUNK_BYTES)
    cols_buffer = _scratch((chunk_rows, f2d.shape[0]), dy.dtype)
    for n0, n1, rows in chunks:
        cols = cols_buffer[: rows.stop - rows.start]
        np.matmul(dy2d[rows], f2d.T, out=cols)
        _col2im(cols, win, dx[n0:n1])
    return dx


def conv2d_backprop_filter(
    x: np.ndarray, dy: np.ndarray, filter_shape, strides, padding: str, workspace=None
) -> np.ndarray:
    """Gradient of `conv2d` with respect to its filter.

    Args:
        x: (N, H, W, C), the input given to `conv2d`.
        dy: (N, OH, OW, C_out), the gradient of the loss with respect to the conv output.
        filter_shape: (KH, KW, C, C_out).
        strides, padding: as given to `conv2d`.
        workspace: optional, what `conv2d` kept for this ``x``; spares unfolding it again.

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
    periods = _spectral_periods(x.shape, c_out, win)
    if periods is not None:
        return _backprop_filter_spectral(x, dy, periods, workspace)
    dy2d = dy.reshape(-1, c_out)
    if workspace is not None:
        check_shape(op, "workspace (patches)", workspace.shape, (dy2d.shape[0], kh * kw * c))
        check_same_dtype(op, x=x, workspace=workspace)
        return (workspace.T @ dy2d).reshape(kh, kw, c, c_out)
    d_f2d = np.zeros((kh * kw * c, c_out), x.dtype)
    chunks, _ = _chunks(x.shape[0], win, kh * kw * c, x.dtype, CHUNK_BYTES)
    for n0, n1, rows in chunks:
        cols = _new_cols(rows.stop - rows.start, win, c, x.dtype, keep=False)
        _im2col(x[n0:n1], win, cols)
        d_f2d += cols.T @ dy2d[rows]
    return d_f2d.reshape(kh, kw, c, c_out)


def _backprop_filter_spectral(x, dy, periods, x_spec):
    op = "conv2d_backprop_filter"
    n, c = x.shape[0], x.shape[3]
    if x_spec is not None:
        check_shape(op, "workspace (spectrum)", x_spec.shape, (periods.frequencies, n, 2 * c))
        check_same_dtype(op, x=x, workspace=x_spec)
        return spectral.filter_from(spectral.filter_gradient(x_spec, dy, periods), periods)
    d_spec = 0
    for n0, n1 in _image_chunks(n, _spectrum_bytes(c, dy.shape[3], periods, x)):
        x_spec = spectral.spectrum(x[n0:n1], periods, periods.input_cells)
        d_spec = d_spec + spectral.filter_gradient(x_spec, dy[n0:n1], periods)
    return spectral.filter_from(d_spec, periods)


def _spectral_periods(x_shape, c_out: int, win: Window):
    """The DFT grid of `spectral` if that method takes fewer multiply-adds than im2col's
    matrix product for this layer; else None (im2col). Only stride 1 has a spectral form."""
    if (win.sh, win.sw) != (1, 1):
        return None
    n, h, w, c = x_shape
    periods = spectral.periods((h, w), win)
    im2col = n * win.out_h * win.out_w * win.kh * win.kw * c * c_out
    return periods if spectral.multiply_adds(n, c, c_out, periods) < im2col else None


def _spectrum_bytes(c: int, c_out: int, periods, like: np.ndarray) -> int:
    """About the bytes that one image takes in the spectral method's biggest temporaries."""
    return 4 * periods.frequencies * (c + c_out) * like.itemsize


def _image_chunks(n_images: int, image_bytes: int) -> list:
    """``[(n0, n1), ...]``: images in chunks of at most ``CHUNK_BYTES`` (at least one image)."""
    step = max(1, min(n_images, CHUNK_BYTES // max(image_bytes, 1)))
    return [(n0, min(n0 + step, n_images)) for n0 in range(0, max(n_images, 1), step)]


def _chunks(n_images: int, win: Window, row_len: int, dtype, chunk_bytes: int):
    """Cuts a batch into chunks whose cols take at most ``chunk_bytes`` (or one image each, when
    a single one needs more).

    Returns:
        ``[(n0, n1, rows), ...]``: images n0:n1 and their rows of the 2-D matrices (cols and
        output); and the rows of the biggest chunk, for sizing a cols buffer.
    """
    per_image = win.out_h * win.out_w
    image_bytes = per_image * row_len * np.dtype(dtype).itemsize
    step = max(1, min(n_images, chunk_bytes // max(image_bytes, 1)))
    chunks = []
    for n0 in range(0, n_images, step):
        n1 = min(n0 + step, n_images)
        chunks.append((n0, n1, slice(n0 * per_image, n1 * per_image)))
    return chunks, step * per_image


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
