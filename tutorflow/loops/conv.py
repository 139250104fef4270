"""2-D convolution: TF 1.x ``Conv2D`` and its two gradients, by the faster of two methods.

- im2col (``im2col.py``) unfolds every window into a row of a matrix: one large matrix product.
- The discrete Fourier transform (``spectral.py``), for stride 1 only: per frequency, one small
  matrix product over the channels.

Each layer takes the method with fewer multiply-adds: on LeNet's conv1 (one input channel) that
is im2col, on conv2 (32 -> 64 channels) the transform, with a quarter of the arithmetic and
none of the 31 MB of ``cols``. The count grows with the batch in the same way for both, so a
layer takes the same method for any batch size.

Work that both steps of a training pass need is done once and kept as a *workspace*:

- the forward pass keeps x unfolded (``cols``) or transformed, for the filter gradient;
- `conv2d_backprop_workspace` transforms the output's gradient dy once for both gradients;
- `conv2d_filter_workspace` transforms the filter once for the forward pass and the input
  gradient.

These functions return workspaces and take them back as arguments; the op kernels
(``tutorflow/ops/conv_ops.py``) carry them from one kernel to the next within a run, out of
the graph's sight.

Big batches are cut into chunks of images so that the unfolded or transformed copies stay
small: evaluating 10,000 images at once never makes a 6.3 GB ``cols``. Chunks take up to
``CHUNK_BYTES`` (the bigger the matrix product, the faster it runs); im2col's input gradient
takes chunks of ``COL2IM_CHUNK_BYTES``, small enough to stay in the caches. Only a batch that is
one chunk keeps a workspace.
"""

import numpy as np

from . import im2col, spectral
from .padding import Window, check_nhwc, check_same_dtype, check_shape, window

# A training batch is one chunk (its workspace is kept); evaluating 10,000 images takes many.
CHUNK_BYTES = 64 * 2**20
COL2IM_CHUNK_BYTES = 4 * 2**20  # about 6 images of a 14x14 layer with 5x5x32 windows


def conv2d(
    x: np.ndarray,
    filter: np.ndarray,
    strides,
    padding: str,
    keep_workspace=False,
    filter_workspace=None,
):
    """2-D convolution (cross-correlation, as in TF) of a batch of images.

    Args:
        x: (N, H, W, C) images.
        filter: (KH, KW, C, C_out).
        strides: (sh, sw).
        padding: ``"SAME"`` or ``"VALID"``.
        keep_workspace: also return what `conv2d_backprop_filter` can reuse for this ``x``.
        filter_workspace: optional, `conv2d_filter_workspace` of this filter for this layer.

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
    matrices = _filter_matrices(op, filter, periods, filter_workspace)
    if periods is None:
        out, workspace = im2col.conv2d(x, filter, win, CHUNK_BYTES, keep_workspace)
    else:
        out, workspace = _conv2d_spectral(x, filter, periods, matrices)
    return (out, workspace) if keep_workspace else out


def _conv2d_spectral(x, filter, periods, matrices):
    chunks = _image_chunks(x.shape[0], x.shape[3], filter.shape[3], periods, x.dtype)
    if len(chunks) == 1:  # x's spectrum is the workspace
        x_spec = spectral.spectrum(x, periods, periods.input_cells)
        return spectral.conv2d(x_spec, matrices, periods), x_spec
    out = np.empty((x.shape[0], *map(len, periods.output_cells), filter.shape[3]), x.dtype)
    for n0, n1 in chunks:
        x_spec = spectral.spectrum(x[n0:n1], periods, periods.input_cells)
        out[n0:n1] = spectral.conv2d(x_spec, matrices, periods)
    return out, None


def conv2d_backprop_workspace(dy: np.ndarray, input_shape, filter_shape, strides, padding: str):
    """What both gradients of `conv2d` can share for this ``dy``: its spectrum, where the layer
    goes through the Fourier transform and the batch is one chunk; else None.

    Args:
        dy: (N, OH, OW, C_out), the gradient of the loss with respect to the conv output.
        input_shape, filter_shape: (N, H, W, C) and (KH, KW, C, C_out).
        strides, padding: as given to `conv2d`.
    """
    op = "conv2d_backprop_workspace"
    n, h, w, c = _check_shape4(op, "input_shape", input_shape)
    kh, kw, _, c_out = _check_shape4(op, "filter_shape", filter_shape)
    dy = check_nhwc(op, "dy", dy)
    win = window(op, (h, w), (kh, kw), strides, padding)
    check_shape(op, "dy", dy.shape, (n, win.out_h, win.out_w, c_out))
    periods = _spectral_periods((n, h, w, c), c_out, win)
    if periods is None or len(_image_chunks(n, c, c_out, periods, dy.dtype)) > 1:
        return None
    return spectral.spectrum(dy, periods, periods.output_cells)


def conv2d_filter_workspace(filter: np.ndarray, input_shape, strides, padding: str):
    """What `conv2d` and `conv2d_backprop_input` can share for this filter on this layer: its
    spectrum, where the layer goes through the Fourier transform; else None.

    Args:
        filter: (KH, KW, C, C_out).
        input_shape: (N, H, W, C) of the input given to `conv2d`.
        strides, padding: as given to `conv2d`.
    """
    op = "conv2d_filter_workspace"
    input_shape = _check_shape4(op, "input_shape", input_shape)
    filter = _check_filter(op, filter, input_shape[3])
    win = window(op, input_shape[1:3], filter.shape[:2], strides, padding)
    periods = _spectral_periods(input_shape, filter.shape[3], win)
    return None if periods is None else spectral.filter_matrices(filter, periods)


def conv2d_backprop_input(
    dy: np.ndarray,
    filter: np.ndarray,
    input_shape,
    strides,
    padding: str,
    dy_workspace=None,
    filter_workspace=None,
) -> np.ndarray:
    """Gradient of `conv2d` with respect to its input.

    Args:
        dy: (N, OH, OW, C_out), the gradient of the loss with respect to the conv output.
        filter: (KH, KW, C, C_out).
        input_shape: (N, H, W, C) of the input given to `conv2d`.
        strides, padding: as given to `conv2d`.
        dy_workspace: optional, `conv2d_backprop_workspace` of this ``dy``.
        filter_workspace: optional, `conv2d_filter_workspace` of this filter for this layer.

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
    dx = np.empty((n, h, w, c), dy.dtype)
    matrices = _filter_matrices(op, filter, periods, filter_workspace)
    if periods is None:
        _check_no_dy_workspace(op, dy_workspace)
        return im2col.input_gradient(dy, filter, win, dx, COL2IM_CHUNK_BYTES)
    for n0, n1, dy_spec in _dy_spectra(op, dy, c, periods, dy_workspace):
        dx[n0:n1] = spectral.input_gradient(dy_spec, matrices, periods)
    return dx


def conv2d_backprop_filter(
    x: np.ndarray,
    dy: np.ndarray,
    filter_shape,
    strides,
    padding: str,
    workspace=None,
    dy_workspace=None,
) -> np.ndarray:
    """Gradient of `conv2d` with respect to its filter.

    Args:
        x: (N, H, W, C), the input given to `conv2d`.
        dy: (N, OH, OW, C_out), the gradient of the loss with respect to the conv output.
        filter_shape: (KH, KW, C, C_out).
        strides, padding: as given to `conv2d`.
        workspace: optional, what `conv2d` kept for this ``x``; spares unfolding it again.
        dy_workspace: optional, `conv2d_backprop_workspace` of this ``dy``.

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
    n = x.shape[0]
    check_shape(op, "dy", dy.shape, (n, win.out_h, win.out_w, c_out))
    periods = _spectral_periods(x.shape, c_out, win)
    if periods is None:
        _check_no_dy_workspace(op, dy_workspace)
        if workspace is not None:
            check_shape(
                op, "workspace (patches)", workspace.shape, (n * win.out_h * win.out_w, kh * kw * c)
            )
            check_same_dtype(op, x=x, workspace=workspace)
        d_f2d = im2col.filter_gradient(x, dy, win, CHUNK_BYTES, workspace)
        return d_f2d.reshape(kh, kw, c, c_out)
    if workspace is not None:
        check_shape(op, "workspace (spectrum)", workspace.shape, (periods.frequencies, 2 * c, n))
        check_same_dtype(op, x=x, workspace=workspace)
    d_spec = 0
    for n0, n1, dy_spec in _dy_spectra(op, dy, c, periods, dy_workspace):
        if workspace is None:
            x_spec = spectral.spectrum(x[n0:n1], periods, periods.input_cells)
        else:
            x_spec = workspace[..., n0:n1]
        d_spec = d_spec + spectral.filter_gradient(x_spec, dy_spec)
    return spectral.filter_from(d_spec, periods)


def _dy_spectra(op: str, dy: np.ndarray, c: int, periods, dy_workspace):
    """``(n0, n1, spectrum of dy[n0:n1])`` chunk by chunk: the workspace, if given, is all."""
    n, c_out = dy.shape[0], dy.shape[3]
    if dy_workspace is not None:
        check_shape(op, "dy_workspace", dy_workspace.shape, (periods.frequencies, 2 * c_out, n))
        check_same_dtype(op, dy=dy, dy_workspace=dy_workspace)
        return [(0, n, dy_workspace)]
    return (
        (n0, n1, spectral.spectrum(dy[n0:n1], periods, periods.output_cells))
        for n0, n1 in _image_chunks(n, c, c_out, periods, dy.dtype)
    )


def _filter_matrices(op: str, filter: np.ndarray, periods, filter_workspace):
    """The filter's `spectral.filter_matrices` for a layer on ``periods``: the workspace, checked,
    if given; else computed. None for an im2col layer, which takes no filter workspace."""
    if periods is None:
        if filter_workspace is not None:
            raise ValueError(
                f"{op}: this layer goes through im2col, which takes no filter_workspace"
            )
        return None
    if filter_workspace is None:
        return spectral.filter_matrices(filter, periods)
    *_, c, c_out = filter.shape
    for part in filter_workspace:
        check_shape(op, "filter_workspace", part.shape, (periods.frequencies, 2 * c, c_out))
        check_same_dtype(op, filter=filter, filter_workspace=part)
    return filter_workspace


def _check_no_dy_workspace(op: str, dy_workspace) -> None:
    if dy_workspace is not None:
        raise ValueError(f"{op}: this layer goes through im2col, which takes no dy_workspace")


def _spectral_periods(x_shape, c_out: int, win: Window):
    """The DFT grid of `spectral` if that method takes fewer multiply-adds than im2col's
    matrix product for this layer; else None (im2col). Only stride 1 has a spectral form."""
    if (win.sh, win.sw) != (1, 1):
        return None
    n, h, w, c = x_shape
    periods = spectral.periods((h, w), win)
    im2col_work = n * win.out_h * win.out_w * win.kh * win.kw * c * c_out
    return periods if spectral.multiply_adds(n, c, c_out, periods) < im2col_work else None


def _image_chunks(n_images: int, c: int, c_out: int, periods, dtype) -> list:
    """``[(n0, n1), ...]``: images in chunks whose spectra take at most ``CHUNK_BYTES`` (at
    least one image a chunk)."""
    image_bytes = 4 * periods.frequencies * (c + c_out) * np.dtype(dtype).itemsize
    step = max(1, min(n_images, CHUNK_BYTES // image_bytes))
    return [(n0, min(n0 + step, n_images)) for n0 in range(0, max(n_images, 1), step)]


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
