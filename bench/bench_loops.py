"""Time the kernels on LeNet-5's layers (batch 50, float32); measure memory and start-up costs.

    python bench/bench_loops.py            # about 30 seconds

Prints milliseconds per call as "median (min)" over repeated calls, for:
  - each kernel on LeNet's shapes: convolution by im2col (beside the BLAS matrix product alone,
    its floor), by the DFT (beside numpy's FFT for the transform) and by direct Numba loops;
    pooling; the activation loops beside numpy;
  - the kernel side of one LeNet training step (these kernels plus numpy for the rest);
  - each matrix product of that step alone, and their sum: what numpy's BLAS alone needs;
  - a 10,000-image forward pass of conv1+ReLU+pool+conv2+ReLU+pool (ReLU in place), with its
    peak RSS (in a fresh process);
  - Numba's compile time with an empty cache, and import + first calls with a warm one.
Timings on a shared 2-core machine vary by 10-20% from run to run; compare within one run.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
from numba import njit

from tutorflow import loops as K
from tutorflow.loops import conv, im2col, reference, spectral

SAME = "SAME"
ONE = (1, 1)
POOL = ((2, 2), (2, 2), SAME)
LENET_PARAMS = {  # name: shape; 3,274,634 values in all
    "w1": (5, 5, 1, 32), "b1": (32,), "w2": (5, 5, 32, 64), "b2": (64,),
    "w3": (3136, 1024), "b3": (1024,), "w4": (1024, 10), "b4": (10,),
}  # fmt: skip


def timeit(f, repeat=30):
    """(median, min) milliseconds per call of f(), after two warm-up calls."""
    f()
    f()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return 1e3 * np.median(times), 1e3 * min(times)


def show(name, f, *args, repeat=30):
    median, best = timeit(lambda: f(*args), repeat)
    print(f"  {name:44s} {median:7.2f} ms  ({best:.2f})")


@njit(cache=True)
def direct_conv2d(x, w, pad_top, pad_left, out):
    """Stride-1 convolution as plain loops, vectorized over the output channels."""
    n_images, h, wd, c = x.shape
    kh, kw, _, c_out = w.shape
    for n in range(n_images):
        for oh in range(out.shape[1]):
            for ow in range(out.shape[2]):
                out[n, oh, ow] = 0
                for i in range(kh):
                    for j in range(kw):
                        ih, iw = oh + i - pad_top, ow + j - pad_left
                        if 0 <= ih < h and 0 <= iw < wd:
                            for ch in range(c):
                                for o in range(c_out):
                                    out[n, oh, ow, o] += x[n, ih, iw, ch] * w[i, j, ch, o]


def spectral_forward(x, w, periods):
    x_spec = spectral.spectrum(x, periods, periods.input_cells)
    return spectral.conv2d(x_spec, spectral.filter_matrices(w, periods), periods)


def spectral_filter_gradient(x_spec, dy_spec, periods):
    return spectral.filter_from(spectral.filter_gradient(x_spec, dy_spec), periods)


def bench_kernels(rng):
    print("LeNet-5 layers, batch 50, float32: ms per call, median (min)")
    for name, x_shape, w_shape in [
        ("conv1", (50, 28, 28, 1), (5, 5, 1, 32)),
        ("conv2", (50, 14, 14, 32), (5, 5, 32, 64)),
    ]:
        x = rng.standard_normal(x_shape, dtype=np.float32)
        w = rng.standard_normal(w_shape, dtype=np.float32)
        y = K.conv2d(x, w, ONE, SAME)
        dy = rng.standard_normal(y.shape, dtype=np.float32)
        win = conv.window("conv2d", x_shape[1:3], w_shape[:2], ONE, SAME)
        periods = spectral.periods(x_shape[1:3], win)
        picked = "im2col" if conv._spectral_periods(x_shape, w_shape[3], win) is None else "DFT"
        print(f"  {name}: conv.py picks {picked}")
        show(f"{name} forward, im2col + matmul", im2col.conv2d, x, w, win, conv.CHUNK_BYTES)
        cols = im2col.new_cols(y.size // w_shape[3], win, x_shape[3], np.float32, keep=True)
        show(f"{name} forward: im2col alone", im2col.fill, x, win, cols)
        show(f"{name} forward: the matmul alone", np.matmul, cols, w.reshape(-1, w_shape[3]))
        show(f"{name} forward, DFT", spectral_forward, x, w, periods)
        show(
            f"{name} forward: x's spectrum alone",
            spectral.spectrum,
            x,
            periods,
            periods.input_cells,
        )
        show(
            f"{name} forward: x's spectrum by numpy's FFT",
            np.fft.rfft2,
            x,
            (periods.lh, periods.lw),
            (1, 2),
        )
        show(f"{name} forward, direct Numba loops", direct_conv2d, x, w, 2, 2, y, repeat=5)
        dx = np.empty_like(x)
        show(
            f"{name} backprop input, matmul + col2im",
            im2col.input_gradient,
            dy,
            w,
            win,
            dx,
            conv.COL2IM_CHUNK_BYTES,
        )
        dy_spec = spectral.spectrum(dy, periods, periods.output_cells)
        show(
            f"{name} backprop input, DFT (dy's and the filter's spectra given)",
            spectral.input_gradient,
            dy_spec,
            spectral.filter_matrices(w, periods),
            periods,
        )
        show(
            f"{name} backprop filter, im2col + matmul",
            im2col.filter_gradient,
            x,
            dy,
            win,
            conv.CHUNK_BYTES,
        )
        x_spec = spectral.spectrum(x, periods, periods.input_cells)
        show(
            f"{name} backprop filter, DFT (both spectra given)",
            spectral_filter_gradient,
            x_spec,
            dy_spec,
            periods,
        )
    for name, shape in [("pool1", (50, 28, 28, 32)), ("pool2", (50, 14, 14, 64))]:
        x = rng.standard_normal(shape, dtype=np.float32)
        y = K.max_pool(x, *POOL)
        dy = rng.standard_normal(y.shape, dtype=np.float32)
        show(f"{name} max_pool 2x2/2", K.max_pool, x, *POOL)
        show(f"{name} max_pool_grad", K.max_pool_grad, x, y, dy, *POOL)
        show(f"{name} avg_pool 2x2/2", K.avg_pool, x, *POOL)
        show(f"{name} avg_pool_grad", K.avg_pool_grad, dy, x.shape, *POOL)

    print("Activations of conv1 (50, 28, 28, 32): Numba loop, then numpy")
    x, grad = (rng.standard_normal((50, 28, 28, 32), dtype=np.float32) for _ in range(2))
    bias, y, out = rng.standard_normal(32, dtype=np.float32), np.maximum(x, 0), np.empty_like(x)
    show("bias_add (x + b, into out)", K.bias_add, x, bias, out)
    show("  numpy", np.add, x, bias, out)
    show("relu_grad (grad * (y > 0), into out)", K.relu_grad, grad, y, out)
    show("  numpy", lambda: np.multiply(grad, y > 0, out=out))
    show("bias_add_grad (sum over N, H, W)", K.bias_add_grad, grad)
    show("  numpy", np.sum, grad, (0, 1, 2))

    print("Updates over LeNet's 8 variables (3.27M float32 values)")
    var, m, v, g = (
        {k: rng.random(s, dtype=np.float32) for k, s in LENET_PARAMS.items()} for _ in range(4)
    )
    hyper = (1e-4, 0.9, 0.999, 1e-8)
    hyper32 = [np.float32(h) for h in hyper]
    for name, update, numpy_update, state, n_hyper in [
        ("adam_update", K.adam_update, reference.adam_update, (var, m, v, g), 4),
        ("momentum_update", K.momentum_update, reference.momentum_update, (var, m, g), 2),
        ("sgd_update", K.sgd_update, reference.sgd_update, (var, g), 1),
    ]:
        arrays = [[a[k] for a in state] for k in var]
        show(f"{name}, fused Numba loop", each, update, arrays, hyper[:n_hyper])
        show(f"{name}, numpy", each, numpy_update, arrays, hyper32[:n_hyper])


def each(update, arrays, args):
    """Apply an update to every variable, as one training step does."""
    for a in arrays:
        update(*a, *args)


def bench_lenet_step(rng):
    """The kernel side of one training step; numpy does ReLU, bias, the dense layers and xent."""
    x = rng.random((50, 28, 28, 1), dtype=np.float32)
    labels = rng.integers(0, 10, 50)
    params = {k: rng.standard_normal(s, dtype=np.float32) * 0.05 for k, s in LENET_PARAMS.items()}
    m = {k: np.zeros_like(p) for k, p in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}

    def step():
        p = params
        r1 = np.maximum(K.conv2d(x, p["w1"], ONE, SAME) + p["b1"], 0)
        p1 = K.max_pool(r1, *POOL)
        r2 = np.maximum(K.conv2d(p1, p["w2"], ONE, SAME) + p["b2"], 0)
        p2 = K.max_pool(r2, *POOL)
        flat = p2.reshape(50, -1)
        h = np.maximum(flat @ p["w3"] + p["b3"], 0)
        logits = h @ p["w4"] + p["b4"]
        d = np.exp(logits - logits.max(1, keepdims=True))
        d /= d.sum(1, keepdims=True)
        d[np.arange(50), labels] -= 1
        g = {"w4": h.T @ d, "b4": d.sum(0)}
        dh = (d @ p["w4"].T) * (h > 0)
        g["w3"], g["b3"] = flat.T @ dh, dh.sum(0)
        dr2 = K.max_pool_grad(r2, p2, (dh @ p["w3"].T).reshape(p2.shape), *POOL) * (r2 > 0)
        g["w2"], g["b2"] = (
            K.conv2d_backprop_filter(p1, dr2, p["w2"].shape, ONE, SAME),
            dr2.sum((0, 1, 2)),
        )
        dp1 = K.conv2d_backprop_input(dr2, p["w2"], p1.shape, ONE, SAME)
        dr1 = K.max_pool_grad(r1, p1, dp1, *POOL) * (r1 > 0)
        g["w1"], g["b1"] = (
            K.conv2d_backprop_filter(x, dr1, p["w1"].shape, ONE, SAME),
            dr1.sum((0, 1, 2)),
        )
        for k in p:
            K.adam_update(p[k], m[k], v[k], g[k], 1e-4, 0.9, 0.999, 1e-8)

    print("Kernel side of a LeNet training step (batch 50, kernels + numpy glue)")
    show("one step", step, repeat=60)


def bench_step_products(rng):
    """Each matrix product of a training step alone, as conv.py runs them (im2col for conv1,
    the DFT for conv2; each transform over all channels at once, where spectral.py runs it in
    blocks of 16): what numpy's BLAS alone needs per step, with the caches hot."""

    def a(*shape):
        return rng.standard_normal(shape, dtype=np.float32)

    def twice(matrix, spec):  # a complex product's real and imaginary parts, as spectral does
        return np.matmul(matrix, spec), np.matmul(matrix, spec)

    win = conv.window("conv2d", (14, 14), (5, 5), ONE, SAME)
    g = spectral.periods((14, 14), win)
    f, v2, u2 = g.frequencies, 2 * g.half_w, 2 * g.lh  # 144 frequencies; 18 and 32 rows
    products = [
        # conv1's cols is the transpose of a C-contiguous array (im2col.new_cols)
        ("conv1 forward: cols @ filter", np.matmul, a(25, 39200).T, a(25, 32)),
        ("conv1 filter gradient: cols.T @ dy", np.matmul, a(25, 39200), a(39200, 32)),
        ("conv2 filter's spectrum", np.matmul, a(2 * f, 25), a(25, 32 * 64)),
        ("conv2 x's spectrum: along W", np.matmul, a(v2, 14), a(14, 14 * 32 * 50)),
        ("conv2 x's spectrum: along H", np.matmul, a(u2, 28), a(g.half_w, 28, 32 * 50)),
        ("conv2 forward: per frequency", twice, a(f, 64, 64), a(f, 64, 50)),
        ("conv2 forward: back along H", np.matmul, a(28, u2), a(g.half_w, u2, 64 * 50)),
        ("conv2 forward: back along W", np.matmul, a(14, v2), a(v2, 14 * 64 * 50)),
        ("conv2 dy's spectrum: along W", np.matmul, a(v2, 14), a(14, 14 * 64 * 50)),
        ("conv2 dy's spectrum: along H", np.matmul, a(u2, 28), a(g.half_w, 28, 64 * 50)),
        ("conv2 input gradient: per frequency", twice, a(f, 64, 64), a(f, 64, 50)),
        ("conv2 input gradient: back along H", np.matmul, a(28, u2), a(g.half_w, u2, 32 * 50)),
        ("conv2 input gradient: back along W", np.matmul, a(14, v2), a(v2, 14 * 32 * 50)),
        ("conv2 filter gradient: per frequency", np.matmul, a(f, 64, 50), a(f, 50, 128)),
        ("conv2 filter gradient: back to taps", np.matmul, a(25, 2 * f), a(2 * f, 32 * 64)),
        ("fc1 forward: x @ W", np.matmul, a(50, 3136), a(3136, 1024)),
        ("fc1 W's gradient: x.T @ dy", np.matmul, a(50, 3136).T, a(50, 1024)),
        ("fc1 x's gradient: dy @ W.T", np.matmul, a(50, 1024), a(3136, 1024).T),
    ]
    print("Matrix products of a LeNet training step, each alone (hot caches)")
    medians, bests = zip(*(timeit(lambda: fn(*args)) for _, fn, *args in products))
    for (name, *_), median, best in zip(products, medians, bests):
        print(f"  {name:44s} {median:7.2f} ms  ({best:.2f})")
    print(f"  {'all of them':44s} {sum(medians):7.2f} ms  ({sum(bests):.2f})")
    dy, w = a(50, 1024), a(3136, 1024)
    median, best = timeit(lambda: np.ascontiguousarray(np.matmul(w, dy.T).T))
    label = "fc1 x's gradient as split.py runs it: (W @ dy.T).T"
    print(f"  {label:44s} {median:7.2f} ms  ({best:.2f})")


def eval_10k():
    """Child process: forward conv1+ReLU+pool+conv2+ReLU+pool over 10,000 images."""
    rng = np.random.default_rng(0)
    x = rng.random((10_000, 28, 28, 1), dtype=np.float32)
    w1 = rng.standard_normal((5, 5, 1, 32), dtype=np.float32)
    w2 = rng.standard_normal((5, 5, 32, 64), dtype=np.float32)
    K.max_pool(K.conv2d(K.max_pool(K.conv2d(x[:2], w1, ONE, SAME), *POOL), w2, ONE, SAME), *POOL)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    start = time.perf_counter()
    c1 = K.conv2d(x, w1, ONE, SAME)  # 1.0 GB: (10000, 28, 28, 32) float32
    p1 = K.max_pool(np.maximum(c1, 0, out=c1), *POOL)
    del c1
    c2 = K.conv2d(p1, w2, ONE, SAME)
    K.max_pool(np.maximum(c2, 0, out=c2), *POOL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(
        f"10,000 images: {seconds:.2f} s; peak RSS {peak:.0f} MiB (after warm-up {before:.0f} MiB)"
    )


FIRST_CALLS = """
import time
start = time.perf_counter()
import numpy as np
from tutorflow import loops as K
imported = time.perf_counter()
x, w = np.ones((2, 28, 28, 1), np.float32), np.ones((5, 5, 1, 4), np.float32)
pool = ((2, 2), (2, 2), "SAME")
y = K.conv2d(x, w, (1, 1), "SAME")
K.conv2d_backprop_input(y, w, x.shape, (1, 1), "SAME")
K.conv2d_backprop_filter(x, y, w.shape, (1, 1), "SAME")
p = K.max_pool(y, *pool)
K.max_pool_grad(y, p, p, *pool)
K.avg_pool_grad(K.avg_pool(y, *pool), y.shape, *pool)
a = np.ones(10, np.float32)
K.adam_update(a, a.copy(), a.copy(), a.copy(), 0.1, 0.9, 0.999, 1e-8)
K.momentum_update(a, a.copy(), a.copy(), 0.1, 0.9)
K.sgd_update(a, a.copy(), 0.1)
print(f"import {imported - start:.2f} s, first call of every kernel {time.perf_counter() - imported:.2f} s")
"""


def run_python(*args, env=None):
    """Run python with these arguments in a fresh process; return what it printed."""
    env = dict(os.environ, **(env or {}))
    done = subprocess.run(
        [sys.executable, *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def main():
    rng = np.random.default_rng(0)
    bench_kernels(rng)
    bench_lenet_step(rng)
    bench_step_products(rng)
    print("Evaluation of 10,000 images in one call (fresh process)")
    print("  " + run_python(__file__, "eval_10k"))
    print("Start-up, float32 kernels (fresh processes)")
    with tempfile.TemporaryDirectory() as cache:
        env = {"NUMBA_CACHE_DIR": cache}
        print("  cold, empty Numba cache:", run_python("-c", FIRST_CALLS, env=env))
        print("  warm, cache filled:     ", run_python("-c", FIRST_CALLS, env=env))


if __name__ == "__main__":
    eval_10k() if sys.argv[-1] == "eval_10k" else main()
