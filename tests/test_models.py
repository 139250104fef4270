"""The course's models (tutorflow.course.models): shapes, checkpoints, load_or_train, training."""

import numpy as np
import pytest

import tutorflow as tf
from tutorflow import course
from tutorflow.course import models
from tutorflow.datasets.dataset import DataSet, Datasets
from tutorflow.examples.tutorials.mnist import input_data
from tutorflow.widgets.monitor import TrainingMonitor


def synthetic_digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` noisy 28x28 images whose class (0-9) says where a bright 6x6 square sits,
    as uint8 ``(n, 28, 28, 1)`` and one-hot labels ``(n, 10)``."""
    rng = np.random.default_rng(seed)
    classes = rng.integers(0, 10, n)
    images = rng.integers(0, 40, (n, 28, 28, 1)).astype(np.uint8)
    for image, k in zip(images, classes):
        row, col = 4 + 10 * (k // 5), 2 + 5 * (k % 5)
        image[row : row + 6, col : col + 6] = 255
    return images, np.eye(10, dtype=np.float32)[classes]


def batch(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic digits as the models take them: float images ``(n, 784)`` in [0, 1]."""
    images, labels = synthetic_digits(n, seed)
    return images.reshape(n, 784) / np.float32(255), labels


class CountingDataSet(DataSet):
    """A DataSet that counts the batches handed out."""

    batches = 0

    def next_batch(self, batch_size, *args, **kwargs):
        self.batches += 1
        return super().next_batch(batch_size, *args, **kwargs)


@pytest.fixture
def data():
    train, test = synthetic_digits(200, seed=1), synthetic_digits(20, seed=2)
    return Datasets(CountingDataSet(*train, seed=0), DataSet(*test), DataSet(*test))


@pytest.fixture
def model_folder(tmp_path, monkeypatch):
    """Checkpoints go to a temporary data folder (course.model_path follows TUTORFLOW_DATA)."""
    monkeypatch.setenv("TUTORFLOW_DATA", str(tmp_path))
    return course.model_path("any").parent  # models/, or models/quick/ in quick mode


def test_lenet5_layers_have_the_seeds_shapes():
    model = models.lenet5()
    expected = {
        "x": [None, 784],
        "x_image": [None, 28, 28, 1],
        "h_conv1": [None, 28, 28, 32],
        "h_pool1": [None, 14, 14, 32],
        "h_conv2": [None, 14, 14, 64],
        "h_pool2": [None, 7, 7, 64],
        "h_fc1": [None, 1024],
        "h_fc1_drop": [None, 1024],
        "logits": [None, 10],
        "probabilities": [None, 10],
    }
    for name, shape in expected.items():
        assert getattr(model, name).shape.as_list() == shape, name
    assert model.loss.shape.as_list() == model.accuracy.shape.as_list() == []

    images, _ = batch(3)
    with tf.Session() as sess:
        sess.run(model.initializer)
        values = sess.run({name: getattr(model, name) for name in expected}, model.feed(images))
    for name, shape in expected.items():
        assert list(values[name].shape) == [3, *shape[1:]], name
    np.testing.assert_allclose(values["probabilities"].sum(axis=1), 1, rtol=1e-5)


def test_lenet5_takes_its_activation_as_a_parameter():
    def op_types(graph):
        return [op.type for op in graph.get_operations()]

    with tf.Graph().as_default() as default:
        models.lenet5()
    with tf.Graph().as_default() as sigmoid:
        model = models.lenet5(activation=tf.nn.sigmoid)
    assert op_types(default).count("Relu") == 3 and "Sigmoid" not in op_types(default)
    assert op_types(sigmoid).count("Sigmoid") == 3 and "Relu" not in op_types(sigmoid)
    assert model.h_conv1.op.type == model.h_conv2.op.type == model.h_fc1.op.type == "Sigmoid"


def test_variables_have_stable_names_and_the_seeds_shapes():
    model = models.lenet5()
    shapes = {name: var.shape.as_list() for name, var in model.weights.items()}
    assert shapes == {
        "conv1/W": [5, 5, 1, 32],
        "conv1/b": [32],
        "conv2/W": [5, 5, 32, 64],
        "conv2/b": [64],
        "fc1/W": [3136, 1024],
        "fc1/b": [1024],
        "fc2/W": [1024, 10],
        "fc2/b": [10],
    }
    assert all(var.op.name == name for name, var in model.weights.items())
    softmax = models.softmax_regression()
    assert softmax.weights == {"W": softmax.W, "b": softmax.b}
    assert [softmax.W.op.name, softmax.b.op.name] == ["W", "b"]
    assert softmax.W.shape.as_list() == [784, 10]


def test_seed_initialisation():
    model = models.lenet5()
    with tf.Session() as sess:
        sess.run(model.initializer)
        weights = sess.run(model.weights)
    W_fc1 = weights["fc1/W"]
    assert np.abs(W_fc1).max() <= 0.2  # truncated at two standard deviations
    assert W_fc1.std() == pytest.approx(0.088, abs=0.002)  # 0.1 times a truncated normal's
    assert all((weights[f"{layer}/b"] == np.float32(0.1)).all() for layer in ("conv1", "fc2"))


def test_initializer_leaves_another_models_variables_alone():
    softmax = models.softmax_regression()
    sess = tf.Session()
    sess.run(softmax.initializer)
    softmax.W.load(np.ones((784, 10), np.float32), sess)
    lenet = models.lenet5()
    sess.run(lenet.initializer)
    assert (sess.run(softmax.W) == 1).all()
    sess.run(lenet.train_step, lenet.feed(*batch(2), training=True))  # slots exist


def test_load_or_train_trains_and_saves_then_restores_without_training(data, model_folder):
    model = models.lenet5()
    monitor = TrainingMonitor(5, every=2, text=True)
    sess = models.load_or_train(
        model,
        "lenet",
        steps=5,
        mnist=data,
        batch_size=10,
        log_every=2,
        monitor=monitor,
    )
    assert data.train.batches == 5
    monitor.close()
    assert [step for step, _ in monitor.history["loss"]] == [0, 2, 4, 5]  # and after the last
    assert all(loss > 0 for _, loss in monitor.history["loss"])
    assert all(0 <= accuracy <= 1 for _, accuracy in monitor.history["accuracy"])
    assert (model_folder / "lenet.npz").exists()
    trained = sess.run(model.probabilities, model.feed(data.test.images))

    tf.reset_default_graph()
    rebuilt = models.lenet5()
    fresh = tf.Session()
    fresh.run(rebuilt.initializer)
    untrained = fresh.run(rebuilt.probabilities, rebuilt.feed(data.test.images))
    restored = models.load_or_train(rebuilt, "lenet", steps=5, sess=fresh, mnist=data)
    assert restored is fresh
    assert data.train.batches == 5  # nothing more was trained
    np.testing.assert_array_equal(
        fresh.run(rebuilt.probabilities, rebuilt.feed(data.test.images)), trained
    )
    assert not np.allclose(untrained, trained)


def test_load_or_train_prints_the_seeds_log_line_without_a_monitor(data, model_folder, capsys):
    models.load_or_train(models.softmax_regression(), "softmax", steps=101, mnist=data)
    lines = capsys.readouterr().out.splitlines()
    assert [line.rsplit(" ", 1)[0] for line in lines] == [
        "step 0, training accuracy",
        "step 100, training accuracy",
        "step 101, training accuracy",
    ]
    assert float(lines[-1].rsplit(" ", 1)[1]) == 1  # the squares are easy to tell apart


@pytest.mark.parametrize("build", [models.softmax_regression, models.lenet5])
def test_a_few_training_steps_reduce_the_loss_on_a_fixed_batch(build):
    tf.set_random_seed(0)
    model = build()
    images, labels = batch(50)
    with tf.Session() as sess:
        sess.run(model.initializer)
        before = sess.run(model.loss, model.feed(images, labels))
        for _ in range(10):
            sess.run(model.train_step, model.feed(images, labels, training=True))
        after = sess.run(model.loss, model.feed(images, labels))
    assert after < 0.8 * before


def test_load_or_train_retrains_over_a_corrupt_checkpoint_and_says_so(data, model_folder, capsys):
    corrupt = model_folder / "softmax.npz"
    corrupt.write_bytes(b"PK\x03\x04 half a checkpoint")
    model = models.softmax_regression()
    sess = models.load_or_train(model, "softmax", steps=3, mnist=data)
    first_line = capsys.readouterr().out.splitlines()[0]
    assert first_line == (
        f"The saved model {corrupt} cannot be read: Unable to read checkpoint {corrupt}: "
        "File is not a zip file (the file is truncated or corrupt). Delete it and save the "
        "model again. Training a new one instead."
    )
    assert data.train.batches == 3
    tf.train.Saver(model.weights).restore(sess, str(corrupt))  # replaced by a good one


# -- the feeds the course trains and evaluates with, and a short real training run -------------


def test_lenet5_feeds_dropout_when_training_and_none_when_evaluating():
    tf.set_random_seed(0)
    lenet = models.lenet5()
    images, labels = batch(8)
    assert lenet.feed(images, labels, training=True)[lenet.keep_prob] == 0.5
    assert lenet.feed(images, labels)[lenet.keep_prob] == 1.0
    assert lenet.feed(images)[lenet.keep_prob] == 1.0
    with tf.Session() as sess:
        sess.run(lenet.initializer)
        fetches = [lenet.h_fc1, lenet.h_fc1_drop]
        h_fc1, evaluated = sess.run(fetches, lenet.feed(images))
        np.testing.assert_array_equal(evaluated, h_fc1)  # every unit kept, none scaled
        h_fc1, trained = sess.run(fetches, lenet.feed(images, labels, training=True))
    active = h_fc1 > 0
    dropped = active & (trained == 0)
    assert 0.4 < dropped.sum() / active.sum() < 0.6  # about half of ~4000 units (seeded)
    kept = active & ~dropped
    np.testing.assert_allclose(trained[kept], 2 * h_fc1[kept], rtol=1e-6)  # 1 / keep_prob


def test_softmax_regression_feeds_only_images_and_labels():
    softmax = models.softmax_regression()
    images, labels = batch(3)
    for training in (False, True):
        assert softmax.feed(images, labels, training) == {softmax.x: images, softmax.y_: labels}


class FeedRecorder:
    """Wraps a model's ``feed`` to record, per call, whether it was for training."""

    def __init__(self, monkeypatch, model_class):
        self.calls = []
        original = model_class.feed

        def feed(model, images, labels=None, training=False):
            self.calls.append("train" if training else "evaluate")
            return original(model, images, labels, training)

        monkeypatch.setattr(model_class, "feed", feed)


def test_load_or_train_trains_with_dropout_and_logs_without(data, model_folder, monkeypatch):
    recorder = FeedRecorder(monkeypatch, models.LeNet5)
    models.load_or_train(models.lenet5(), "lenet", steps=4, mnist=data, batch_size=5, log_every=2)
    assert recorder.calls == [
        "evaluate", "train", "train", "evaluate", "train", "train", "evaluate",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def mnist():
    return input_data.read_data_sets("MNIST_data/", one_hot=True, seed=0)


def _test_accuracy(sess, model, mnist, n=2000) -> float:
    feed = model.feed(mnist.test.images[:n], mnist.test.labels[:n])
    return float(sess.run(model.accuracy, feed))


def test_softmax_regression_learns_mnist_in_300_steps(mnist, model_folder):
    tf.set_random_seed(0)
    softmax = models.softmax_regression()
    sess = models.load_or_train(softmax, "softmax", steps=300, mnist=mnist, batch_size=100)
    assert _test_accuracy(sess, softmax, mnist) >= 0.88  # about 90% (92% after 1000 steps)


def test_lenet5_learns_mnist_in_300_steps(mnist, model_folder):
    tf.set_random_seed(0)
    lenet = models.lenet5()
    sess = models.load_or_train(lenet, "lenet5", steps=300, mnist=mnist)
    assert _test_accuracy(sess, lenet, mnist) >= 0.85  # about 90%; untrained: 10%
