"""What the benchmarks share: the peers they race (TF compat.v1's graph mode), each framework's
thread settings, and which kernels numpy and TF run. Imported by bench_lenet.py and
bench_softmax.py (run as scripts, so this folder is on sys.path)."""

import os


def session_config(tf, threads: int, inter_op: int):
    """A ``ConfigProto`` giving ``threads`` to each framework's own thread pools. TF runs ready
    ops on its inter-op pool; tutorflow's side-by-side executor measured slower than its
    sequential loop on the course's steps (client/parallel.py), so it gets ``inter_op``
    workers (the scripts' --inter-op, default 1)."""
    workers = threads if tf.__name__.startswith("tensorflow") else inter_op
    return tf.ConfigProto(
        intra_op_parallelism_threads=threads, inter_op_parallelism_threads=workers
    )


def tf_compat_v1():
    """TF's compat.v1 module in graph mode, or None (with a line saying so) if TF is missing."""
    try:
        import tensorflow.compat.v1 as tf1
    except ImportError:
        print("tensorflow not installed: skipped (pip install tensorflow-cpu)")
        return None
    tf1.disable_eager_execution()
    print(tf_kernels())
    return tf1


def ops_of(plan) -> set:
    """The ops a tutorflow plan runs."""
    return {step[0] for step in plan.steps}


def numpy_blas() -> str:
    """Which BLAS numpy runs, with which kernels: OpenBLAS picks them for the CPU it finds unless
    OPENBLAS_CORETYPE names them. Call before the other frameworks load their own libraries."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "numpy's BLAS: unknown (pip install threadpoolctl to see it)"
    found = [
        f"{lib['internal_api']} {lib['version']}, {lib.get('architecture', '?')} kernels"
        for lib in threadpool_info()
        if lib["user_api"] == "blas"
    ]
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    chosen = f" (OPENBLAS_CORETYPE={coretype} in the environment)" if coretype else ""
    return f"numpy's BLAS: {'; '.join(found) or 'none found'}{chosen}"


def tf_kernels() -> str:
    """Whether TF runs oneDNN's kernels (its default where the CPU has AVX-512) or its own Eigen
    ones, which TF 1.x ran. TF_ENABLE_ONEDNN_OPTS=0, set before TF loads, picks Eigen."""
    try:
        from tensorflow.python.util import _pywrap_util_port

        onednn = _pywrap_util_port.IsMklEnabled()
    except (ImportError, AttributeError):  # a private function: it may move
        return "TF's kernels: unknown"
    if onednn:
        return "TF's kernels: oneDNN (TF_ENABLE_ONEDNN_OPTS=0 gives Eigen's, as in TF 1.x)"
    return "TF's kernels: Eigen's, as in TF 1.x (oneDNN is off)"
