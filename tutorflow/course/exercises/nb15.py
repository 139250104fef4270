"""Exercises of notebook 15, Graduating: the seed on real TensorFlow, and the layouts that decide
whether the same weights make the same model in PyTorch (filters in OIHW, fc1's rows in the
NCHW flatten order) and in Keras (its parameter count). Every judge works with numpy and
tutorflow alone, so they run where neither TensorFlow nor PyTorch is installed."""

import ast

import numpy as np

import tutorflow as tf
from tutorflow.course import models

from ..kit import CODE, PREDICT, Mistake, as_shape, differs, exercise


def _import_line(answer) -> tuple[str, str | None] | None:
    """``(module, alias)`` of an answer such as ``"import tensorflow.compat.v1 as tf"``."""
    try:
        statement = ast.parse(str(answer).strip()).body
    except SyntaxError:
        return None
    if len(statement) != 1 or not isinstance(statement[0], ast.Import):
        return None
    name = statement[0].names[0]
    return name.name, name.asname


@exercise(
    kind=PREDICT,
    answer="new_import",
    hints=[
        "Every other line of the seed says `tf.something`. Which line decides what `tf` is?",
        "TensorFlow 2 keeps the whole 1.x API (placeholders, sessions, tf.train's optimisers) "
        "in a sub-module of its own. Where is it?",
        "It is `tensorflow.compat.v1`; import it under the name the seed's lines use.",
    ],
    solution='new_import = "import tensorflow.compat.v1 as tf"',
    why="Code written against TF 1.x's API needs no rewrite to run on TensorFlow 2: only the "
    "line that says which library `tf` is.",
    mistakes=[
        Mistake('new_import = "import tensorflow as tf"', "no `placeholder`"),
        Mistake('new_import = "import tensorflow.compat.v1"', "as tf"),
        Mistake('new_import = "import tutorflow as tf"', "That is ours"),
    ],
)
def q1(new_import):
    """Write the one import line that makes the seed's code run on real TensorFlow 2."""
    parsed = _import_line(new_import)
    if parsed is None:
        return (
            f"{new_import!r} is not one import statement. Write it as you would at the top of "
            'a script, e.g. "import numpy as np".'
        )
    module, alias = parsed
    if module == "tutorflow":
        return (
            "That is ours: the line the course's notebooks start with. The question is what "
            "it becomes on real TensorFlow."
        )
    if module == "tensorflow":
        return (
            "TensorFlow 2's top level runs eagerly and has no `placeholder` or `Session`: the "
            "seed's `tf.placeholder` would raise AttributeError. The 1.x API lives on in a "
            "sub-module."
        )
    if module == "tensorflow.compat.v1" and alias != "tf":
        return (
            f"The module is right, but every line of the seed says `tf.…`, so it must be "
            f"imported as tf; yours is named `{alias or module}`."
        )
    return differs(f"{module} as {alias}", "tensorflow.compat.v1 as tf", "the import")


def _lenet5_sizes() -> dict[str, tuple[int, ...]]:
    """The shape of each trainable variable of the course's LeNet-5, by name."""
    with tf.Graph().as_default():
        models.lenet5()
        return {v.op.name: tuple(v.shape.as_list()) for v in tf.trainable_variables()}


@exercise(
    kind=PREDICT,
    answer="keras_params",
    hints=[
        "Keras counts what it trains: the weights and the biases of each layer. Pooling, "
        "flatten and dropout have none.",
        "A 5x5 convolution from C to F channels has 5*5*C*F weights and F biases; a dense "
        "layer from n to m has n*m weights and m biases. fc1 starts from 7*7*64 numbers.",
    ],
    solution="keras_params = (5*5*1*32 + 32) + (5*5*32*64 + 64) + (7*7*64*1024 + 1024) "
    "+ (1024*10 + 10)",
    why="Same layers, same count: if two libraries disagree on the parameter count, they are "
    "not building the same model.",
    mistakes=[
        Mistake("keras_params = 5*5*1*32 + 5*5*32*64 + 7*7*64*1024 + 1024*10", "biases"),
        Mistake("keras_params = 3 * 3274634", "Adam"),
        Mistake(
            "keras_params = (5*5*1*32 + 32) + (5*5*32*64 + 64) + (14*14*64*1024 + 1024) "
            "+ (1024*10 + 10)",
            "7x7",
        ),
    ],
)
def q2(keras_params):
    """How many parameters will Keras's `model.summary()` report for LeNet-5?"""
    sizes = _lenet5_sizes()
    expected = sum(int(np.prod(shape)) for shape in sizes.values())
    biases = sum(int(np.prod(shape)) for name, shape in sizes.items() if name.endswith("/b"))
    fc1_inputs, fc1_units = sizes["fc1/W"]
    if keras_params == expected - biases:
        return (
            "You counted the weights only. Each layer also has one bias per output "
            f"channel or unit: {biases:,} biases in all."
        )
    if keras_params in (3 * expected, 3 * expected + 2):
        return (
            "You counted Adam's two slots per weight (m and v, in tf.global_variables()). "
            "Those are the optimiser's state, not the model's parameters."
        )
    for wrong_inputs in (4 * fc1_inputs, 16 * fc1_inputs):
        if keras_params == expected + (wrong_inputs - fc1_inputs) * fc1_units:
            return (
                "fc1 reads the output of pool2, after both poolings: 7x7 maps of 64 "
                "channels, 3,136 numbers, not the maps of an earlier layer."
            )
    return differs(keras_params, expected, "the number of parameters")


def _conv1_shape() -> tuple[int, ...]:
    """conv1's filters as our LeNet-5 holds them: (height, width, in, out)."""
    with tf.Graph().as_default():
        return tuple(models.lenet5().weights["conv1/W"].shape.as_list())


@exercise(
    kind=PREDICT,
    answer="torch_conv1_shape",
    hints=[
        "Ours is `(5, 5, 1, 32)`: height, width, input channels, output channels (HWIO). "
        "PyTorch orders the same four axes differently.",
        "PyTorch's layout is OIHW: output channels first, then input channels, then the "
        "filter's height and width.",
    ],
    solution="torch_conv1_shape = (32, 1, 5, 5)",
    why="The same numbers in another order are another tensor: before copying weights between "
    "libraries, write down each one's layout.",
    mistakes=[
        Mistake("torch_conv1_shape = (5, 5, 1, 32)", "HWIO"),
        Mistake("torch_conv1_shape = (1, 32, 5, 5)", "output channels first"),
        Mistake("torch_conv1_shape = (32, 5, 5, 1)", "OHWI"),
    ],
)
def q3(torch_conv1_shape):
    """What is the shape of PyTorch's `conv1.weight` for LeNet-5's first layer?"""
    height, width, inputs, outputs = _conv1_shape()
    expected = (outputs, inputs, height, width)
    shape = as_shape(torch_conv1_shape)
    if shape == expected:
        return None
    if shape == (height, width, inputs, outputs):
        return (
            "That is our layout, HWIO, as tf.nn.conv2d (and Keras) keep filters. PyTorch "
            "keeps them as OIHW."
        )
    if shape == (inputs, outputs, height, width):
        return (
            "Input and output channels are swapped: PyTorch puts the output channels first "
            "(one row per filter), then the input channels."
        )
    if shape == (outputs, height, width, inputs):
        return (
            "That is OHWI, the order some other libraries use. PyTorch keeps the channels "
            "together in front: OIHW."
        )
    return differs(shape, expected, "the shape of conv1.weight")


def _conv_nchw(images, filters):
    """PyTorch's convolution, stride 1, no padding, in numpy: images (N, C, H, W), filters
    (O, C, KH, KW) → (N, O, H - KH + 1, W - KW + 1). Like tf.nn.conv2d, a cross-correlation."""
    windows = np.lib.stride_tricks.sliding_window_view(images, filters.shape[2:], axis=(2, 3))
    return np.einsum("nchwij,ocij->nohw", windows, filters)


@exercise(
    kind=CODE,
    answer="hwio_to_oihw",
    hints=[
        "Name the axes of ours: 0 is the filter's height, 1 its width, 2 the input channels, "
        "3 the output channels. Where must each go?",
        "`np.transpose(filters, axes)` puts old axis `axes[k]` at new position `k`. OIHW wants "
        "old axis 3 first, then 2, then 0 and 1.",
        "`return np.transpose(filters, (3, 2, 0, 1))`.",
    ],
    solution="""
def hwio_to_oihw(filters):
    return np.transpose(filters, (3, 2, 0, 1))
""",
    why="A transpose moves numbers to their new places; a layout change is always a transpose, "
    "never a reshape.",
    mistakes=[
        Mistake("def hwio_to_oihw(filters):\n    return filters.T", "reverses every axis"),
        Mistake(
            "def hwio_to_oihw(filters):\n"
            "    height, width, inputs, outputs = filters.shape\n"
            "    return filters.reshape(outputs, inputs, height, width)",
            "reshape",
        ),
        Mistake(
            "def hwio_to_oihw(filters):\n    return np.transpose(filters, (2, 3, 0, 1))",
            "input and output channels",
        ),
    ],
)
def q4(hwio_to_oihw):
    """Write `hwio_to_oihw(filters)`: our (height, width, in, out) filters in PyTorch's order."""
    rng = np.random.default_rng(15)
    filters = rng.standard_normal((3, 3, 2, 4)).astype(np.float32)  # square, as LeNet-5's
    images = rng.standard_normal((2, 6, 6, 2)).astype(np.float32)
    with tf.Graph().as_default(), tf.Session() as sess:
        ours = sess.run(tf.nn.conv2d(images, filters, strides=[1, 1, 1, 1], padding="VALID"))
    answer = np.asarray(hwio_to_oihw(filters.copy()))
    if np.array_equal(answer, np.transpose(filters, (2, 3, 0, 1))):
        return (
            "That is IOHW: input and output channels are swapped. PyTorch wants one row per "
            "output channel first."
        )
    if answer.shape != (4, 2, 3, 3):
        return differs(answer.shape, (4, 2, 3, 3), "the shape for 3x3 filters, 2 in, 4 out")
    theirs = _conv_nchw(images.transpose(0, 3, 1, 2), answer).transpose(0, 2, 3, 1)
    if np.allclose(theirs, ours, atol=1e-4):
        return None
    if np.array_equal(answer, filters.T):
        return (
            "`.T` reverses every axis: HWIO becomes OIWH, so each filter is mirrored across "
            "its diagonal. The shape looks right only because the filters are square."
        )
    if np.array_equal(answer, filters.reshape(answer.shape)):
        return (
            "A reshape keeps the numbers in their old order and only regroups them, so each "
            "'filter' is a jumble of pieces of several. Moving axes needs a transpose."
        )
    difference = np.abs(theirs - ours).max()
    return f"PyTorch's convolution with your filters differs from ours by up to {difference:.3g}."


def _flatten_both_ways(maps):
    """``maps`` (N, H, W, C) flattened as our model does (NHWC, by tutorflow) and as PyTorch's
    ``flatten(1)`` does after its NCHW layers."""
    with tf.Graph().as_default(), tf.Session() as sess:
        nhwc = sess.run(tf.reshape(maps, [maps.shape[0], -1]))
    nchw = maps.transpose(0, 3, 1, 2).reshape(maps.shape[0], -1)
    return nhwc, nchw


@exercise(
    kind=CODE,
    answer="nhwc_rows_to_nchw",
    given="import numpy as np",
    hints=[
        "Row k of our fc1 weights meets the k-th number of the NHWC flatten. Give each row its "
        "(height, width, channel) address by a reshape to (height, width, channels, units).",
        "Then move the channel axis first, as NCHW has it, with a transpose, and flatten the "
        "first three axes back into rows.",
        "`weights.reshape(height, width, channels, -1).transpose(2, 0, 1, 3)`, then reshape to "
        "`(height * width * channels, -1)`.",
    ],
    solution="""
def nhwc_rows_to_nchw(weights, height, width, channels):
    units = weights.shape[1]
    by_place = weights.reshape(height, width, channels, units)
    return by_place.transpose(2, 0, 1, 3).reshape(height * width * channels, units)
""",
    why="Flattening is where layouts hide: a wrong row order raises no error, the shapes all "
    "fit, and the model is simply wrong.",
    mistakes=[
        Mistake(
            "def nhwc_rows_to_nchw(weights, height, width, channels):\n"
            "    rows = weights.reshape(channels, height, width, -1)\n"
            "    return rows.reshape(channels * height * width, -1)",
            "a reshape alone never moves a number",
        ),
        Mistake(
            "def nhwc_rows_to_nchw(weights, height, width, channels):\n    return weights.T",
            "nn.Linear",
        ),
        Mistake(
            "def nhwc_rows_to_nchw(weights, height, width, channels):\n"
            "    by_place = weights.reshape(channels, height, width, -1)\n"
            "    return by_place.transpose(1, 2, 0, 3).reshape(height * width * channels, -1)",
            "the other way",
        ),
    ],
)
def q5(nhwc_rows_to_nchw):
    """Write `nhwc_rows_to_nchw(weights, height, width, channels)`: fc1's rows in NCHW order."""
    height, width, channels, units = 2, 3, 4, 5  # all different, so no mix-up hides
    rng = np.random.default_rng(15)
    weights = rng.standard_normal((height * width * channels, units)).astype(np.float32)
    maps = rng.standard_normal((6, height, width, channels)).astype(np.float32)
    nhwc, nchw = _flatten_both_ways(maps)
    answer = np.asarray(nhwc_rows_to_nchw(weights.copy(), height, width, channels))
    if answer.shape == (units, height * width * channels):
        return (
            "You transposed the matrix, as PyTorch's nn.Linear will need (it keeps "
            "(out, in)); that is a separate last step. Here keep (rows, units) and reorder "
            "the rows."
        )
    if answer.shape != weights.shape:
        return differs(answer.shape, weights.shape, "the shape (the same as the weights')")
    if np.allclose(nchw @ answer, nhwc @ weights, atol=1e-4):
        return None
    if np.array_equal(answer, weights):
        return (
            "The rows are still in NHWC order (a reshape alone never moves a number). After "
            "NCHW layers, flatten walks the channels slowest: all of channel 0 first."
        )
    other_way = weights.reshape(channels, height, width, units).transpose(1, 2, 0, 3)
    if np.array_equal(answer, other_way.reshape(weights.shape)):
        return (
            "You converted the other way, as if the rows were in NCHW order already. Read "
            "them as (height, width, channels) first, then move channels to the front."
        )
    return differs(nchw @ answer, nhwc @ weights, "fc1's outputs")
