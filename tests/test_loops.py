"""Kernels against the slow numpy reference; the reference against finite differences and
hand-worked TF examples; argument checks; the kernels with Numba's JIT switched off."""

import contextlib
import doctest
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parts import cut_into
from strategies import Problem, dtypes, problems

from tutorflow import loops as K
from tutorflow.loops import conv, elementwise, im2col, optim, padding, pool, spectral
from tutorflow.loops import reference as R

kernel_settings = settings(max_examples=40, deadline=None)


def assert_close(actual, expected):
    assert actual.dtype == expected.dtype
    tol = 1e-4 if actual.dtype == np.float32 else 1e-10
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol)


def filter_for(p, c_out):
    return p.like(p.ksize + (p.x.shape[3], c_out))


@contextlib.contextmanager
def conv_budget(name, n_bytes):
    """Set one of conv's size limits (CHUNK_BYTES, PATCHES_BUDGET_BYTES) for a while."""
    saved = getattr(conv, name)
    setattr(conv, name, n_bytes)
    try:
        yield
    finally:
        setattr(conv, name, saved)


@contextlib.contextmanager
def conv_method(method):
    """Make conv take ``"spectral"`` wherever the stride is 1, or ``"im2col"`` everywhere,
    whatever its count of multiply-adds says."""
    saved = conv._spectral_periods

    def forced(x_shape, c_out, win):
        if method == "im2col" or (win.sh, win.sw) != (1, 1):
            return None
        return spectral.periods(x_shape[1:3], win)

    conv._spectral_periods = forced
    try:
        yield
    finally:
        conv._spectral_periods = saved


# --- the output-size rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    "in_size, k, stride, padding, expected",
    [
        (28, 5, 1, "SAME", (28, 2, 2)),
        (28, 2, 2, "SAME", (14, 0, 0)),
        (7, 2, 2, "SAME", (4, 0, 1)),  # uneven: the extra cell goes after
        (6, 3, 2, "SAME", (3, 0, 1)),
        (5, 3, 2, "SAME", (3, 1, 1)),
        (4, 1, 3, "SAME", (2, 0, 0)),
        (2, 5, 1, "SAME", (2, 2, 2)),  # window larger than the input
        (7, 3, 2, "VALID", (3, 0, 0)),
        (8, 3, 3, "VALID", (2, 0, 0)),
        (5, 5, 1, "VALID", (1, 0, 0)),
    ],
)
def test_conv_output_size_matches_tf(in_size, k, stride, padding, expected):
    assert K.conv_output_size(in_size, k, stride, padding) == expected


@given(st.integers(1, 40), st.integers(1, 8), st.integers(1, 5), st.sampled_from(["SAME", "VALID"]))
def test_conv_output_size_windows_cover_the_padded_input(in_size, k, stride, pad):
    if pad == "VALID" and k > in_size:
        return
    out, before, after = K.conv_output_size(in_size, k, stride, pad)
    # The last window ends inside the padded input, and one more would not fit.
    assert (out - 1) * stride + k <= before + in_size + after < out * stride + k
    if pad == "SAME":
        assert out == -(-in_size // stride) and 0 <= after - before <= 1


@pytest.mark.parametrize(
    "args, message",
    [
        ((5, 3, 1, "same"), 'padding must be "SAME" or "VALID"'),
        ((5, 3, 0, "SAME"), "stride must be >= 1"),
        ((5, 0, 1, "SAME"), "window size"),
        ((2, 3, 1, "VALID"), "VALID padding needs window <= input"),
    ],
)
def test_conv_output_size_rejects_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        K.conv_output_size(*args)


# --- the reference, checked by hand and by finite differences ----------------------------------


def test_the_reference_has_its_own_padding_rule():
    """The reference must not share code with the kernels it checks: a bug in padding.py
    would then be in both, and every comparison would agree with it."""
    from_padding = [
        name
        for name, obj in vars(R).items()
        if getattr(obj, "__module__", None) == padding.__name__ or obj is padding
    ]
    assert from_padding == []


@pytest.mark.parametrize(
    "size, k, stride, mode, out, before, after",
    [
        (28, 5, 1, "SAME", 28, 2, 2),
        (6, 3, 2, "SAME", 3, 0, 1),  # uneven: the extra padding goes after
        (5, 2, 2, "SAME", 3, 0, 1),
        (4, 1, 3, "SAME", 2, 0, 0),
        (2, 5, 1, "SAME", 2, 2, 2),  # a window larger than the input
        (7, 3, 2, "VALID", 3, 0, 0),
        (4, 4, 3, "VALID", 1, 0, 0),
    ],
)
def test_the_reference_padding_rule_gives_tf1s_sizes(size, k, stride, mode, out, before, after):
    """Sizes worked out by hand from TF 1.x's documentation: SAME gives ceil(size / stride)
    windows, padded with the odd cell after; VALID gives ceil((size - k + 1) / stride)."""
    out_h, out_w, top, bottom, left, right = R._geometry(size, size, (k, k), (stride, stride), mode)
    assert (out_h, top, bottom) == (out_w, left, right) == (out, before, after)
    assert K.conv_output_size(size, k, stride, mode) == (out, before, after)


def test_hypothesis_has_no_hidden_deadline():
    """A deadline is a timing threshold: a busy machine would fail a correct kernel."""
    assert settings.default.deadline is None


def test_uneven_same_padding_puts_the_extra_row_and_column_after():
    # 4x4 input, 3x3 window, stride 2, SAME: out 2x2, pad 0 before and 1 after on each axis.
    x = np.arange(16.0).reshape(1, 4, 4, 1)
    w = np.ones((3, 3, 1, 1))
    expected = [
        [0 + 1 + 2 + 4 + 5 + 6 + 8 + 9 + 10, 2 + 3 + 6 + 7 + 10 + 11],
        [8 + 9 + 10 + 12 + 13 + 14, 10 + 11 + 14 + 15],
    ]
    for f in (R.conv2d, K.conv2d):
        np.testing.assert_array_equal(f(x, w, (2, 2), "SAME")[0, :, :, 0], expected)


def test_pooling_ignores_padded_cells():
    x = -np.arange(1.0, 10.0).reshape(1, 3, 3, 1)  # all negative: a zero pad would win the max
    for max_pool, avg_pool in ((R.max_pool, R.avg_pool), (K.max_pool, K.avg_pool)):
        np.testing.assert_array_equal(
            max_pool(x, (2, 2), (2, 2), "SAME")[0, :, :, 0], [[-1, -3], [-7, -9]]
        )
        np.testing.assert_array_equal(
            avg_pool(x, (2, 2), (2, 2), "SAME")[0, :, :, 0], [[-3, -4.5], [-7.5, -9]]
        )


def numeric_grad(f, x, eps=1e-6):
    """Central differences of the scalar f() with respect to every element of x (in place)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad


@settings(max_examples=8, deadline=None)
@given(problems(max_n=2, max_hw=5, max_c=2, max_k=3, dtype=st.just(np.float64)))
def test_reference_conv_gradients_match_finite_differences(p):
    w = filter_for(p, 2)
    dy = p.like(R.conv2d(p.x, w, p.strides, p.padding).shape)

    def loss():
        return np.sum(R.conv2d(p.x, w, p.strides, p.padding) * dy)

    dx = R.conv2d_backprop_input(dy, w, p.x.shape, p.strides, p.padding)
    dw = R.conv2d_backprop_filter(p.x, dy, w.shape, p.strides, p.padding)
    np.testing.assert_allclose(dx, numeric_grad(loss, p.x), atol=1e-6)
    np.testing.assert_allclose(dw, numeric_grad(loss, w), atol=1e-6)


@settings(max_examples=8, deadline=None)
@given(problems(max_n=2, max_hw=5, max_c=2, dtype=st.just(np.float64)))
def test_reference_pool_gradients_match_finite_differences(p):
    # Continuous random x has no ties, so the max is differentiable.
    y = R.max_pool(p.x, p.ksize, p.strides, p.padding)
    dy = p.like(y.shape)
    args = (p.ksize, p.strides, p.padding)
    np.testing.assert_allclose(
        R.max_pool_grad(p.x, y, dy, *args),
        numeric_grad(lambda: np.sum(R.max_pool(p.x, *args) * dy), p.x),
        atol=1e-6,
    )
    np.testing.assert_allclose(
        R.avg_pool_grad(dy, p.x.shape, *args),
        numeric_grad(lambda: np.sum(R.avg_pool(p.x, *args) * dy), p.x),
        atol=1e-6,
    )


# --- kernels against the reference ---------------------------------------------------------


def check_conv_against_reference(p, c_out):
    w = filter_for(p, c_out)
    args = (p.strides, p.padding)
    y = K.conv2d(p.x, w, *args)
    assert_close(y, R.conv2d(p.x, w, *args))
    dy = p.like(y.shape)
    dx = K.conv2d_backprop_input(dy, w, p.x.shape, *args)
    assert_close(dx, R.conv2d_backprop_input(dy, w, p.x.shape, *args))
    dw = K.conv2d_backprop_filter(p.x, dy, w.shape, *args)
    assert_close(dw, R.conv2d_backprop_filter(p.x, dy, w.shape, *args))
    y_again, workspace = K.conv2d(p.x, w, *args, keep_workspace=True)
    np.testing.assert_array_equal(y_again, y)
    if workspace is not None:  # the batch was small enough to keep: it spares an im2col or a DFT
        assert workspace.dtype == p.x.dtype
        assert_close(K.conv2d_backprop_filter(p.x, dy, w.shape, *args, workspace=workspace), dw)
    dy_workspace = K.conv2d_backprop_workspace(dy, p.x.shape, w.shape, *args)
    if dy_workspace is not None:  # dy's spectrum, shared by both gradients
        assert_close(K.conv2d_backprop_input(dy, w, p.x.shape, *args, dy_workspace), dx)
        dw_shared = K.conv2d_backprop_filter(p.x, dy, w.shape, *args, workspace, dy_workspace)
        assert_close(dw_shared, dw)
    filter_workspace = K.conv2d_filter_workspace(w, p.x.shape, *args)
    if filter_workspace is not None:  # the filter's spectrum, shared by the forward pass
        np.testing.assert_array_equal(K.conv2d(p.x, w, *args, filter_workspace=filter_workspace), y)
        dx_shared = K.conv2d_backprop_input(dy, w, p.x.shape, *args, None, filter_workspace)
        np.testing.assert_array_equal(dx_shared, dx)
    return workspace


@kernel_settings
@given(problems(), st.integers(1, 4), st.sampled_from(["im2col", "spectral"]))
def test_conv2d_and_gradients_match_reference(p, c_out, method):
    with conv_method(method):
        assert check_conv_against_reference(p, c_out) is not None  # small batches keep it


@settings(max_examples=15, deadline=None)
@given(problems(max_n=5), st.integers(1, 3), st.sampled_from(["im2col", "spectral"]))
def test_conv_chunked_one_image_at_a_time_matches_reference(p, c_out, method):
    with conv_budget("CHUNK_BYTES", 1), conv_budget("COL2IM_CHUNK_BYTES", 1), conv_method(method):
        workspace = check_conv_against_reference(p, c_out)
    assert workspace is None or p.x.shape[0] == 1  # several chunks leave no whole workspace


@pytest.mark.parametrize(
    "x_shape, w_shape, strides, method",
    [
        ((50, 14, 14, 32), (5, 5, 32, 64), (1, 1), "spectral"),  # LeNet's conv2
        ((50, 28, 28, 1), (5, 5, 1, 32), (1, 1), "im2col"),  # conv1: one input channel
        ((50, 14, 14, 32), (5, 5, 32, 64), (2, 2), "im2col"),  # strides have no spectral form
        ((8, 32, 32, 3), (3, 3, 3, 16), (1, 1), "im2col"),
        ((1, 4, 4, 16), (3, 3, 16, 16), (1, 1), "spectral"),  # tests/test_gradients.py's case
    ],
)
def test_conv_picks_the_method_with_fewer_multiply_adds(x_shape, w_shape, strides, method):
    win = conv.window("conv2d", x_shape[1:3], w_shape[:2], strides, "SAME")
    periods = conv._spectral_periods(x_shape, w_shape[3], win)
    assert (periods is not None) == (method == "spectral")
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    y, workspace = K.conv2d(x, w, strides, "SAME", keep_workspace=True)
    if method == "spectral":  # the workspace is x's spectrum
        assert workspace.shape == (periods.frequencies, 2 * x_shape[3], x_shape[0])
    else:  # the patches
        assert workspace.shape == (y.size // w_shape[3], np.prod(w_shape[:3]))


def test_lenet_conv2_periods():
    win = conv.window("conv2d", (14, 14), (5, 5), (1, 1), "SAME")
    periods = spectral.periods((14, 14), win)
    # 14 cells and 2 of padding on either side: a period of 16, 16 x (16 / 2 + 1) frequencies
    assert periods.lh == periods.lw == 16 and periods.frequencies == 144
    assert periods.filter_cells == (tuple(range(-2, 3)),) * 2


def test_conv_keeps_its_workspace_only_when_the_batch_is_one_chunk():
    x, w = np.ones((3, 4, 4, 2)), np.ones((3, 3, 2, 1))
    for budget, kept in [(3 * 16 * 18 * 8, True), (3 * 16 * 18 * 8 - 1, False)]:
        with conv_budget("CHUNK_BYTES", budget):
            y, patches = K.conv2d(x, w, (1, 1), "SAME", keep_workspace=True)
        assert (patches is not None) == kept
        np.testing.assert_array_equal(y, R.conv2d(x, w, (1, 1), "SAME"))


def test_conv_workspace_is_the_im2col_matrix_or_the_spectrum_and_is_checked():
    x = np.arange(2 * 3 * 3 * 1, dtype=np.float64).reshape(2, 3, 3, 1)
    w = np.ones((2, 2, 1, 1))
    dy = np.ones((2, 2, 2, 1))
    _, patches = K.conv2d(x, w, (1, 1), "VALID", keep_workspace=True)
    # row (n, oh, ow) holds the window at (oh, ow) of image n, read row by row
    np.testing.assert_array_equal(patches[0], [0, 1, 3, 4])
    np.testing.assert_array_equal(patches[7], [13, 14, 16, 17])
    assert patches.shape == (8, 4)
    with pytest.raises(ValueError, match=r"workspace \(patches\) of shape \(8, 4\), got \(4, 4\)"):
        K.conv2d_backprop_filter(x, dy, w.shape, (1, 1), "VALID", workspace=patches[:4])
    with conv_method("spectral"):
        _, x_spec = K.conv2d(x, w, (1, 1), "VALID", keep_workspace=True)
        # the DFT of each 3x3 map: its (0, 0) frequency is the sum of its cells
        assert x_spec.shape == (2 * 3, 2, 2) and x_spec[0, 0].tolist() == [36, 117]
        with pytest.raises(ValueError, match=r"workspace \(spectrum\) of shape \(6, 2, 2\)"):
            K.conv2d_backprop_filter(x, dy, w.shape, (1, 1), "VALID", workspace=patches)
        dy_spec = K.conv2d_backprop_workspace(dy, x.shape, w.shape, (1, 1), "VALID")
        assert dy_spec.shape == (2 * 3, 2, 2) and dy_spec[0, 0].tolist() == [4, 4]
        with pytest.raises(ValueError, match=r"dy_workspace of shape \(6, 2, 2\), got \(6, 2, 1\)"):
            K.conv2d_backprop_input(dy, w, x.shape, (1, 1), "VALID", dy_spec[..., :1])
        filter_spec = K.conv2d_filter_workspace(w, x.shape, (1, 1), "VALID")
        assert [part.shape for part in filter_spec] == [(2 * 3, 2, 1)] * 2
        with pytest.raises(
            ValueError, match=r"filter_workspace of shape \(6, 2, 1\), got \(6, 1, 1\)"
        ):
            K.conv2d(x, w, (1, 1), "VALID", filter_workspace=[part[:, :1] for part in filter_spec])
    with pytest.raises(ValueError, match="im2col, which takes no filter_workspace"):
        K.conv2d_backprop_input(dy, w, x.shape, (1, 1), "VALID", filter_workspace=filter_spec)
    assert K.conv2d_backprop_workspace(dy, x.shape, w.shape, (1, 1), "VALID") is None  # im2col
    with pytest.raises(ValueError, match="goes through im2col, which takes no dy_workspace"):
        K.conv2d_backprop_filter(x, dy, w.shape, (1, 1), "VALID", None, dy_spec)


def test_conv_chunks_split_a_batch_unevenly():
    x = np.random.default_rng(0).standard_normal((7, 6, 5, 3)).astype(np.float32)
    p = Problem(x, (3, 3), (1, 1), "SAME", np.random.default_rng(1))
    win = conv.window("conv2d", (6, 5), (3, 3), (1, 1), "SAME")
    image_cols_bytes = 6 * 5 * (3 * 3 * 3) * 4
    chunks = im2col.chunks(7, win, 27, np.float32, 2 * image_cols_bytes)
    assert [n1 - n0 for n0, n1, _ in chunks] == [2, 2, 2, 1] and chunks[1][2] == slice(60, 120)
    with (  # 7 images at 2 per chunk
        conv_budget("CHUNK_BYTES", 2 * image_cols_bytes),
        conv_budget("COL2IM_CHUNK_BYTES", 2 * image_cols_bytes),
    ):
        check_conv_against_reference(p, 4)


@kernel_settings
@given(problems(ties=True))
def test_max_pool_and_gradient_match_reference_with_ties(p):
    args = (p.ksize, p.strides, p.padding)
    y = K.max_pool(p.x, *args)
    assert_close(y, R.max_pool(p.x, *args))
    dy = p.like(y.shape)
    assert_close(K.max_pool_grad(p.x, y, dy, *args), R.max_pool_grad(p.x, y, dy, *args))


@kernel_settings
@given(problems())
def test_avg_pool_and_gradient_match_reference(p):
    args = (p.ksize, p.strides, p.padding)
    y = K.avg_pool(p.x, *args)
    assert_close(y, R.avg_pool(p.x, *args))
    dy = p.like(y.shape)
    assert_close(K.avg_pool_grad(dy, p.x.shape, *args), R.avg_pool_grad(dy, p.x.shape, *args))


@kernel_settings
@given(problems(ties=True), st.sampled_from(["SAME", "VALID"]))
def test_max_pool_grad_where_windows_tile_the_input_writes_every_cell(p, pad):
    # stride = window size: SAME covers every cell once, so the loop writes each cell once
    # with no zeroing first; VALID may leave cells out, and takes the general loop
    n, h, w, _ = p.x.shape
    kh, kw = min(p.ksize[0], h), min(p.ksize[1], w)
    args = ((kh, kw), (kh, kw), pad)
    win = padding.window("max_pool_grad", (h, w), (kh, kw), (kh, kw), pad)
    assert pool._tiles(win, h, w) == (pad == "SAME" or (h % kh == 0 and w % kw == 0))
    y = K.max_pool(p.x, *args)
    dy = p.like(y.shape)
    np.testing.assert_array_equal(
        K.max_pool_grad(p.x, y, dy, *args), R.max_pool_grad(p.x, y, dy, *args)
    )


@kernel_settings
@given(problems(ties=True), st.booleans(), st.integers(1, 3))
def test_max_pool_relu_grad_is_the_three_gradients_one_after_another(p, tile, parts):
    # x is a ReLU's output: zeros tie for the max wherever a window has no positive cell
    x = np.maximum(p.x, 0)
    n, h, w, c = x.shape
    ksize = (min(p.ksize[0], h), min(p.ksize[1], w))
    args = (ksize, ksize if tile else p.strides, p.padding)
    y = K.max_pool(x, *args)
    dy = p.like(y.shape)
    with cut_into(parts):
        dz, d_bias = K.max_pool_relu_grad(x, y, dy, *args)
    expected = R.max_pool_grad(x, y, dy, *args) * (x > 0)
    np.testing.assert_array_equal(dz, expected)
    assert_close(d_bias, expected.reshape(-1, c).sum(0, dtype=np.float64).astype(x.dtype))


def test_max_pool_gradients_of_an_empty_batch_are_empty():
    x = np.zeros((0, 4, 4, 2), np.float32)
    y = K.max_pool(x, (2, 2), (2, 2), "SAME")
    assert K.max_pool_grad(x, y, y, (2, 2), (2, 2), "SAME").shape == x.shape
    dz, d_bias = K.max_pool_relu_grad(x, y, y, (2, 2), (2, 2), "SAME")
    assert dz.shape == x.shape
    np.testing.assert_array_equal(d_bias, np.zeros(2, np.float32))


@pytest.mark.parametrize("max_pool_grad", [R.max_pool_grad, K.max_pool_grad])
def test_max_pool_grad_routes_ties_to_the_first_max_in_row_major_order(max_pool_grad):
    x = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]).reshape(1, 2, 3, 1)
    y = np.array([1.0, 1.0]).reshape(1, 1, 2, 1)  # 2x2 windows, stride 2, SAME: cols 0-1 and 2
    dy = np.array([5.0, 7.0]).reshape(1, 1, 2, 1)
    expected = np.array([[0.0, 5.0, 7.0], [0.0, 0.0, 0.0]]).reshape(1, 2, 3, 1)
    np.testing.assert_array_equal(max_pool_grad(x, y, dy, (2, 2), (2, 2), "SAME"), expected)


def test_max_pool_grad_adds_up_when_overlapping_windows_share_a_max():
    x = np.array([0.0, 3.0, 0.0]).reshape(1, 1, 3, 1)
    y = K.max_pool(x, (1, 2), (1, 1), "VALID")  # both windows pick the middle cell
    dx = K.max_pool_grad(x, y, np.array([1.0, 10.0]).reshape(1, 1, 2, 1), (1, 2), (1, 1), "VALID")
    np.testing.assert_array_equal(dx.ravel(), [0.0, 11.0, 0.0])


def test_kernels_accept_non_contiguous_input():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 6, 6, 3)).transpose(0, 2, 1, 3)  # a view with odd strides
    w = rng.standard_normal((3, 3, 3, 2))
    assert_close(K.conv2d(x, w, (2, 1), "SAME"), R.conv2d(x, w, (2, 1), "SAME"))
    assert_close(K.max_pool(x, (2, 3), (1, 2), "SAME"), R.max_pool(x, (2, 3), (1, 2), "SAME"))


# --- argument checks -----------------------------------------------------------------------

x4 = np.zeros((2, 5, 5, 3), np.float32)
w4 = np.zeros((3, 3, 3, 4), np.float32)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: K.conv2d(x4[0], w4, (1, 1), "SAME"),
            r"expected x of rank 4 \(N, H, W, C\), got shape \(5, 5, 3\)",
        ),
        (lambda: K.conv2d(x4, w4[0], (1, 1), "SAME"), r"filter of rank 4 .*got shape \(3, 3, 4\)"),
        (
            lambda: K.conv2d(x4, w4[:, :, :2], (1, 1), "SAME"),
            r"\(3, 3, 2, 4\) expects C_in = 2 channels, but the input has 3",
        ),
        (
            lambda: K.conv2d(x4, w4, (1, 1), "FULL"),
            'padding must be "SAME" or "VALID", got \'FULL\'',
        ),
        (lambda: K.conv2d(x4, w4, (0, 1), "SAME"), r"strides must be two positive ints"),
        (lambda: K.conv2d(x4, w4, (1,), "SAME"), r"strides must be two positive ints"),
        (
            lambda: K.conv2d(x4.astype(int), w4, (1, 1), "SAME"),
            "x must be float32 or float64, got int",
        ),
        (lambda: K.conv2d(x4, w4.astype(np.float64), (1, 1), "SAME"), "x float32, filter float64"),
        (
            lambda: K.conv2d(x4[:, :2], w4, (1, 1), "VALID"),
            r"VALID padding needs window <= input.*\(2, 5\)",
        ),
        (
            lambda: K.conv2d_backprop_input(
                np.zeros((2, 5, 5, 3), np.float32), w4, x4.shape, (1, 1), "SAME"
            ),
            r"expected dy of shape \(2, 5, 5, 4\), got \(2, 5, 5, 3\)",
        ),
        (
            lambda: K.conv2d_backprop_input(
                np.zeros((2, 5, 5, 4), np.float32), w4, (2, 5, 5), (1, 1), "SAME"
            ),
            r"expected input_shape of 4 ints, got \(2, 5, 5\)",
        ),
        (
            lambda: K.conv2d_backprop_filter(
                x4, np.zeros((2, 3, 3, 4), np.float32), w4.shape, (1, 1), "SAME"
            ),
            r"expected dy of shape \(2, 5, 5, 4\), got \(2, 3, 3, 4\)",
        ),
        (
            lambda: K.conv2d_backprop_filter(
                x4, np.zeros((2, 5, 5, 4), np.float32), (3, 3, 2, 4), (1, 1), "SAME"
            ),
            r"expects C_in = 2 channels, but x of shape \(2, 5, 5, 3\) has 3",
        ),
        (
            lambda: K.max_pool(x4, (2, 2, 1), (2, 2), "SAME"),
            r"ksize must be two positive ints \(h, w\), got \(2, 2, 1\)",
        ),
        (lambda: K.max_pool(x4, (2, 2), (2, 0), "SAME"), r"strides must be two positive ints"),
        (lambda: K.max_pool(x4, (2, 2), (2, 2), "valid"), 'padding must be "SAME" or "VALID"'),
        (
            lambda: K.max_pool_grad(x4, x4, x4, (2, 2), (2, 2), "SAME"),
            r"expected y of shape \(2, 3, 3, 3\), got \(2, 5, 5, 3\)",
        ),
        (lambda: K.avg_pool(x4[..., 0], (2, 2), (2, 2), "SAME"), r"expected x of rank 4"),
        (
            lambda: K.avg_pool_grad(x4, x4.shape, (2, 2), (2, 2), "SAME"),
            r"expected dy of shape \(2, 3, 3, 3\), got \(2, 5, 5, 3\)",
        ),
    ],
)
def test_bad_arguments_raise_value_errors_that_say_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- optimizer updates -------------------------------------------------------------------


def update_inputs(dtype, shape, n, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape).astype(dtype) for _ in range(n)]
    arrays[2 if n == 4 else 1] **= 2  # Adam's v is never negative
    return arrays


@kernel_settings
@given(
    dtypes, st.lists(st.integers(1, 6), max_size=3), st.integers(0, 2**32 - 1), st.integers(1, 1000)
)
def test_adam_update_matches_numpy_formula_in_place(dtype, shape, seed, t):
    lr, beta1, beta2, epsilon = 1e-3, 0.9, 0.999, 1e-8
    lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    mine = update_inputs(dtype, shape, 4, seed)
    theirs = [a.copy() for a in mine]
    var = mine[0]
    K.adam_update(*mine, lr_t, beta1, beta2, epsilon)
    R.adam_update(*theirs, *(dtype(v) for v in (lr_t, beta1, beta2, epsilon)))
    assert mine[0] is var
    for a, b in zip(mine, theirs):
        assert_close(a, b)


@kernel_settings
@given(dtypes, st.lists(st.integers(1, 6), max_size=3), st.integers(0, 2**32 - 1), st.booleans())
def test_momentum_and_sgd_updates_match_numpy_formulas(dtype, shape, seed, nesterov):
    mine = update_inputs(dtype, shape, 3, seed)
    theirs = [a.copy() for a in mine]
    K.momentum_update(*mine, 0.1, 0.9, use_nesterov=nesterov)
    R.momentum_update(*theirs, dtype(0.1), dtype(0.9), use_nesterov=nesterov)
    K.sgd_update(mine[0], mine[2], 0.01)
    R.sgd_update(theirs[0], theirs[2], dtype(0.01))
    for a, b in zip(mine, theirs):
        assert_close(a, b)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_optimizer_state_that_decays_below_the_normal_floats_is_flushed_to_zero(dtype):
    """A zero gradient makes Adam's m and the momentum decay geometrically; once below the
    least normal float they are 0, as in TF (whose kernels flush subnormals); NaN stays NaN."""
    tiny = np.finfo(dtype).tiny
    state = np.array([tiny * 1.05, tiny * 2, 1.0, np.nan], dtype)  # * 0.9 leaves 0.945 tiny
    grad = np.zeros(4, dtype)
    for update, slots in ((K.adam_update, 2), (R.adam_update, 2), (K.momentum_update, 1)):
        arrays = [np.ones(4, dtype)] + [state.copy() for _ in range(slots)] + [grad]
        scalars = (0.1, 0.9, 0.9, 1e-8) if slots == 2 else (0.1, 0.9)
        update(*arrays, *(dtype(s) for s in scalars))
        for slot in arrays[1 : 1 + slots]:
            assert (
                slot[0] == 0 and slot[1] == dtype(tiny * 2) * dtype(0.9) and slot[2] == dtype(0.9)
            )
            assert np.isnan(slot[3])


def test_updates_refuse_arrays_they_cannot_change_in_place():
    var, grad = np.zeros((4, 4), np.float32), np.ones((4, 4), np.float32)
    with pytest.raises(ValueError, match="grad must be a writeable C-contiguous array"):
        K.sgd_update(var, grad.T, 0.1)
    with pytest.raises(ValueError, match=r"grad is float64 of shape \(4, 4\), but var is float32"):
        K.sgd_update(var, grad.astype(np.float64), 0.1)
    with pytest.raises(
        ValueError, match=r"accum is float32 of shape \(4,\), but var is float32 of shape \(4, 4\)"
    ):
        K.momentum_update(var, var[0].copy(), grad, 0.1, 0.9)
    with pytest.raises(ValueError, match="var must be a float32 or float64 array, got list"):
        K.sgd_update([1.0], grad, 0.1)


# --- activations: bias add, ReLU and their gradients -----------------------------------------


@kernel_settings
@given(dtypes, st.lists(st.integers(1, 7), min_size=1, max_size=4), st.integers(0, 2**32 - 1))
def test_elementwise_kernels_match_numpy(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    x, grad = (rng.standard_normal(shape).astype(dtype) for _ in range(2))
    x[..., 0] = 0.0  # ReLU's kink: the gradient there is 0, as in TF
    bias = rng.standard_normal(shape[-1]).astype(dtype)
    y = np.maximum(x, 0)
    assert_close(K.bias_add(x, bias), x + bias)
    assert_close(K.relu(x), y)
    assert_close(K.relu_grad(grad, y), grad * (y > 0))
    expected = grad.reshape(-1, shape[-1]).sum(0, dtype=np.float64).astype(dtype)
    assert_close(K.bias_add_grad(grad), expected)


@kernel_settings
@given(
    dtypes,
    st.lists(st.integers(1, 40), min_size=1, max_size=4),
    st.integers(1, 3),
    st.integers(0, 2**32 - 1),
)
def test_fused_elementwise_kernels_match_the_kernels_they_fuse(dtype, shape, parts, seed):
    rng = np.random.default_rng(seed)
    x, grad = (rng.standard_normal(shape).astype(dtype) for _ in range(2))
    x[..., 0] = 0.0
    bias = rng.standard_normal(shape[-1]).astype(dtype)
    with cut_into(parts):
        np.testing.assert_array_equal(K.bias_add(x, bias, relu=True), np.maximum(x + bias, 0))
        dz, d_bias = K.relu_grad_and_bias_grad(grad, x)
        np.testing.assert_array_equal(dz, grad * (x > 0))
        expected = dz.reshape(-1, shape[-1]).sum(0, dtype=np.float64).astype(dtype)
        assert_close(d_bias, expected)
        assert d_bias.dtype == dtype and d_bias.shape == (shape[-1],)


def test_fused_elementwise_kernels_write_in_place_and_keep_nan_and_minus_zero():
    x = np.array([[np.nan, -1.0, -0.0], [2.0, -3.0, 0.5]], np.float32)
    bias = np.array([1.0, 0.0, 0.0], np.float32)
    expected = np.maximum(x + bias, 0)
    assert K.bias_add(x, bias, out=x, relu=True) is x
    np.testing.assert_array_equal(np.signbit(x), np.signbit(expected))  # -0.0 stays -0.0
    np.testing.assert_array_equal(x, expected)  # NaN stays NaN
    grad = np.ones_like(x)
    dz, d_bias = K.relu_grad_and_bias_grad(grad, x, out=grad)
    assert dz is grad
    np.testing.assert_array_equal(d_bias, [1.0, 0.0, 1.0])


def test_elementwise_kernels_write_in_place_into_out():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 5)).astype(np.float32)
    expected = x + 1
    assert K.bias_add(x, np.ones(5, np.float32), out=x) is x
    np.testing.assert_array_equal(x, expected)
    grad = np.ones_like(x)
    assert K.relu_grad(grad, x, out=grad) is grad
    np.testing.assert_array_equal(grad, x > 0)
    assert K.relu(x, out=x) is x
    np.testing.assert_array_equal(x, np.maximum(expected, 0))


def test_elementwise_kernels_keep_nan_as_numpy_does():
    x = np.array([np.nan, -1.0, 2.0])
    grad = np.array([np.nan, np.nan, 1.0])
    np.testing.assert_array_equal(K.relu_grad(grad, x), grad * (x > 0))
    np.testing.assert_array_equal(K.relu(x), np.maximum(x, 0))  # NaN stays NaN


def test_elementwise_kernels_accept_views_and_refuse_an_out_they_cannot_fill():
    x = np.arange(24.0).reshape(4, 6)[:, ::2]  # not contiguous
    np.testing.assert_array_equal(K.bias_add(x, np.ones(3)), x + 1)
    signed = (np.arange(24.0) - 12).reshape(4, 6)[:, ::2]  # a view, with negative values
    np.testing.assert_array_equal(K.relu(signed), np.maximum(signed, 0))
    np.testing.assert_array_equal(K.bias_add_grad(x.T), x.T.sum(0))
    with pytest.raises(ValueError, match=r"out must be a C-contiguous float64 array of shape"):
        K.bias_add(x, np.ones(3), out=np.empty((3, 4)).T)
    with pytest.raises(ValueError, match=r"shape \(4, 3\), got float32 of shape \(4, 3\)"):
        K.relu_grad(x, x, out=np.empty((4, 3), np.float32))


def test_is_bias_add_recognises_a_row_of_the_same_float_dtype():
    x = np.zeros((2, 3), np.float32)
    assert K.is_bias_add(x, np.zeros(3, np.float32))
    assert not K.is_bias_add(x, np.zeros(3))  # dtypes differ
    assert not K.is_bias_add(x, np.zeros((1, 3), np.float32))
    assert not K.is_bias_add(x.astype(np.int32), np.zeros(3, np.int32))
    assert not K.is_bias_add(x, np.zeros(2, np.float32))


# --- docstring examples and the JIT switched off ------------------------------------------


@pytest.mark.parametrize("module", [padding, conv, im2col, spectral, pool, optim, elementwise])
def test_docstring_examples_run(module):
    assert doctest.testmod(module).failed == 0


NO_JIT_SCRIPT = """
import numba, numpy as np
from tutorflow import loops as K
from tutorflow.loops import im2col, reference as R
assert numba.config.DISABLE_JIT and not hasattr(im2col._col2im, "py_func")  # plain Python
rng = np.random.default_rng(0)
x = rng.standard_normal((2, 5, 4, 3)); w = rng.standard_normal((3, 2, 3, 2))
args = ((2, 1), "SAME")
y = K.conv2d(x, w, *args); dy = rng.standard_normal(y.shape)
pairs = [
    (y, R.conv2d(x, w, *args)),
    (K.conv2d_backprop_input(dy, w, x.shape, *args), R.conv2d_backprop_input(dy, w, x.shape, *args)),
    (K.conv2d_backprop_filter(x, dy, w.shape, *args), R.conv2d_backprop_filter(x, dy, w.shape, *args)),
]
p = K.max_pool(x, (2, 2), *args); dp = rng.standard_normal(p.shape)
pairs += [
    (p, R.max_pool(x, (2, 2), *args)),
    (K.max_pool_grad(x, p, dp, (2, 2), *args), R.max_pool_grad(x, p, dp, (2, 2), *args)),
    (K.avg_pool(x, (2, 2), *args), R.avg_pool(x, (2, 2), *args)),
    (K.avg_pool_grad(dp, x.shape, (2, 2), *args), R.avg_pool_grad(dp, x.shape, (2, 2), *args)),
]
a = [rng.random(5) for _ in range(4)]; b = [v.copy() for v in a]
K.adam_update(*a, 0.1, 0.9, 0.999, 1e-8); R.adam_update(*b, 0.1, 0.9, 0.999, 1e-8)
K.momentum_update(a[0], a[1], a[3], 0.1, 0.9, True); R.momentum_update(b[0], b[1], b[3], 0.1, 0.9, True)
K.sgd_update(a[0], a[3], 0.1); R.sgd_update(b[0], b[3], 0.1)
pairs += list(zip(a, b))
bias = rng.standard_normal(3)
pairs += [
    (K.bias_add(x, bias), x + bias), (K.bias_add_grad(x), x.sum((0, 1, 2))),
    (K.relu_grad(x, x), x * (x > 0)),
    (K.bias_add(x, bias, relu=True), np.maximum(x + bias, 0)),
    *zip(K.relu_grad_and_bias_grad(x, x), (x * (x > 0), (x * (x > 0)).sum((0, 1, 2)))),
]
for mine, ref in pairs:
    np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-12)
print("ok", len(pairs))
"""


def test_kernels_run_as_plain_python_with_the_jit_disabled():
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    done = subprocess.run(
        [sys.executable, "-c", NO_JIT_SCRIPT],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "17"]


# --- the fused softmax cross-entropy ----------------------------------------------------------


def _softmax_cross_entropy_in_numpy(logits, labels):
    """The textbook formulas, in float64."""
    logits, labels = logits.astype(np.float64), labels.astype(np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -(labels * log_probabilities).sum(axis=1), np.exp(log_probabilities) - labels


@kernel_settings
@given(dtypes, st.integers(1, 9), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_softmax_cross_entropy_matches_numpy(dtype, rows, classes, seed):
    rng = np.random.default_rng(seed)
    logits = (rng.standard_normal((rows, classes)) * 30).astype(dtype)  # large: exp overflows
    labels = rng.dirichlet(np.ones(classes), rows).astype(dtype)
    loss, backprop = K.softmax_cross_entropy(logits, labels)
    expected_loss, expected_backprop = _softmax_cross_entropy_in_numpy(logits, labels)
    assert loss.dtype == backprop.dtype == dtype
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(loss, expected_loss, rtol=tol, atol=tol)
    np.testing.assert_allclose(backprop, expected_backprop, rtol=tol, atol=tol)


def test_softmax_cross_entropy_keeps_nan_and_inf_as_numpy_does():
    logits = np.array([[np.nan, 0.0], [np.inf, 0.0], [-np.inf, 0.0]])
    labels = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
    loss, backprop = K.softmax_cross_entropy(logits, labels)
    with np.errstate(all="ignore"):
        expected_loss, expected_backprop = _softmax_cross_entropy_in_numpy(logits, labels)
    np.testing.assert_array_equal(loss, expected_loss)  # nan, nan, inf
    np.testing.assert_array_equal(backprop, expected_backprop)


def test_softmax_cross_entropy_refuses_mismatched_arrays():
    with pytest.raises(ValueError, match=r"one shape and dtype, got float32 \(2, 3\) and float64"):
        K.softmax_cross_entropy(np.zeros((2, 3), np.float32), np.zeros((2, 3)))
