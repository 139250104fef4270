"""Slow, obviously-correct numpy versions of every kernel, for the tests to compare against.

Each one pads explicitly (or clips the window to the real cells) and loops over output positions,
so that every line can be checked by hand against TF 1.x's definitions.
"""

import math

import numpy as np


def _output_size(size, k, stride, padding):
    """``(out, pad_before, pad_after)`` along one axis, from TF 1.x's documentation, and
    written here rather than imported from ``padding.py``: the reference shares no code with
    the kernels it checks. SAME: ceil(size / stride) windows, the input padded just enough for
    them, the odd cell after. VALID: no padding, ceil((size - k + 1) / stride) windows."""
    if padding == "VALID":
        return math.ceil((size - k + 1) / stride), 0, 0
    out = math.ceil(size / stride)
    needed = max((out - 1) * stride + k - size, 0)
    return out, needed // 2, needed - needed // 2


def _geometry(h, w, ksize, strides, padding):
    """(out_h, out_w, pad_top, pad_bottom, pad_left, pad_right)."""
    out_h, top, bottom = _output_size(h, ksize[0], strides[0], padding)
    out_w, left, right = _output_size(w, ksize[1], strides[1], padding)
    return out_h, out_w, top, bottom, left, right


def _patch(xp, oh, ow, strides, kh, kw):
    """The (N, KH, KW, C) block of the padded input that output cell (oh, ow) sees (a view)."""
    top, left = oh * strides[0], ow * strides[1]
    return xp[:, top : top + kh, left : left + kw]


def conv2d(x, filter, strides, padding):
    """out[n, oh, ow, o] = sum_{i, j, c} x_padded[n, oh*sh + i, ow*sw + j, c] * filter[i, j, c, o]."""
    kh, kw, _, _ = filter.shape
    oh_n, ow_n, top, bottom, left, right = _geometry(*x.shape[1:3], (kh, kw), strides, padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    out = np.zeros((x.shape[0], oh_n, ow_n, filter.shape[3]), x.dtype)
    for oh in range(oh_n):
        for ow in range(ow_n):
            patch = _patch(xp, oh, ow, strides, kh, kw)
            out[:, oh, ow] = np.einsum("nijc,ijco->no", patch, filter)
    return out


def conv2d_backprop_input(dy, filter, input_shape, strides, padding):
    """Each output cell sends dy * filter back to the input cells of its window."""
    n, h, w, c = input_shape
    kh, kw, _, _ = filter.shape
    oh_n, ow_n, top, bottom, left, right = _geometry(h, w, (kh, kw), strides, padding)
    dxp = np.zeros((n, h + top + bottom, w + left + right, c), dy.dtype)
    for oh in range(oh_n):
        for ow in range(ow_n):
            patch = _patch(dxp, oh, ow, strides, kh, kw)
            patch += np.einsum("no,ijco->nijc", dy[:, oh, ow], filter)
    return dxp[:, top : top + h, left : left + w]


def conv2d_backprop_filter(x, dy, filter_shape, strides, padding):
    """d_filter[i, j, c, o] = sum over windows of x_padded[window][i, j, c] * dy[window's cell, o]."""
    kh, kw, _, _ = filter_shape
    oh_n, ow_n, top, bottom, left, right = _geometry(*x.shape[1:3], (kh, kw), strides, padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    dw = np.zeros(filter_shape, x.dtype)
    for oh in range(oh_n):
        for ow in range(ow_n):
            patch = _patch(xp, oh, ow, strides, kh, kw)
            dw += np.einsum("nijc,no->ijco", patch, dy[:, oh, ow])
    return dw


def _windows(h, w, ksize, strides, padding):
    """Yield (oh, ow, rows, cols): each pooling window clipped to the real (unpadded) cells."""
    oh_n, ow_n, top, _, left, _ = _geometry(h, w, ksize, strides, padding)
    for oh in range(oh_n):
        for ow in range(ow_n):
            h0, w0 = oh * strides[0] - top, ow * strides[1] - left
            rows = slice(max(h0, 0), min(h0 + ksize[0], h))
            cols = slice(max(w0, 0), min(w0 + ksize[1], w))
            yield oh, ow, rows, cols


def max_pool(x, ksize, strides, padding):
    """Max over the real cells of each window (padding never wins)."""
    oh_n, ow_n, *_ = _geometry(*x.shape[1:3], ksize, strides, padding)
    out = np.empty((x.shape[0], oh_n, ow_n, x.shape[3]), x.dtype)
    for oh, ow, rows, cols in _windows(*x.shape[1:3], ksize, strides, padding):
        out[:, oh, ow] = x[:, rows, cols].max(axis=(1, 2))
    return out


def max_pool_grad(x, y, dy, ksize, strides, padding):
    """dy goes to the first maximum of each window in row-major order (np.argmax picks the first).

    ``y`` is not needed here: the maximum is found again from ``x``.
    """
    n, _, _, c = x.shape
    dx = np.zeros_like(x)
    for oh, ow, rows, cols in _windows(*x.shape[1:3], ksize, strides, padding):
        patch = x[:, rows, cols].reshape(n, -1, c)
        first = np.argmax(patch, axis=1)  # (n, c): index of the max inside the window
        width = cols.stop - cols.start
        for b in range(n):
            for ch in range(c):
                i, j = divmod(first[b, ch], width)
                dx[b, rows.start + i, cols.start + j, ch] += dy[b, oh, ow, ch]
    return dx


def avg_pool(x, ksize, strides, padding):
    """Mean over the real cells of each window: the divisor counts only unpadded cells."""
    oh_n, ow_n, *_ = _geometry(*x.shape[1:3], ksize, strides, padding)
    out = np.empty((x.shape[0], oh_n, ow_n, x.shape[3]), x.dtype)
    for oh, ow, rows, cols in _windows(*x.shape[1:3], ksize, strides, padding):
        out[:, oh, ow] = x[:, rows, cols].mean(axis=(1, 2))
    return out


def avg_pool_grad(dy, input_shape, ksize, strides, padding):
    """Each window shares its dy equally among its real cells."""
    dx = np.zeros(input_shape, dy.dtype)
    for oh, ow, rows, cols in _windows(*input_shape[1:3], ksize, strides, padding):
        count = (rows.stop - rows.start) * (cols.stop - cols.start)
        dx[:, rows, cols] += dy[:, oh, ow, None, None, :] / count
    return dx


def adam_update(var, m, v, grad, lr_t, beta1, beta2, epsilon):
    """TF 1.x ApplyAdam, in place; lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t). The state is
    flushed to zero below the least normal float, as TF's flush-to-zero kernels leave it."""
    m[...] = _flushed(beta1 * m + (1 - beta1) * grad)
    v[...] = _flushed(beta2 * v + (1 - beta2) * grad * grad)
    var -= lr_t * m / (np.sqrt(v) + epsilon)


def momentum_update(var, accum, grad, lr, momentum, use_nesterov=False):
    """TF 1.x ApplyMomentum, in place (the accumulator flushed as Adam's state is)."""
    accum[...] = _flushed(accum * momentum + grad)
    if use_nesterov:
        var -= lr * grad + lr * momentum * accum
    else:
        var -= lr * accum


def sgd_update(var, grad, lr):
    """TF 1.x ApplyGradientDescent, in place."""
    var -= lr * grad


def _flushed(values):
    """``values`` with the subnormal ones set to 0."""
    return np.where(np.abs(values) < np.finfo(values.dtype).tiny, 0, values).astype(values.dtype)
