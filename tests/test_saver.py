"""The Saver: checkpoints that round-trip every variable, restores that are checked and atomic,
corrupt files reported as TF's DataLossError, and TF 1.x's checkpoint state file."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from test_train import build_problem

import tutorflow as tf


def _adam_model():
    loss, variables = build_problem(np.float64)
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    return train, variables


def _initialized_session():
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return sess


def test_save_and_restore_into_a_fresh_session(tmp_path):
    train, variables = _adam_model()
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    saved = sess.run(variables)
    path = saver.save(sess, str(tmp_path / "model"))
    assert path == str(tmp_path / "model") and os.path.exists(path + ".npz")
    fresh = tf.Session()
    saver.restore(fresh, path)
    for got, expected in zip(fresh.run(variables), saved):
        np.testing.assert_array_equal(got, expected)


def test_restore_into_a_rebuilt_graph_continues_training_exactly(tmp_path):
    """Slots and beta powers are saved too: training resumes where it stopped."""
    train, variables = _adam_model()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    sess.run(train)
    path = tf.train.Saver().save(sess, str(tmp_path / "ckpt"))
    sess.run(train)
    sess.run(train)
    continued = sess.run(variables)

    tf.reset_default_graph()
    train, variables = _adam_model()
    sess = tf.Session()
    tf.train.Saver().restore(sess, path)  # no initializer needed: restoring initialises
    sess.run(train)
    sess.run(train)
    for got, expected in zip(sess.run(variables), continued):
        np.testing.assert_array_equal(got, expected)


def test_save_with_global_step_appends_it(tmp_path):
    v = tf.Variable([1.0, 2.0])
    step = tf.Variable(7, trainable=False)
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    prefix = str(tmp_path / "model.ckpt")
    assert saver.save(sess, prefix, global_step=step) == prefix + "-7"
    assert saver.save(sess, prefix, global_step=12) == prefix + "-12"
    assert saver.save(sess, prefix, global_step=sess.run(step)) == prefix + "-7"  # np.int32
    assert saver.save(sess, prefix, global_step=np.int64(3)) == prefix + "-3"
    assert os.path.exists(prefix + "-7.npz") and os.path.exists(prefix + "-12.npz")
    sess.run(v.assign([5.0, 6.0]))
    saver.restore(sess, prefix + "-7")
    np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_restore_of_a_missing_checkpoint_is_not_found(tmp_path):
    tf.Variable(1.0)
    saver = tf.train.Saver()
    with pytest.raises(tf.errors.NotFoundError):
        saver.restore(tf.Session(), str(tmp_path / "nothing-here"))


def test_restore_of_a_missing_variable_is_not_found(tmp_path):
    tf.Variable(1.0, name="a")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    path = tf.train.Saver().save(sess, str(tmp_path / "a_only"))
    tf.reset_default_graph()
    tf.Variable(1.0, name="b")
    with pytest.raises(tf.errors.NotFoundError, match="b"):
        tf.train.Saver().restore(tf.Session(), path)


def test_restore_with_the_wrong_shape_is_invalid(tmp_path):
    tf.Variable(np.zeros((2, 3)), name="weights")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    path = tf.train.Saver().save(sess, str(tmp_path / "ckpt"))
    tf.reset_default_graph()
    tf.Variable(np.zeros((3, 2)), name="weights")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[3, 2\].*\[2, 3\]"):
        tf.train.Saver().restore(tf.Session(), path)


def test_saver_with_a_dict_and_a_list(tmp_path):
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    path = tf.train.Saver({"renamed": a}).save(sess, str(tmp_path / "dict"))
    with np.load(path + ".npz") as saved:
        assert sorted(saved.files) == ["renamed"]
    sess.run(a.assign(10.0))
    tf.train.Saver([a]).save(sess, str(tmp_path / "list"))
    tf.train.Saver({"renamed": b}).restore(sess, path)
    assert sess.run(b) == 1.0


def test_a_failed_save_leaves_no_partial_file(tmp_path, monkeypatch):
    v = tf.Variable([1.0, 2.0])
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    good = saver.save(sess, str(tmp_path / "model"))
    before = os.listdir(tmp_path)

    def broken_write(file, array, **options):
        file.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(np.lib.format, "write_array", broken_write)
    sess.run(v.assign([3.0, 4.0]))
    with pytest.raises(OSError, match="disk full"):
        saver.save(sess, str(tmp_path / "model"))
    with pytest.raises(OSError):
        saver.save(sess, str(tmp_path / "other"))
    assert sorted(os.listdir(tmp_path)) == sorted(before)  # no temporary or partial files
    monkeypatch.undo()
    saver.restore(sess, good)  # the earlier checkpoint survived intact
    np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


# -- every name round-trips (issue 16, item 1) --------------------------------------------------


@pytest.mark.parametrize("name", ["allow_pickle", "file", "args", "kwds", "conv1/W"])
def test_every_variable_name_round_trips(tmp_path, name):
    v = tf.Variable([1.0, 2.0], name=name)
    sess = _initialized_session()
    path = tf.train.Saver().save(sess, str(tmp_path / "model"))
    with np.load(path + ".npz") as saved:
        assert saved.files == [name]
    sess.run(v.assign([0.0, 0.0]))
    tf.train.Saver().restore(sess, path)
    np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


# -- restores are checked, then applied all at once (items 2 and 3) -----------------------------


def _checkpoint_of(tmp_path, **values) -> str:
    """A checkpoint saved from a graph of its own holding ``values``, by variable name."""
    with tf.Graph().as_default():
        for name, value in values.items():
            tf.Variable(value, name=name)
        sess = _initialized_session()
        return tf.train.Saver().save(sess, str(tmp_path / "ckpt"))


def test_restore_with_the_wrong_dtype_is_invalid_and_names_the_variable(tmp_path):
    path = _checkpoint_of(tmp_path, counts=np.array([0.5, -0.5], np.float32))
    counts = tf.Variable([3, 4], name="counts")
    sess = _initialized_session()
    with pytest.raises(tf.errors.InvalidArgumentError) as raised:
        tf.train.Saver().restore(sess, path)
    assert str(raised.value) == (
        f"tensor_name = counts; expected dtype int32 does not equal original dtype float "
        f"(checkpoint {path}.npz)"
    )
    np.testing.assert_array_equal(sess.run(counts), [3, 4])


def test_a_failed_restore_changes_no_variable(tmp_path):
    path = _checkpoint_of(tmp_path, a=1.0, b=2.0)
    a = tf.Variable(10.0, name="a")
    missing = tf.Variable(20.0, name="c")
    sess = _initialized_session()
    with pytest.raises(tf.errors.NotFoundError, match=f"Key c not found in checkpoint {path}"):
        tf.train.Saver({"a": a, "c": missing}).restore(sess, path)
    assert sess.run(a) == 10.0


def test_a_restore_with_a_bad_shape_after_a_good_variable_changes_nothing(tmp_path):
    path = _checkpoint_of(tmp_path, a=1.0, b=np.zeros(3))
    a, b = tf.Variable(10.0, name="a"), tf.Variable(np.ones(2), name="b")
    sess = _initialized_session()
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"lhs shape= \[2\] rhs shape= \[3\]"):
        tf.train.Saver().restore(sess, path)
    assert sess.run(a) == 10.0
    np.testing.assert_array_equal(sess.run(b), [1.0, 1.0])


# -- corrupt files are TF's DataLossError, naming the file (item 4) -----------------------------


def _saved_model(tmp_path):
    tf.Variable(np.arange(1000, dtype=np.float32), name="v")
    saver = tf.train.Saver()
    path = saver.save(_initialized_session(), str(tmp_path / "model"))
    return saver, path, Path(path + ".npz")


def _truncate(file):
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])


def _flip_a_bit(file):
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0x10  # inside the values: the zip's CRC-32 no longer matches
    file.write_bytes(bytes(data))


def _overwrite_with_garbage(file):
    file.write_bytes(b"this is not a checkpoint, just some words in a file\n" * 20)


@pytest.mark.parametrize("damage", [_truncate, _flip_a_bit, _overwrite_with_garbage])
def test_a_corrupt_checkpoint_is_data_loss_naming_the_file(tmp_path, damage):
    saver, path, file = _saved_model(tmp_path)
    damage(file)
    with pytest.raises(tf.errors.DataLossError) as raised:
        saver.restore(tf.Session(), path)
    message = str(raised.value)
    assert message.startswith(f"Unable to read checkpoint {file}: ")
    assert message.endswith(
        "(the file is truncated or corrupt). Delete it and save the model again."
    )
    assert "pickle" not in message


# -- TF 1.x's checkpoint state and max_to_keep (item 5) ------------------------------------------


def test_latest_checkpoint_is_none_without_a_state_file(tmp_path):
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert tf.train.latest_checkpoint(str(tmp_path / "no-such-folder")) is None


def test_latest_checkpoint_follows_the_state_file_saves_write(tmp_path):
    tf.Variable(1.0)
    saver = tf.train.Saver()
    sess = _initialized_session()
    prefix = str(tmp_path / "model.ckpt")
    saver.save(sess, prefix, global_step=1)
    saver.save(sess, prefix, global_step=2)
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix + "-2"
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "model.ckpt-2"\n'
        'all_model_checkpoint_paths: "model.ckpt-1"\n'
        'all_model_checkpoint_paths: "model.ckpt-2"\n'
    )
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == prefix + "-2"
    assert state.all_model_checkpoint_paths == [prefix + "-1", prefix + "-2"]
    saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))


def test_latest_checkpoint_survives_moving_the_folder(tmp_path):
    tf.Variable(1.0)
    tf.train.Saver().save(_initialized_session(), str(tmp_path / "old" / "model"))
    os.rename(tmp_path / "old", tmp_path / "new")
    assert tf.train.latest_checkpoint(str(tmp_path / "new")) == str(tmp_path / "new" / "model")


def test_latest_checkpoint_is_none_when_its_file_is_gone(tmp_path):
    tf.Variable(1.0)
    path = tf.train.Saver().save(_initialized_session(), str(tmp_path / "model"))
    os.remove(path + ".npz")
    assert tf.train.latest_checkpoint(str(tmp_path)) is None


def test_max_to_keep_keeps_the_last_n_checkpoints(tmp_path):
    tf.Variable(1.0)
    saver = tf.train.Saver(max_to_keep=2)
    sess = _initialized_session()
    prefix = str(tmp_path / "model")
    for step in range(1, 5):
        saver.save(sess, prefix, global_step=step)
    assert saver.last_checkpoints == [prefix + "-3", prefix + "-4"]
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model-3.npz", "model-4.npz"]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == [prefix + "-3", prefix + "-4"]


def test_saving_the_same_path_again_does_not_count_twice(tmp_path):
    tf.Variable(1.0)
    saver = tf.train.Saver(max_to_keep=2)
    sess = _initialized_session()
    for step in (1, 2, 1):
        saver.save(sess, str(tmp_path / "model"), global_step=step)
    assert saver.last_checkpoints == [str(tmp_path / "model-2"), str(tmp_path / "model-1")]
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model-1.npz", "model-2.npz"]


@pytest.mark.parametrize("max_to_keep", [None, 0])
def test_max_to_keep_none_or_zero_keeps_every_checkpoint(tmp_path, max_to_keep):
    tf.Variable(1.0)
    saver = tf.train.Saver(max_to_keep=max_to_keep)
    sess = _initialized_session()
    for step in range(1, 8):
        saver.save(sess, str(tmp_path / "model"), global_step=step)
    assert len(list(tmp_path.glob("model-*.npz"))) == 7
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model-7")


def test_a_dict_naming_one_variable_twice_is_refused():
    v0 = tf.Variable([10.0], name="v0")
    with pytest.raises(ValueError) as raised:
        tf.train.Saver({"v0": v0, "v0too": v0})
    assert str(raised.value) == "The same saveable will be restored with two names: v0, v0too"


def test_a_list_with_two_variables_of_one_name_is_refused():
    with tf.Graph().as_default():
        first = tf.Variable(1.0, name="v")
    second = tf.Variable(2.0, name="v")
    with pytest.raises(ValueError, match="^At least two variables have the same name: v$"):
        tf.train.Saver([first, second])
