"""Classic TF 1.x programs (tests/tf1_programs/, TF's tutorials in shape, only the imports
changed) run to the end as scripts, and TensorBoard's own loader reads what they logged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "tf1_programs"
MNIST = HERE.parent / "data" / "mnist"
KEEP_ALL = {"scalars": 0, "histograms": 0, "images": 0, "tensors": 0}


def run_program(name: str, *args: str) -> str:
    """Runs ``tf1_programs/<name>.py`` with ``args`` as a script; returns what it printed."""
    done = subprocess.run(
        [sys.executable, str(PROGRAMS / f"{name}.py"), *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=HERE,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def events(logdir: Path) -> EventAccumulator:
    accumulator = EventAccumulator(str(logdir), size_guidance=KEEP_ALL)
    accumulator.Reload()
    return accumulator


def edges(graph_def) -> set:
    return {(source.split(":")[0], node.name) for node in graph_def.node for source in node.input}


@pytest.fixture(scope="module")
def summaries_logdir(tmp_path_factory) -> Path:
    """mnist_with_summaries run for 12 steps: a test summary at 0 and 10, a traced step at 11."""
    logdir = tmp_path_factory.mktemp("mnist_with_summaries")
    (logdir / "stale_file").write_text("removed by tf.gfile.DeleteRecursively")
    output = run_program(
        "mnist_with_summaries", "--max_steps=12", f"--data_dir={MNIST}", f"--log_dir={logdir}"
    )
    assert "Accuracy at step 10:" in output and "Adding run metadata for 11" in output
    return logdir


def test_mnist_with_summaries_logs_scalars_at_each_step(summaries_logdir):
    assert not (summaries_logdir / "stale_file").exists()
    train, test = events(summaries_logdir / "train"), events(summaries_logdir / "test")
    # the name scopes "accuracy" and "cross_entropy" came first: TF tags these "_1" too
    assert [e.step for e in test.Scalars("accuracy_1")] == [0, 10]
    assert all(0.0 <= e.value <= 1.0 for e in test.Scalars("accuracy_1"))
    assert [e.step for e in train.Scalars("cross_entropy_1")] == [s for s in range(12) if s % 10]
    keep = [e.value for e in train.Scalars("dropout/dropout_keep_probability")]
    assert keep == pytest.approx([0.9] * 10)
    # reduce_mean made layer1/weights/summaries/Mean first: TF names the summary mean_1 too
    assert "layer1/weights/summaries/mean_1" in train.Tags()["scalars"]
    stddev = train.Scalars("layer2/biases/summaries/stddev_1")[0].value
    assert stddev == pytest.approx(0.0, abs=1e-6)  # the biases start all at 0.1


def test_mnist_with_summaries_logs_histograms_and_images(summaries_logdir):
    train, test = events(summaries_logdir / "train"), events(summaries_logdir / "test")
    weights = train.Histograms("layer1/weights/summaries/histogram")[0].histogram_value
    assert weights.num == 784 * 500 and sum(weights.bucket) == 784 * 500
    assert -0.2 <= weights.min < weights.max <= 0.2  # truncated at two standard deviations
    activations = test.Histograms("layer2/activations")[0].histogram_value
    assert activations.num == 10000 * 10  # the whole test set
    images = [tag for tag in test.Tags()["images"] if tag.startswith("input_reshape/input")]
    assert len(images) == 10
    first = test.Images("input_reshape/input/image/0")[0]
    assert (first.width, first.height) == (28, 28)
    assert first.encoded_image_string.startswith(b"\x89PNG")


def test_mnist_with_summaries_logs_its_graph_and_run_metadata(summaries_logdir):
    train = events(summaries_logdir / "train")
    graph = train.Graph()
    names = {node.name for node in graph.node}
    assert {"input/x-input", "layer1/weights/Variable", "layer1/Wx_plus_b/MatMul"} <= names
    assert "layer1/weights/Variable/Adam" in names  # the optimizer's slot, beside its variable
    assert ("layer1/weights/Variable", "layer1/weights/Variable/read") in edges(graph)
    assert ("input/x-input", "layer1/Wx_plus_b/MatMul") in edges(graph)
    assert train.Tags()["run_metadata"] == ["step011"]
    stats = train.RunMetadata("step011").step_stats.dev_stats[0]
    timed = {node.node_name: node.timeline_label for node in stats.node_stats}
    assert {"layer1/activation", "Merge/MergeSummary"} <= timed.keys()
    # The product and its bias ran as one step (a histogram reads the sum, so ReLU runs apart).
    assert "layer1/Wx_plus_b/MatMul" not in timed
    assert timed["layer1/Wx_plus_b/add"].startswith("layer1/Wx_plus_b/add = _FusedMatMul(")
    assert all(node.all_end_rel_micros >= 1 for node in stats.node_stats)


def test_fully_connected_feed_logs_the_loss_and_saves_a_checkpoint(tmp_path):
    logdir = tmp_path / "fully_connected_feed"
    output = run_program(
        "fully_connected_feed",
        "--max_steps=25",
        "--summary_every=10",
        f"--input_data_dir={MNIST}",
        f"--log_dir={logdir}",
    )
    assert "INFO:tutorflow:Step 20: loss = " in output
    assert output.count("Precision @ 1:") == 2
    assert (logdir / "model.ckpt-24.npz").exists()
    run = events(logdir)
    assert [e.step for e in run.Scalars("loss")] == [0, 10, 20]
    assert run.Scalars("loss")[0].value == pytest.approx(2.3, abs=0.3)  # ln 10 at the start
    names = {node.name for node in run.Graph().node}
    assert {"hidden1/weights", "softmax_linear/biases", "global_step", "loss"} <= names
    graph_edges = edges(run.Graph())
    assert ("hidden1/weights", "hidden1/weights/read") in graph_edges


def test_deep_mnist_runs_to_the_end_and_writes_its_graph(tmp_path):
    logdir = tmp_path / "deep"
    output = run_program(
        "deep_mnist", "--steps=3", "--test_size=100", f"--data_dir={MNIST}", f"--log_dir={logdir}"
    )
    assert "step 0, training accuracy" in output and "test accuracy" in output
    graph = events(logdir).Graph()
    names = {node.name for node in graph.node}
    loss = "loss/sparse_softmax_cross_entropy_loss/xentropy"
    assert {"conv1/Conv2D", "pool1/MaxPool", "fc1/MatMul", loss} <= names
    assert ("conv1/Relu", "pool1/MaxPool") in edges(graph)
    assert any(name.startswith("adam_optimizer/") for name in names)
