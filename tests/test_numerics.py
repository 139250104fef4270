"""tf.check_numerics and tf.add_check_numerics_ops: a NaN or an Inf caught where it starts."""

import numpy as np
import pytest

import tutorflow as tf


def test_check_numerics_passes_finite_values_through():
    x = tf.placeholder(tf.float32, [2])
    checked = tf.check_numerics(x, "x is finite")
    assert checked.shape.as_list() == [2] and checked.dtype == tf.float32
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(checked, {x: [1.0, -2.0]}), [1.0, -2.0])


@pytest.mark.parametrize(
    "values, found",
    [([-1.0, 1.0], "NaN"), ([0.0, 1.0], "Inf"), ([0.0, -1.0], "Inf and NaN")],
)
def test_check_numerics_raises_invalid_argument_with_its_message(values, found):
    x = tf.placeholder(tf.float32, [2])
    checked = tf.check_numerics(tf.log(x), "log of the pixels")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as raised:
        sess.run(checked, {x: values})
    assert str(raised.value) == (
        f"log of the pixels : Tensor had {found} values\n\t [[node CheckNumerics (CheckNumerics)]]"
    )


def test_check_numerics_takes_floats_only():
    with pytest.raises(TypeError, match="parameter 'tensor' has DataType int32 not in list"):
        tf.check_numerics(tf.constant([1, 2]), "ints")


def test_the_gradient_of_check_numerics_is_the_gradient_checked():
    x = tf.placeholder(tf.float32, [2])
    y = tf.check_numerics(x, "x")
    (gradient,) = tf.gradients(tf.reduce_sum(y * y), x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(gradient, {x: [1.0, 3.0]}), [2.0, 6.0])
    grad_y = tf.placeholder(tf.float32, [2])
    (passed_back,) = tf.gradients(y, x, grad_ys=grad_y)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as raised:
        sess.run(passed_back, {grad_y: [np.nan, 1.0]})
    assert str(raised.value).startswith(
        "Not a number (NaN) or infinity (Inf) values detected in gradient. x : Tensor had NaN "
        "values"
    )


def test_add_check_numerics_ops_names_the_tensor_where_the_nan_starts():
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.sqrt(x, name="root")  # the NaN starts here...
    z = tf.reduce_sum(y * 2.0, name="total")  # ... and flows on
    check = tf.add_check_numerics_ops()
    with tf.Session() as sess:
        assert sess.run([z, check], {x: [4.0, 9.0]}) == [10.0, None]
        with pytest.raises(tf.errors.InvalidArgumentError) as raised:
            sess.run([z, check], {x: [4.0, -9.0]})
    assert str(raised.value).startswith("root:0 : Tensor had NaN values\n")


def test_add_check_numerics_ops_leaves_variables_their_updates_and_ints_alone():
    v = tf.Variable([1.0, 2.0], name="v")
    update = v.assign_add([1.0, 1.0])
    tf.placeholder(tf.int32, name="count")  # never fed: an int tensor is not checked
    check = tf.add_check_numerics_ops()
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(update)
        sess.run(check)  # checks v's value, and neither reinitialises nor updates it
        np.testing.assert_array_equal(sess.run(v), [2.0, 3.0])
        sess.run(v.assign([np.inf, 0.0]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="^v/read:0 : Tensor had Inf"):
            sess.run(check)
