"""The course's two MNIST models, built line for line as the seed tutorial builds them.

Every variable has a stable name (``W``, ``b`` for softmax regression; ``conv1/W`` … ``fc2/b``
for LeNet-5), so a checkpoint saved by one notebook restores into a graph rebuilt by another.
Taught in notebooks 05 (softmax regression) and 08 (LeNet-5); reused by notebooks 09, 10 and 11.

    import tutorflow as tf
    from tutorflow.course import models
    model = models.lenet5()
    sess = models.load_or_train(model, "lenet5", steps=20000)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Written as learners write it, against the public API: `import tutorflow as tf`.
import tutorflow as tf
from tutorflow import course
from tutorflow.course.language import Text
from tutorflow.examples.tutorials.mnist import input_data


@dataclass(frozen=True)
class Model:
    """What both models have: inputs, outputs, the training op and the variables.

    Attributes:
        x: images, ``(?, 784)``; y_: one-hot labels, ``(?, 10)``.
        logits, probabilities: ``(?, 10)``, before and after softmax.
        loss: mean cross-entropy; train_step: one optimiser step; accuracy: fraction correct.
        weights: the variables a checkpoint holds, by name (``{"W": …, "b": …}``).
        initializer: initialises every variable the model created, optimiser slots included,
            and nothing else, so another model in the same session keeps its values.
    """

    x: tf.Tensor
    y_: tf.Tensor
    logits: tf.Tensor
    probabilities: tf.Tensor
    loss: tf.Tensor
    train_step: tf.Operation
    accuracy: tf.Tensor
    weights: dict
    initializer: tf.Operation

    def feed(self, images, labels=None, training=False) -> dict:
        """The ``feed_dict`` for a batch of images (and labels, if given); ``training`` says
        whether the batch is for a training step, which matters to models with dropout."""
        return {self.x: images} if labels is None else {self.x: images, self.y_: labels}


@dataclass(frozen=True)
class SoftmaxRegression(Model):
    """Softmax regression; ``W`` (784, 10) and ``b`` (10,) are its variables."""

    W: tf.Variable
    b: tf.Variable


@dataclass(frozen=True)
class LeNet5(Model):
    """LeNet-5 with its placeholder ``keep_prob`` and every layer's output, named as in the seed."""

    keep_prob: tf.Tensor
    x_image: tf.Tensor
    h_conv1: tf.Tensor
    h_pool1: tf.Tensor
    h_conv2: tf.Tensor
    h_pool2: tf.Tensor
    h_fc1: tf.Tensor
    h_fc1_drop: tf.Tensor

    def feed(self, images, labels=None, training=False) -> dict:
        """As ``Model.feed``, with ``keep_prob`` 0.5 when training (dropout) and 1.0 otherwise."""
        return {**super().feed(images, labels), self.keep_prob: 0.5 if training else 1.0}


def softmax_regression(learning_rate: float = 0.5) -> SoftmaxRegression:
    """The seed's section-3 model, ``y = softmax(xW + b)``, trained by gradient descent.

    ``W`` and ``b`` start at zero. Taught in notebook 05.
    """
    created_before = set(tf.global_variables())
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y_ = tf.placeholder(tf.float32, [None, 10], name="y_")
    W = tf.Variable(tf.zeros([784, 10]), name="W")
    b = tf.Variable(tf.zeros([10]), name="b")
    logits = tf.matmul(x, W) + b
    common = _loss_and_training(x, y_, logits, tf.train.GradientDescentOptimizer(learning_rate))
    return SoftmaxRegression(
        **common, weights={"W": W, "b": b}, initializer=_initializer(created_before), W=W, b=b
    )


def lenet5(learning_rate: float = 1e-4, activation=tf.nn.relu) -> LeNet5:
    """The seed's section-4 LeNet-5: two 5x5 convolutions with ReLU and 2x2 max pooling (32 and
    64 filters), a 1024-unit fully connected layer with dropout, then 10 logits; Adam.
    ``activation`` replaces ReLU in all three hidden layers (notebook 14 tries a leaky ReLU).

    Shapes: ``x_image`` (?, 28, 28, 1), ``h_conv1`` (?, 28, 28, 32), ``h_pool1``
    (?, 14, 14, 32), ``h_conv2`` (?, 14, 14, 64), ``h_pool2`` (?, 7, 7, 64), ``h_fc1`` and
    ``h_fc1_drop`` (?, 1024). Variables ``conv1/W``, ``conv1/b`` … ``fc2/b``. Notebook 08.
    """
    created_before = set(tf.global_variables())
    weights = {}

    def weight_and_bias(shape):
        """The seed's initialisation, inside the layer's name scope: weights from a truncated
        normal (stddev 0.1) to break symmetry, biases 0.1 so ReLUs start active."""
        W = tf.Variable(tf.truncated_normal(shape, stddev=0.1), name="W")
        b = tf.Variable(tf.constant(0.1, shape=[shape[-1]]), name="b")
        weights[W.op.name], weights[b.op.name] = W, b
        return W, b

    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y_ = tf.placeholder(tf.float32, [None, 10], name="y_")
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")
    x_image = tf.reshape(x, [-1, 28, 28, 1])
    with tf.name_scope("conv1"):
        W_conv1, b_conv1 = weight_and_bias([5, 5, 1, 32])
        h_conv1 = activation(
            tf.nn.conv2d(x_image, W_conv1, strides=[1, 1, 1, 1], padding="SAME") + b_conv1
        )
    with tf.name_scope("pool1"):
        h_pool1 = tf.nn.max_pool(h_conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    with tf.name_scope("conv2"):
        W_conv2, b_conv2 = weight_and_bias([5, 5, 32, 64])
        h_conv2 = activation(
            tf.nn.conv2d(h_pool1, W_conv2, strides=[1, 1, 1, 1], padding="SAME") + b_conv2
        )
    with tf.name_scope("pool2"):
        h_pool2 = tf.nn.max_pool(h_conv2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    with tf.name_scope("fc1"):
        W_fc1, b_fc1 = weight_and_bias([7 * 7 * 64, 1024])
        h_pool2_flat = tf.reshape(h_pool2, [-1, 7 * 7 * 64])
        h_fc1 = activation(tf.matmul(h_pool2_flat, W_fc1) + b_fc1)
        h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)
    with tf.name_scope("fc2"):
        W_fc2, b_fc2 = weight_and_bias([1024, 10])
        y_conv = tf.matmul(h_fc1_drop, W_fc2) + b_fc2
    common = _loss_and_training(x, y_, y_conv, tf.train.AdamOptimizer(learning_rate))
    return LeNet5(
        **common,
        weights=weights,
        initializer=_initializer(created_before),
        keep_prob=keep_prob,
        x_image=x_image,
        h_conv1=h_conv1,
        h_pool1=h_pool1,
        h_conv2=h_conv2,
        h_pool2=h_pool2,
        h_fc1=h_fc1,
        h_fc1_drop=h_fc1_drop,
    )


def _loss_and_training(x, y_, logits, optimizer) -> dict:
    """What both models add on top of their logits, as the seed writes it."""
    cross_entropy = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits)
    )
    correct_prediction = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
    return {
        "x": x,
        "y_": y_,
        "logits": logits,
        "probabilities": tf.nn.softmax(logits),
        "loss": cross_entropy,
        "train_step": optimizer.minimize(cross_entropy),
        "accuracy": tf.reduce_mean(tf.cast(correct_prediction, tf.float32)),
    }


def _initializer(created_before: set) -> tf.Operation:
    """Initialises the variables created since ``created_before`` was taken."""
    return tf.variables_initializer([v for v in tf.global_variables() if v not in created_before])


def load_or_train(
    model: Model,
    name: str,
    steps: int,
    sess: tf.Session | None = None,
    mnist=None,
    batch_size: int = 50,
    monitor=None,
    log_every: int = 100,
) -> tf.Session:
    """Restores ``model``'s weights from ``course.model_path(name)`` if saved there, else trains
    ``steps`` steps on MNIST and saves them there. A checkpoint that cannot be read (truncated
    or corrupt) is reported and replaced by a newly trained model.

    Args:
        model: built by ``softmax_regression()`` or ``lenet5()`` in ``sess``'s graph.
        name: the checkpoint's name, e.g. ``"lenet5"``.
        steps: training steps when there is no checkpoint (``course.steps(20000, 200)``).
        sess: the session to fill (default: a new one on the default graph).
        mnist: the datasets to train on (default: MNIST, one-hot).
        monitor: a ``TrainingMonitor`` (tutorflow.widgets.monitor), or anything with its
            ``update(step, loss=…, accuracy=…)``; it gets the loss and accuracy on the current
            batch every ``log_every`` steps and after the last. Without one, the seed's line
            ``step 100, training accuracy 0.94`` is printed instead. The caller closes it.

    Returns:
        The session, with the model's variables set.
    """
    sess = sess if sess is not None else tf.Session(graph=tf.get_default_graph())
    path = str(course.model_path(name))
    saver = tf.train.Saver(model.weights)
    sess.run(model.initializer)
    if Path(f"{path}.npz").exists():  # where Saver.save(sess, path) writes
        try:
            saver.restore(sess, path)
            return sess
        except tf.errors.DataLossError as error:  # a damaged file: the model can be retrained
            print(
                Text(
                    f"The saved model {path}.npz cannot be read: {error.message} "
                    "Training a new one instead.",
                    f"保存的模型 {path}.npz 读不出来：{error.message} 改为训练一个新模型。",
                )
            )
    if mnist is None:
        mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)

    def log(step, batch_xs, batch_ys):
        loss, accuracy = sess.run([model.loss, model.accuracy], model.feed(batch_xs, batch_ys))
        if monitor is not None:
            monitor.update(step, loss=loss, accuracy=accuracy)
        else:
            print(f"step {step}, training accuracy {accuracy:g}")

    for i in range(steps):
        batch_xs, batch_ys = mnist.train.next_batch(batch_size)
        if i % log_every == 0:
            log(i, batch_xs, batch_ys)
        sess.run(model.train_step, feed_dict=model.feed(batch_xs, batch_ys, training=True))
    if steps > 0:
        log(steps, batch_xs, batch_ys)
    saver.save(sess, path)
    return sess
