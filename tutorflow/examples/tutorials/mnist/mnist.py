"""The model of TF 1.x's "TensorFlow Mechanics 101" tutorial, which ``fully_connected_feed.py``
imports: two hidden ReLU layers and a softmax-linear layer, built in four steps.

    from tutorflow.examples.tutorials.mnist import mnist
    logits = mnist.inference(images, hidden1_units=128, hidden2_units=32)
    loss = mnist.loss(logits, labels)
    train_op = mnist.training(loss, learning_rate=0.01)
    eval_correct = mnist.evaluation(logits, labels)
"""

import math

import tutorflow as tf

NUM_CLASSES = 10
IMAGE_SIZE = 28
IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE


def _layer(inputs, units_in, units_out, name, activation=None):
    """``activation(inputs @ weights + biases)`` with its variables under the scope ``name``."""
    with tf.name_scope(name):
        weights = tf.Variable(
            tf.truncated_normal([units_in, units_out], stddev=1.0 / math.sqrt(float(units_in))),
            name="weights",
        )
        biases = tf.Variable(tf.zeros([units_out]), name="biases")
        outputs = tf.matmul(inputs, weights) + biases
        return activation(outputs) if activation else outputs


def inference(images, hidden1_units, hidden2_units):
    """The logits, (batch, NUM_CLASSES), of images (batch, IMAGE_PIXELS)."""
    hidden1 = _layer(images, IMAGE_PIXELS, hidden1_units, "hidden1", tf.nn.relu)
    hidden2 = _layer(hidden1, hidden1_units, hidden2_units, "hidden2", tf.nn.relu)
    return _layer(hidden2, hidden2_units, NUM_CLASSES, "softmax_linear")


def loss(logits, labels):
    """The mean cross-entropy of the logits against the class indices ``labels``."""
    labels = tf.to_int64(labels)
    return tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)


def training(loss, learning_rate):
    """A gradient-descent step that also counts ``global_step``; the loss is summarised."""
    tf.summary.scalar("loss", loss)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate)
    global_step = tf.Variable(0, name="global_step", trainable=False)
    return optimizer.minimize(loss, global_step=global_step)


def evaluation(logits, labels):
    """How many of the batch's examples the logits classify right (an int32 scalar)."""
    correct = tf.nn.in_top_k(logits, labels, 1)
    return tf.reduce_sum(tf.cast(correct, tf.int32))
