"""Intra-op threads (loops/split.py): work cut into parts gives what one thread gives, bit for bit
for the loops and within rounding for matrix products; parts cover the work once; errors come
through; a session's run sets the parts and one BLAS thread, and restores both."""

import threading
import time
import weakref
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parts import cut_into
from strategies import problems

import tutorflow as tf
from tutorflow import loops as K
from tutorflow.client.threads import IntraOpThreads, _blas_libraries
from tutorflow.loops import handoff, split

# --- cutting and running ----------------------------------------------------------------------


@given(st.integers(0, 200), st.integers(1, 5), st.integers(1, 50), st.integers(1, 400))
def test_ranges_cover_the_work_once_in_big_enough_parts(count, threads, values_each, min_values):
    saved = split._parts
    split._parts = threads  # ranges only reads the count
    try:
        bounds = split.ranges(count, values_each, min_values)
    finally:
        split._parts = saved
    assert [i for start, stop in bounds for i in range(start, stop)] == list(range(count))
    assert 1 <= len(bounds) <= max(1, min(threads, count))
    if len(bounds) > 1:
        assert min(stop - start for start, stop in bounds) * values_each >= min_values // 2


def test_run_runs_every_task_once_and_raises_the_first_error_after_all_ended():
    ran, lock = [], threading.Lock()

    def task(i, fail=False):
        def go():
            with lock:
                ran.append(i)
            if fail:
                raise ValueError(f"part {i} failed")

        return go

    with cut_into(3):
        split.run([task(i) for i in range(7)])
        assert sorted(ran) == list(range(7))
        ran.clear()
        with pytest.raises(ValueError, match="part 1 failed"):
            split.run([task(0), task(1, fail=True), task(2, fail=True), task(3)])
    assert sorted(ran) == [0, 1, 2, 3]


@pytest.mark.parametrize("parts", [1, 3])
def test_summed_over_gives_each_part_a_total_of_its_own_and_adds_them(parts):
    seen = []

    def loop(start, stop, total):
        assert not total.any()  # nobody else's sums in it
        total += [stop - start, sum(range(start, stop))]
        seen.append((start, stop))

    with cut_into(parts):
        got = split.summed_over(10, loop, 2)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, [10, 45])
    assert len(seen) == parts and sorted(seen)[0][0] == 0


def test_parts_run_on_more_than_one_thread():
    seen = set()
    barrier = threading.Barrier(2, timeout=10)  # both parts must be running at once

    def part(start, stop):
        seen.add(threading.get_ident())
        barrier.wait()

    with cut_into(2):
        split.over(2, part)
    assert len(seen) == 2


@pytest.mark.parametrize("spins", [0, 1, handoff.SPINS])  # 0: no spinning, as on Windows
def test_helpers_that_spin_or_sleep_take_every_part_they_are_handed(monkeypatch, spins):
    monkeypatch.setattr(handoff, "SPINS", spins)
    ran = []

    def part(start, stop):
        ran.append(start)
        barrier.wait()  # the three parts must run at once: both helpers took theirs

    with cut_into(3):
        for round_ in range(30):
            if round_ % 10 == 9:
                time.sleep(0.01)  # long enough for the helpers to stop looking and sleep
            barrier = threading.Barrier(3, timeout=10)
            ran.clear()
            split.over(9, part)
            assert sorted(ran) == [0, 3, 6]
        with pytest.raises(ValueError, match="part 1 failed"):
            split.run([lambda: None, lambda: _fail(1), lambda: None])


def _fail(i):
    raise ValueError(f"part {i} failed")


def test_runs_from_two_threads_at_once_each_run_all_their_parts():
    totals, errors = {}, []

    def runner(name):
        try:
            for _ in range(200):
                out = np.zeros(6)
                split.over(6, lambda start, stop: out.__setitem__(slice(start, stop), 1.0))
                totals[name] = totals.get(name, 0) + out.sum()
        except BaseException as error:
            errors.append(error)

    with cut_into(2):
        threads_ = [threading.Thread(target=runner, args=(name,)) for name in "ab"]
        for thread in threads_:
            thread.start()
        for thread in threads_:
            thread.join(timeout=60)
    assert not errors and totals == {"a": 1200, "b": 1200}


def test_helpers_let_go_of_a_parts_arrays_once_it_has_run():
    big = np.ones(1000)
    freed = weakref.ref(big)
    with cut_into(2):
        split.over(2, partial(_sum_part, big))  # each part's task holds the array
    del big
    assert freed() is None  # no thread still holds the part that read it


def _sum_part(values, start, stop):
    return values[start:stop].sum()


def test_the_caller_runs_a_part_that_no_helper_has_started(monkeypatch):
    monkeypatch.setattr(threading.Thread, "start", lambda thread: None)  # a helper that never runs
    helper = handoff.Helper("never started")
    ran = []
    helper.hand(1, lambda: ran.append(threading.get_ident()))
    assert helper.wait(1) is None and ran == [threading.get_ident()]
    helper.hand(2, lambda: _fail(2))
    assert str(helper.wait(2)) == "part 2 failed"
    helper.hand(3, lambda: ran.append("part 3"))
    assert not helper._claim(1)  # its thread, seeing part 1 only now, must not run part 3
    assert helper.wait(3) is None and ran[-1] == "part 3"


def test_set_threads_refuses_zero():
    with pytest.raises(ValueError, match="at least 1, got 0"):
        split.set_threads(0)


# --- matrix products ---------------------------------------------------------------------------

_shapes = st.tuples(st.integers(1, 40), st.integers(1, 30), st.integers(1, 40))


@settings(max_examples=40, deadline=None)
@given(_shapes, st.integers(0, 2**32 - 1), st.sampled_from(["2-D", "stack", "matrix @ stack"]))
def test_matmul_in_parts_matches_numpy(shape, seed, kind):
    m, k, n = shape
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((n, k)).astype(np.float32).T  # a transposed view, as kernels pass
    if kind == "stack":
        a, b = np.stack([a, 2 * a, -a]), np.stack([b, b, 3 * b])
    elif kind == "matrix @ stack":
        b = np.stack([b, 2 * b])
    with cut_into(3):
        got = split.matmul(a, b)
    expected = np.matmul(a, b)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    out = np.full((*expected.shape[:-1], expected.shape[-1] + 2), np.nan, np.float32)
    with cut_into(3):
        split.matmul(a, b, out=out[..., 1:-1])  # a slice of a bigger array
    np.testing.assert_allclose(out[..., 1:-1], expected, rtol=1e-5, atol=1e-5)
    assert np.isnan(out[..., 0]).all() and np.isnan(out[..., -1]).all()


def test_matmul_keeps_integer_products_exact():
    a = np.arange(12).reshape(4, 3)
    with cut_into(2):
        np.testing.assert_array_equal(split.matmul(a, a.T), a @ a.T)


def _spy(monkeypatch, name):
    """Records the shapes of the arguments of every call of ``split.<name>``."""
    calls, real = [], getattr(split, name)

    def spy(a, b, *rest, **keywords):
        calls.append((a.shape, b.shape))
        return real(a, b, *rest, **keywords)

    monkeypatch.setattr(split, name, spy)
    return calls


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_a_long_inner_axis_is_cut_and_the_parts_added_up(monkeypatch, dtype):
    rng = np.random.default_rng(7)
    a = rng.integers(-9, 9, (5, 4000)).astype(dtype)  # conv1's filter gradient: cols.T @ dy
    b = rng.integers(-9, 9, (4000, 3)).astype(dtype)
    calls = _spy(monkeypatch, "_summed_over_inner")
    out = np.full((5, 5), -1, dtype)
    with cut_into(3):
        got = split.matmul(a, b)
        split.matmul(a, b, out=out[:, 1:4])
    assert calls == [((5, 4000), (4000, 3))] * 2
    np.testing.assert_array_equal(got, a @ b)  # small integers: every sum exact in float32
    np.testing.assert_array_equal(out[:, 1:4], a @ b)
    assert (out[:, [0, 4]] == -1).all()


@pytest.mark.parametrize("parts", [1, 2])
def test_a_few_rows_times_a_transposed_matrix_is_computed_flipped(monkeypatch, parts):
    rng = np.random.default_rng(8)
    dy = rng.standard_normal((20, 300)).astype(np.float32)  # a layer's input gradient: dy @ W.T
    w = rng.standard_normal((500, 300)).astype(np.float32)
    calls = _spy(monkeypatch, "matmul")
    with cut_into(parts):
        got = split.matmul(dy, w.T)
        out = np.empty((20, 500), np.float32)
        split.matmul(dy, w.T, out=out)
        not_transposed = split.matmul(dy, np.ascontiguousarray(w.T))
    assert ((500, 300), (300, 20)) in calls
    for result in (got, out, not_transposed):
        assert result.flags.c_contiguous
        np.testing.assert_allclose(result, dy @ w.T, rtol=1e-5, atol=1e-4)
    assert calls.count(((500, 300), (300, 20))) == 2  # not for the C-contiguous right matrix


# --- kernels in parts, against one thread -------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(problems())
def test_pooling_and_activations_in_parts_are_bit_for_bit_one_threads(p):
    dy = p.like(K.max_pool(p.x, p.ksize, p.strides, p.padding).shape)

    def all_of_them():
        y = K.max_pool(p.x, p.ksize, p.strides, p.padding)
        return [
            y,
            K.max_pool_grad(p.x, y, dy, p.ksize, p.strides, p.padding),
            K.avg_pool(p.x, p.ksize, p.strides, p.padding),
            K.avg_pool_grad(dy, p.x.shape, p.ksize, p.strides, p.padding),
            K.relu(p.x - 0.5),
            K.relu_grad(p.x, p.x - 0.5),
            K.bias_add(p.x, p.x[0, 0, 0]),
        ]

    expected = all_of_them()
    with cut_into(3):
        in_parts = all_of_them()
    for got, want in zip(in_parts, expected):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_optimizer_updates_in_parts_are_bit_for_bit_one_threads(dtype):
    rng = np.random.default_rng(0)
    start = [rng.standard_normal(1001).astype(dtype) for _ in range(4)]
    var, m, v, grad = (a.copy() for a in start)
    v = np.abs(v)
    one = [var.copy(), m.copy(), v.copy()]
    K.adam_update(*one, grad, 0.01, 0.9, 0.999, 1e-8)
    K.momentum_update(one[0], one[1], grad, 0.1, 0.9, use_nesterov=True)
    K.sgd_update(one[0], grad, 0.5)
    with cut_into(4):
        K.adam_update(var, m, v, grad, 0.01, 0.9, 0.999, 1e-8)
        K.momentum_update(var, m, grad, 0.1, 0.9, use_nesterov=True)
        K.sgd_update(var, grad, 0.5)
    for got, want in zip([var, m, v], one):
        np.testing.assert_array_equal(got, want)


@settings(max_examples=20, deadline=None)
@given(problems(), st.integers(1, 4))
def test_convolutions_in_parts_match_one_thread(p, c_out):
    w = p.like(p.ksize + (p.x.shape[3], c_out))

    def conv_and_gradients():
        y = K.conv2d(p.x, w, p.strides, p.padding)
        dy = np.ones_like(y)
        return [
            y,
            K.conv2d_backprop_input(dy, w, p.x.shape, p.strides, p.padding),
            K.conv2d_backprop_filter(p.x, dy, w.shape, p.strides, p.padding),
        ]

    tol = 1e-4 if p.x.dtype == np.float32 else 1e-10
    with cut_into(3):
        in_parts = conv_and_gradients()
    for got, want in zip(in_parts, conv_and_gradients()):
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


# --- a session's runs ---------------------------------------------------------------------------


def test_a_run_sets_the_parts_and_one_blas_thread_and_restores_them():
    libraries = _blas_libraries()
    counts = [library.get_num_threads() for library in libraries]
    found = split.threads()
    with IntraOpThreads(3):
        assert split.threads() == 3
        assert all(library.get_num_threads() == 1 for library in libraries)
    assert split.threads() == found
    assert [library.get_num_threads() for library in libraries] == counts
    with IntraOpThreads(None):  # the default: as many parts as BLAS had threads
        assert split.threads() == max(counts, default=split.threads())


def test_a_sessions_intra_op_threads_cut_its_ops(monkeypatch):
    seen = []
    monkeypatch.setattr(split, "run", lambda tasks: seen.append((split.threads(), len(tasks))))
    x = tf.placeholder(tf.float32, [200, 300])
    product = tf.matmul(x, x, transpose_b=True)
    config = tf.ConfigProto(intra_op_parallelism_threads=2)
    with tf.Session(config=config) as sess:
        sess.run(product, {x: np.ones((200, 300))})
    assert seen == [(2, 2)]  # 12 million multiply-adds: two parts
    with tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=1)) as sess:
        sess.run(product, {x: np.ones((200, 300))})
    assert seen == [(2, 2)]  # one thread: nothing handed over
