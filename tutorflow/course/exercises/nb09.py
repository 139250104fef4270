"""Exercises of notebook 09, Draw a digit: MNIST's recipe (centre of mass, the 20x20 box, ink
as 1.0 on 0.0) and reading a model's probabilities."""

import numpy as np

import tutorflow as tf
from tutorflow.course.preprocess import ink_intensity, preprocess
from tutorflow.examples.tutorials.mnist import input_data

from ..kit import CODE, PREDICT, Mistake, differs, exercise


def _mean_centre_of_mass():
    """The mean (row, column) centre of mass of MNIST's test digits, computed from the data."""
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    digits = mnist.test.images.reshape(-1, 28, 28)
    mass = digits.sum(axis=(1, 2))
    index = np.arange(28)
    rows = (digits.sum(axis=2) @ index) / mass
    cols = (digits.sum(axis=1) @ index) / mass
    return float(rows.mean()), float(cols.mean())


@exercise(
    kind=PREDICT,
    answer="centre",
    hints=[
        "The recipe pastes the digit so that its centre of mass lands on the centre of the "
        "28x28 field. Count the pixels as numpy does, from 0.",
        "Rows and columns are numbered 0 to 27. MNIST's authors put the centre of mass at "
        "the pixel whose index is half the field's size.",
    ],
    solution="centre = (14, 14)",
    why="A drawing prepared for the network must land where MNIST's digits land; a digit "
    "shifted by a few pixels is already a picture the models have rarely seen.",
    mistakes=[
        Mistake("centre = (10, 10)", "20x20 box"),
        Mistake("centre = (13.5, 13.5)", "middle of the indices 0..27"),
        Mistake("centre = (28, 28)", "corner"),
    ],
)
def q1(centre):
    """At which (row, column) do MNIST's digits have their centre of mass, to the nearest pixel?"""
    expected = _mean_centre_of_mass()
    try:
        row, col = (float(value) for value in centre)
    except (TypeError, ValueError):
        return f"Answer with two numbers, (row, column); received {centre!r}."
    if abs(row - expected[0]) < 0.25 and abs(col - expected[1]) < 0.25:
        return None
    if (row, col) == (10, 10):
        return (
            "(10, 10) is the middle of the 20x20 box the digit is scaled into. That box is "
            "then pasted into the 28x28 field by its centre of mass, which goes to the "
            "field's centre."
        )
    if (row, col) == (13.5, 13.5):
        return (
            "13.5 is the middle of the indices 0..27, but MNIST's authors put the centre "
            f"of mass at pixel 14: the test digits' average is ({expected[0]:.2f}, "
            f"{expected[1]:.2f}). Half a pixel matters little to the network; the point is "
            "that every digit sits at the same place."
        )
    if max(row, col) >= 28 or min(row, col) < 0:
        return (
            "That is at (or beyond) the corner of the field: the rows and columns are "
            "numbered 0 to 27, and the centre of mass is in the middle."
        )
    return differs((row, col), tuple(round(value) for value in expected), "(row, column)")


def _scaled_shape(height, width):
    """The shape preprocess gives a block of ink ``height`` x ``width`` once it fits 20x20."""
    canvas = np.zeros((280, 280), np.float32)
    canvas[60 : 60 + height, 120 : 120 + width] = 1.0
    return preprocess(canvas).scaled.shape


@exercise(
    kind=PREDICT,
    answer="scaled_shape",
    hints=[
        "The recipe scales the crop so that it fits a 20x20 box *keeping its proportions*. "
        "Which side reaches 20?",
        "The taller side becomes 20 pixels; the other side shrinks by the same factor, 20/150, "
        "and is rounded to whole pixels.",
        "The height: 150 * 20/150 = 20. The width: 40 * 20/150 = 5.3, rounded.",
    ],
    solution="scaled_shape = (20, 5)",
    why="Keeping the proportions keeps a 1 thin and a 0 round; stretching every digit into a "
    "square would make digits look alike that MNIST keeps apart.",
    mistakes=[
        Mistake("scaled_shape = (20, 20)", "into a square"),
        Mistake("scaled_shape = (28, 7)", "28x28 field"),
        Mistake("scaled_shape = (5, 20)", "(rows, columns)"),
    ],
)
def q2(scaled_shape):
    """A "1" is cropped to 150 rows by 40 columns of ink: what shape is it once scaled?"""
    expected = _scaled_shape(150, 40)
    shape = tuple(scaled_shape) if isinstance(scaled_shape, (tuple, list)) else scaled_shape
    if shape == expected:
        return None
    if shape == (20, 20):
        return (
            "That stretches the digit into a square: a thin 1 would become a fat block. "
            "The recipe keeps the proportions: the taller side becomes 20 pixels and the "
            "other shrinks by the same factor."
        )
    if shape in [(28, round(40 * 28 / 150)), (28, 28)]:
        return (
            "The digit is scaled into a 20x20 box, not into the whole 28x28 field: the "
            "box leaves a margin of four pixels around every MNIST digit."
        )
    if shape == expected[::-1]:
        return (
            "Right sizes, wrong order: numpy's shapes are (rows, columns), and the 1 is "
            "tall, so it has more rows."
        )
    return differs(shape, expected, "the scaled shape")


@exercise(
    kind=CODE,
    answer="to_ink",
    given="import numpy as np",
    hints=[
        "MNIST's digits hold ink as 1.0 and paper as 0.0. On a scanned page, ink is dark (0) "
        "and paper is white (255).",
        "Two steps: scale the bytes to [0, 1] by dividing by 255 (as floats), then turn dark "
        "into ink by taking 1 minus that.",
        "`return 1 - page.astype(np.float32) / 255`",
    ],
    solution="""
def to_ink(page):
    return 1 - page.astype(np.float32) / 255
""",
    why="A network reads numbers, not pictures: dark-on-light and light-on-dark look alike to "
    "us, but to LeNet-5 an inverted digit is a white sheet with a dark hole.",
    mistakes=[
        Mistake("def to_ink(page):\n    return page / 255", "inverted"),
        Mistake("def to_ink(page):\n    return 255 - page", "divide by 255"),
        Mistake("def to_ink(page):\n    return (page < 128).astype(np.float32)", "grey edges"),
        Mistake("def to_ink(page):\n    return 1 - page", "wraps around"),
    ],
)
def q3(to_ink):
    """Write `to_ink(page)`: a uint8 scan, dark ink on white paper, as MNIST's ink 1.0 on 0.0."""
    rng = np.random.default_rng(9)
    page = rng.integers(0, 256, size=(12, 16)).astype(np.uint8)
    page[0, :4] = [0, 255, 128, 64]  # full ink, bare paper, and greys
    expected = ink_intensity(page, ink="dark")
    received = to_ink(page.copy())
    if not isinstance(received, np.ndarray):
        return f"`to_ink` should return a numpy array; it returned {type(received).__name__}."
    if received.shape != expected.shape:
        return differs(received, expected, "to_ink(page)")
    got = received.astype(np.float64)
    if np.allclose(got, expected, atol=1e-3):
        return None
    if np.allclose(got, 1 - expected, atol=1e-3):
        return (
            "The colours are inverted: paper comes out as 1.0 and ink as 0.0. MNIST's "
            "digits are light ink (1.0) on a dark field (0.0); take 1 minus the scaled "
            "value. An inverted digit is a bright page with a dark hole to the network."
        )
    if np.issubdtype(received.dtype, np.integer):
        if np.array_equal(received, 255 - page.astype(np.int64)):
            return (
                "The colours are right, but the values run up to 255. The network was "
                "trained on values between 0 and 1: divide by 255."
            )
        return (
            "Your result is an array of integers: arithmetic on uint8 wraps around "
            "(1 - 255 gives 2, not -254). Convert with `.astype(np.float32)` first."
        )
    if set(np.unique(got)) <= {0.0, 1.0}:
        return (
            "Only 0 and 1: a threshold throws the grey edges away. MNIST's digits keep "
            "their grey levels, so keep every value between 0 and 1."
        )
    return differs(got, expected, "to_ink(page)", rtol=1e-3)


def _probabilities():
    """Ten probabilities computed afresh by softmax, all different."""
    logits = np.random.default_rng(99).standard_normal(10).astype(np.float32) * 2
    with tf.Graph().as_default(), tf.Session() as sess:
        return sess.run(tf.nn.softmax(tf.constant(logits[None, :])))[0]


@exercise(
    kind=CODE,
    answer="top3",
    given="import numpy as np",
    hints=[
        "You need the *positions* of the three largest probabilities: the position is the "
        "digit. Which numpy function gives the positions that would sort an array?",
        "`np.argsort` sorts from smallest to largest. Take the last three positions and put "
        "the largest first.",
        "`return list(np.argsort(probabilities)[::-1][:3])`",
    ],
    solution="""
def top3(probabilities):
    return list(np.argsort(probabilities)[::-1][:3])
""",
    why="A model's second guess says as much as its first: a 4 with a 9 close behind is a "
    "4 whose top is nearly closed.",
    mistakes=[
        Mistake(
            "def top3(probabilities):\n    return list(np.argsort(probabilities)[:3])",
            "*least* likely",
        ),
        Mistake(
            "def top3(probabilities):\n    return list(np.argsort(probabilities)[-3:])",
            "most likely first",
        ),
        Mistake(
            "def top3(probabilities):\n    return list(np.sort(probabilities)[::-1][:3])",
            "not the digits",
        ),
    ],
)
def q4(top3):
    """Write `top3(probabilities)`: the three most likely digits, most likely first."""
    probabilities = _probabilities()
    expected = [int(digit) for digit in np.argsort(probabilities)[::-1][:3]]
    received = top3(probabilities.copy())
    try:
        values = [value.item() if hasattr(value, "item") else value for value in received]
    except TypeError:
        return f"`top3` should return three digits; it returned {received!r}."
    if values == expected:
        return None
    if any(isinstance(value, float) and not float(value).is_integer() for value in values):
        return (
            "Those are probabilities, not the digits: you need the *positions* of the "
            "largest ones (`np.argsort`), not their values (`np.sort`)."
        )
    if len(values) != 3:
        return f"Return exactly three digits; received {len(values)}."
    ascending = [int(digit) for digit in np.argsort(probabilities)]
    if values == ascending[:3]:
        return (
            "Those are the three *least* likely digits: `np.argsort` sorts from the "
            "smallest to the largest. Take the end of it, reversed."
        )
    if values == expected[::-1]:
        return (
            "The right three digits, in the wrong order: put the most likely first "
            "(reverse the end of `np.argsort`)."
        )
    return differs(values, expected, "the three guesses")
