"""The support APIs of classic TF 1.x programs: flags and tf.app.run, tf.gfile, tf.logging,
tf.losses, tf.nn.in_top_k, the to_* casts, and the summary ops' values."""

from __future__ import annotations

import io
import sys
import types

import numpy as np
import pytest
from PIL import Image

import tutorflow as tf
from tutorflow.platform import app
from tutorflow.platform.flags import FlagValues, IllegalFlagValueError, UnrecognizedFlagError

pytest.importorskip("tensorboard")

# -- flags and tf.app.run ---------------------------------------------------------------------


@pytest.fixture
def flags(monkeypatch):
    """A fresh FLAGS behind tf.app.flags' DEFINE_* functions."""
    fresh = FlagValues()
    monkeypatch.setattr(tf.flags, "FLAGS", fresh)
    tf.flags.DEFINE_string("log_dir", "/tmp/logs", "Where to log.")
    tf.flags.DEFINE_integer("max_steps", 100, "Steps.")
    tf.flags.DEFINE_float("learning_rate", 0.01, "Learning rate.")
    tf.flags.DEFINE_boolean("fake_data", False, "Fake data.")
    return fresh


def test_flags_parse_as_tf_does_and_leave_what_they_do_not_know(flags):
    left = flags(
        ["prog", "--max_steps=5", "--learning_rate", "0.5", "--fake_data", "--other=1", "file"],
        known_only=True,
    )
    assert left == ["prog", "--other=1", "file"]
    assert (flags.max_steps, flags.learning_rate, flags.fake_data) == (5, 0.5, True)
    assert flags.log_dir == "/tmp/logs"
    flags(["prog", "--nofake_data"])
    assert flags.fake_data is False
    flags(["prog", "--fake_data=true", "-max_steps=7"])
    assert flags.fake_data is True and flags.max_steps == 7


def test_bad_flags_are_errors(flags):
    with pytest.raises(IllegalFlagValueError, match="max_steps"):
        flags(["prog", "--max_steps=many"])
    with pytest.raises(UnrecognizedFlagError, match="nope"):
        flags(["prog", "--nope=1"])
    with pytest.raises(AttributeError):
        flags.undefined_flag  # noqa: B018


def test_reading_a_flag_first_parses_sys_argv(flags, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["prog", "--max_steps=3", "-f", "kernel.json"])
    assert flags.max_steps == 3


def test_app_run_passes_the_unparsed_arguments_to_main_and_exits_with_its_status(flags):
    seen = []

    def main(argv):
        seen.append((argv, flags.max_steps))
        return 3

    with pytest.raises(SystemExit) as exited:
        tf.app.run(main=main, argv=["prog", "--max_steps=9", "rest"])
    assert exited.value.code == 3 and seen == [(["prog", "rest"], 9)]


def test_app_run_in_jupyter_reports_the_status_and_keeps_the_kernel(flags, monkeypatch, capsys):
    shell = types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))

    def main(argv):
        sys.exit(2)

    assert tf.app.run(main=main, argv=["ipykernel_launcher.py", "-f", "k.json"]) == 2
    assert "exit status 2" in capsys.readouterr().out
    assert app._in_notebook()


# -- tf.gfile and tf.logging ------------------------------------------------------------------


def test_gfile_resets_a_log_folder_and_reads_files(tmp_path):
    logdir = str(tmp_path / "logs" / "run")
    tf.gfile.MakeDirs(logdir)
    with tf.gfile.GFile(f"{logdir}/a.txt", "w") as f:
        f.write("hello")
    assert tf.gfile.Exists(logdir) and tf.gfile.IsDirectory(logdir)
    assert tf.gfile.ListDirectory(logdir) == ["a.txt"]
    tf.gfile.Copy(f"{logdir}/a.txt", f"{logdir}/b.txt")
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.gfile.Rename(f"{logdir}/a.txt", f"{logdir}/b.txt")
    tf.gfile.Rename(f"{logdir}/a.txt", f"{logdir}/c.txt", overwrite=True)
    assert sorted(tf.gfile.Glob(f"{logdir}/*.txt")) == [f"{logdir}/b.txt", f"{logdir}/c.txt"]
    with tf.gfile.Open(f"{logdir}/c.txt") as f:
        assert f.read() == "hello"
    tf.gfile.Remove(f"{logdir}/c.txt")
    tf.gfile.DeleteRecursively(str(tmp_path / "logs"))
    assert not tf.gfile.Exists(logdir)
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.DeleteRecursively(logdir)
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.GFile(f"{logdir}/missing.txt")


def test_logging_prints_info_once_the_verbosity_allows_it():
    stream, old = io.StringIO(), tf.logging.get_verbosity()
    earlier = tf.logging._handler.setStream(stream)
    try:
        tf.logging.info("hidden %d", 1)
        tf.logging.set_verbosity(tf.logging.INFO)
        tf.logging.info("Step %d: loss = %.2f", 5, 0.25)
        tf.logging.warn("careful")
    finally:
        tf.logging.set_verbosity(old)
        tf.logging._handler.setStream(earlier)
    assert old == tf.logging.WARN
    assert stream.getvalue() == "INFO:tutorflow:Step 5: loss = 0.25\nWARNING:tutorflow:careful\n"


# -- losses, in_top_k, casts, shapes ----------------------------------------------------------


def test_losses_are_means_collected_for_the_total():
    logits = tf.constant([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    sparse = tf.losses.sparse_softmax_cross_entropy(labels=tf.constant([0, 1]), logits=logits)
    onehot = tf.losses.softmax_cross_entropy(tf.constant([[1.0, 0, 0], [0, 1.0, 0]]), logits)
    weighted = tf.losses.sparse_softmax_cross_entropy(
        labels=[0, 1], logits=logits, weights=tf.constant([1.0, 0.0])
    )
    assert tf.losses.get_losses() == [sparse, onehot, weighted]
    assert tf.get_default_graph().get_collection(tf.GraphKeys.LOSSES) == [sparse, onehot, weighted]
    total = tf.losses.get_total_loss()
    per_row = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=logits)
    with tf.Session() as sess:
        rows, values = sess.run(per_row), sess.run([sparse, onehot, weighted, total])
    np.testing.assert_allclose(values[:3], [rows.mean(), rows.mean(), rows[0]], rtol=1e-6)
    assert values[3] == pytest.approx(sum(values[:3]), rel=1e-6)
    assert sparse.op.name == "sparse_softmax_cross_entropy_loss/value"


def test_in_top_k_counts_ties_and_rejects_non_finite_rows():
    predictions = tf.constant([[0.1, 0.8, 0.1], [0.5, 0.5, 0.0], [np.nan, 1.0, 0.0], [1, 2, 3.0]])
    targets = tf.constant([1, 1, 1, 0])
    with tf.Session() as sess:
        top1 = sess.run(tf.nn.in_top_k(predictions, targets, 1))
        top3 = sess.run(tf.nn.in_top_k(predictions, targets, 3))
    assert top1.tolist() == [True, True, False, False]
    assert top3.tolist() == [True, True, False, True]


def test_to_casts_and_a_bare_int_shape():
    x = tf.placeholder(tf.int32, shape=(5))
    assert x.shape.as_list() == [5]
    casts = [tf.to_float(x), tf.to_double(x), tf.to_int32(x), tf.to_int64(x)]
    assert [c.dtype for c in casts] == [tf.float32, tf.float64, tf.int32, tf.int64]
    assert [c.op.name for c in casts] == ["ToFloat", "ToDouble", "ToInt32", "ToInt64"]


# -- summary ops --------------------------------------------------------------------------------


def parsed(serialized):
    return tf.Summary.FromString(serialized)


def test_summary_ops_are_named_and_tagged_by_their_scope_and_collected():
    with tf.name_scope("layer1"):
        loss = tf.summary.scalar("loss", tf.constant(2.5))
    old = tf.scalar_summary("old/loss", tf.constant(1.5))
    assert loss.op.type == "ScalarSummary" and loss.op.name == "layer1/loss"
    assert tf.get_default_graph().get_collection(tf.GraphKeys.SUMMARIES) == [loss, old]
    merged = tf.summary.merge_all()
    with tf.Session() as sess:
        values = parsed(sess.run(merged)).value
    assert [(v.tag, v.simple_value) for v in values] == [("layer1/loss", 2.5), ("old/loss", 1.5)]
    assert tf.merge_all_summaries is tf.summary.merge_all
    assert tf.train.SummaryWriter is tf.summary.FileWriter


def test_no_summaries_merge_to_none_and_duplicate_tags_are_an_error():
    assert tf.summary.merge_all() is None
    twice = tf.summary.merge([tf.scalar_summary("a", 1.0), tf.scalar_summary("a", 2.0)])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate"):
        sess.run(twice)


def test_histogram_counts_every_value_in_tf_buckets():
    values = np.array([-1.0, 0.0, 0.0, 0.5, 0.5, 3.0])
    with tf.Session() as sess:
        histo = parsed(sess.run(tf.summary.histogram("h", values))).value[0].histo
    assert (histo.min, histo.max, histo.num, histo.sum) == (-1.0, 3.0, 6, 3.0)
    assert histo.sum_squares == pytest.approx(10.5)
    assert sum(histo.bucket) == 6
    limits, counts = np.array(histo.bucket_limit), np.array(histo.bucket)
    for value in values:  # each value lies in the bucket below the first limit above it
        assert counts[np.searchsorted(limits, value, side="right")] > 0


def test_image_summary_scales_floats_and_encodes_png():
    images = np.array([[[[0.0], [1.0]], [[2.0], [4.0]]], [[[-1.0], [0.0]], [[0.5], [1.0]]]])
    with tf.Session() as sess:
        values = parsed(sess.run(tf.summary.image("digits", images, max_outputs=2))).value
    assert [v.tag for v in values] == ["digits/image/0", "digits/image/1"]
    decoded = [np.array(Image.open(io.BytesIO(v.image.encoded_image_string))) for v in values]
    assert decoded[0].tolist() == [[0, 63], [127, 255]]  # largest value becomes 255
    assert decoded[1].tolist() == [[1, 128], [191, 255]]  # 0.0 becomes 128
    assert (values[0].image.width, values[0].image.height, values[0].image.colorspace) == (2, 2, 1)


def test_text_summary_holds_the_string_for_the_text_plugin():
    with tf.Session() as sess:
        value = parsed(sess.run(tf.summary.text("notes", tf.constant("**hello**")))).value[0]
    assert value.metadata.plugin_data.plugin_name == "text"
    assert value.tensor.string_val == [b"**hello**"]


def test_summaries_of_the_wrong_dtype_are_type_errors():
    with pytest.raises(TypeError):
        tf.summary.scalar("flag", tf.constant(True))
    with pytest.raises(TypeError):
        tf.summary.text("number", tf.constant(1.0))


def test_without_tensorboard_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    monkeypatch.setitem(sys.modules, "tensorboard.compat.proto.summary_pb2", None)
    summary = tf.summary.scalar("loss", 1.0)
    with tf.Session() as sess, pytest.raises(ImportError, match="pip install tensorboard"):
        sess.run(summary)


# -- the course's hook ------------------------------------------------------------------------


def test_summary_monitor_logs_what_load_or_train_reports(tmp_path, monkeypatch):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    from tutorflow.course import models
    from tutorflow.datasets.dataset import DataSet
    from tutorflow.datasets.mnist import Datasets
    from tutorflow.summary.monitor import SummaryMonitor

    monkeypatch.setenv("TUTORFLOW_DATA", str(tmp_path / "data"))
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (40, 28, 28, 1), dtype=np.uint8)
    labels = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 40)]
    split = DataSet(images, labels, seed=0)
    mnist = Datasets(train=split, validation=split, test=split)
    model = models.softmax_regression()
    seen = types.SimpleNamespace(steps=[], update=lambda step, **_: seen.steps.append(step))
    with tf.summary.FileWriter(tmp_path / "logs", tf.get_default_graph()) as writer:
        monitor = SummaryMonitor(writer, also=seen)
        models.load_or_train(
            model, "softmax", steps=5, mnist=mnist, batch_size=8, log_every=2, monitor=monitor
        )
    run = EventAccumulator(str(tmp_path / "logs"))
    run.Reload()
    assert [e.step for e in run.Scalars("loss")] == [0, 2, 4, 5] == seen.steps
    assert all(0 <= e.value <= 1 for e in run.Scalars("accuracy"))
    assert "W" in {node.name for node in run.Graph().node}
