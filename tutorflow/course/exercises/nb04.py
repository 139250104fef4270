"""Exercises of notebook 04, The MNIST data: three splits, rows of 784 pixels in [0, 1],
one-hot labels and the way back to digits."""

import numpy as np

import tutorflow as tf
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, PREDICT, Mistake, as_shape, differs, exercise


def _mnist(one_hot=True):
    """MNIST as the notebook loads it (read from the cache, a fraction of a second)."""
    return input_data.read_data_sets("MNIST_data/", one_hot=one_hot)


@exercise(
    kind=PREDICT,
    answer="n_train",
    hints=[
        "MNIST comes as 60,000 training and 10,000 test images. Does `read_data_sets` hand all "
        "60,000 training images to `mnist.train`?",
        "Besides `train` and `test`, `mnist` has a third split, `validation`, and its images "
        "are taken from the training file.",
        "`read_data_sets` keeps the first 5,000 training images apart for validation: "
        "60,000 - 5,000.",
    ],
    solution="n_train = 55000",
    why="The validation images are held back so that we can tune our choices on them without "
    "fitting the weights to them, and without ever peeking at the test set.",
    mistakes=[
        Mistake("n_train = 60000", "keeps 5,000 of them apart"),
        Mistake("n_train = 70000", "test images too"),
    ],
)
def q1(n_train):
    """How many images does `mnist.train` hold?"""
    mnist = _mnist()
    expected = mnist.train.num_examples
    held_back = mnist.validation.num_examples
    if n_train == expected + held_back:
        return (
            f"{n_train:,} is the whole training file, but `read_data_sets` keeps "
            f"{held_back:,} of them apart as the validation split, so `mnist.train` holds "
            "the rest."
        )
    if n_train in (
        expected + held_back + mnist.test.num_examples,
        expected + mnist.test.num_examples,
    ):
        return (
            f"{n_train:,} counts the {mnist.test.num_examples:,} test images too. They are "
            "a split of their own, `mnist.test`, never used for training."
        )
    return differs(n_train, expected, "the number of training images")


@exercise(
    kind=PREDICT,
    answer="images_shape",
    hints=[
        "The shape has one size per axis. The first axis runs over the images: how many are "
        "there in `mnist.train`?",
        "Each image is 28 x 28 pixels, but `read_data_sets` (with its default `reshape=True`) "
        "flattens it into a single row.",
        "55,000 rows of 28 x 28 = 784 numbers each.",
    ],
    solution="images_shape = (55000, 784)",
    why="A model that multiplies the images by a weight matrix wants each image as one row of "
    "numbers; the batch of images is then a matrix.",
    mistakes=[
        Mistake("images_shape = (55000, 28, 28)", "flattened"),
        Mistake("images_shape = (60000, 784)", "validation"),
        Mistake("images_shape = (784, 55000)", "one row per image"),
    ],
)
def q2(images_shape):
    """What is the shape of `mnist.train.images`? Answer with a tuple such as `(3, 4)`."""
    images = _mnist().train.images
    expected, got = images.shape, as_shape(images_shape)
    if got == expected:
        return None
    if isinstance(got, tuple) and len(got) in (3, 4) and got[1:3] == (28, 28):
        return (
            f"Each image is 28 x 28, but `read_data_sets` flattened it into one row of "
            f"{expected[1]} numbers (the default `reshape=True`), so the array has two axes."
        )
    if isinstance(got, tuple) and len(got) == 2 and got[1] == expected[1] and got[0] > expected[0]:
        return (
            f"{got[0]:,} rows would be the whole training file; {got[0] - expected[0]:,} of "
            "its images went to the validation split."
        )
    if got == expected[::-1]:
        return (
            "The axes are the other way round: one row per image, one column per pixel, so "
            "the number of images comes first."
        )
    return differs(got, expected, "the shape")


@exercise(
    kind=PREDICT,
    answer="pixel_range",
    hints=[
        "The files store every pixel as one byte. Does `read_data_sets` keep the bytes, or "
        "turn them into something else?",
        "The images come out as `float32`: each byte is divided by 255.",
        "Paper is 0; full ink is 255 / 255.",
    ],
    solution="pixel_range = (0.0, 1.0)",
    why="Inputs between 0 and 1 keep the scores of a model, and so its first steps, of a "
    "sensible size; raw bytes would make them 255 times larger.",
    mistakes=[
        Mistake("pixel_range = (0, 255)", "divides every byte by 255"),
        Mistake("pixel_range = (-1.0, 1.0)", "not centred"),
        Mistake("pixel_range = (1.0, 0.0)", "smallest first"),
    ],
)
def q3(pixel_range):
    """What are the smallest and the largest pixel values in `mnist.train.images`?"""
    images = _mnist().train.images
    expected = (float(images.min()), float(images.max()))
    try:
        low, high = (float(value) for value in pixel_range)
    except (TypeError, ValueError):
        return "Give two numbers, the smallest value first, as a tuple such as `(0.5, 2.0)`."
    if (low, high) == expected:
        return None
    if high == 255:
        return (
            "255 is the largest byte in the files, but `read_data_sets` divides every byte "
            "by 255 and hands over float32 values, so full ink is 1.0."
        )
    if low < 0:
        return (
            "The pixels are only scaled, not centred: blank paper stays exactly 0, so "
            "nothing is negative."
        )
    if (high, low) == expected:
        return "Those are the right two numbers, but put the smallest first: `(smallest, largest)`."
    return differs((low, high), expected, "(smallest, largest)")


def _one_hot_of(digit):
    """The one-hot label of ``digit``, read from MNIST itself: the label of the first training
    image of that digit."""
    first = int(np.flatnonzero(_mnist(one_hot=False).train.labels == digit)[0])
    return _mnist().train.labels[first]


@exercise(
    kind=PREDICT,
    answer="one_hot_3",
    hints=[
        "How many positions does a one-hot row have, and what number sits at the position of "
        "the digit?",
        "Ten positions, one per digit, and a single 1. Which position belongs to the digit 0?",
        "Positions are counted from 0, and position k stands for the digit k.",
    ],
    solution="one_hot_3 = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]",
    why="A one-hot label is the probability distribution of a teacher who is certain, the same "
    "kind of thing as the model's ten probabilities, so the two can be compared.",
    mistakes=[
        Mistake("one_hot_3 = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]", "counting from 1"),
        Mistake("one_hot_3 = [0, 0, 0, 3, 0, 0, 0, 0, 0, 0]", "a single 1"),
        Mistake("one_hot_3 = [0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]", "ten positions"),
    ],
)
def q4(one_hot_3):
    """Write the one-hot label of the digit 3 as a list of numbers."""
    expected = _one_hot_of(3)
    try:
        got = np.asarray(one_hot_3, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return "Give a list of numbers, such as `[0, 1, 0]`."
    if len(got) != len(expected):
        more = " And the position of the digit holds a 1, not the digit." if 3 in got else ""
        return (
            f"Your row has {len(got)} numbers. There are ten classes, so a one-hot label "
            f"has ten positions, one per digit 0 to 9.{more}"
        )
    if np.array_equal(got, expected):
        return None
    if np.count_nonzero(got) == 1 and got.max() not in (0, 1):
        return (
            f"The row holds a {got.max():g}; a one-hot row holds a single 1 at the position "
            "of the digit and 0 everywhere else, whatever the digit."
        )
    if np.count_nonzero(got) == 1 and int(np.argmax(got)) == 3 - 1:
        return (
            "That is counting from 1: the first position stands for the digit 0, so the "
            "digit 3 is at position 3, the fourth one."
        )
    return differs(got, expected, "the one-hot row")


@exercise(
    kind=CODE,
    answer="to_digits",
    given="import numpy as np",
    hints=[
        "In each row the digit is the position of the 1, which is also the position of the "
        "largest value. numpy has a function that finds that position.",
        "`np.argmax` takes an `axis`. Axis 0 runs down the columns (over the images), axis 1 "
        "along each row (over the ten classes).",
        "`return np.argmax(one_hot, axis=1)`",
    ],
    solution="""
def to_digits(one_hot):
    return np.argmax(one_hot, axis=1)
""",
    why="`argmax` over the classes turns one-hot labels, and later a model's ten probabilities, "
    "into the digit they stand for.",
    mistakes=[
        Mistake("def to_digits(one_hot):\n    return np.argmax(one_hot, axis=0)", "axis 0"),
        Mistake("def to_digits(one_hot):\n    return np.argmax(one_hot)", "without an axis"),
        Mistake(
            "def to_digits(one_hot):\n    return np.argmax(one_hot, axis=1) + 1", "counts from 1"
        ),
    ],
)
def q5(to_digits):
    """Write `to_digits(one_hot)`: from a matrix of one-hot rows, the digit of each row."""
    one_hot = _mnist().train.labels[:25]
    expected = _mnist(one_hot=False).train.labels[:25]
    got = to_digits(one_hot.copy())
    if isinstance(got, tf.Tensor):
        return (
            "You returned a tensor, a node of a graph, not the digits. Use numpy here "
            "(`np.argmax`), or run the tensor in a session and return its value."
        )
    got = np.asarray(got)
    if got.shape == (one_hot.shape[1],):
        return (
            f"You returned {got.shape[0]} numbers for {len(one_hot)} rows: argmax over axis "
            "0 looks down each column, across the images. Take it over axis 1, along each "
            "row."
        )
    if got.shape == ():
        return (
            f"You returned the single number {got}: `np.argmax` without an axis looks at "
            "the whole matrix as one flat list. Give it `axis=1` to get one digit per row."
        )
    if got.shape == expected.shape and np.array_equal(got - 1, expected):
        return (
            "Every digit is one too large: your function counts from 1. Position 0 of a "
            "one-hot row stands for the digit 0."
        )
    return differs(got, expected, "the digits of the first 25 training labels")
