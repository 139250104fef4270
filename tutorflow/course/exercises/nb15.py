"""Exercises of notebook 15, Graduating: the seed on real TensorFlow, and the layouts that decide
whether the same weights make the same model in PyTorch (filters in OIHW, fc1's rows in the
NCHW flatten order) and in Keras (its parameter count). Every judge works with numpy and
tutorflow alone, so they run where neither TensorFlow nor PyTorch is installed."""

import ast

import numpy as np

import tutorflow as tf
from tutorflow.course import models

from ..kit import CODE, PREDICT, Mistake, as_shape, differs, exercise
from ..language import Text


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
        Text(
            "Every other line of the seed says `tf.something`. Which line decides what `tf` is?",
            "原教程代码的其余每一行都写着 `tf.某某`。哪一行决定了 `tf` 是什么？",
        ),
        Text(
            "TensorFlow 2 keeps the whole 1.x API (placeholders, sessions, tf.train's optimisers) "
            "in a sub-module of its own. Where is it?",
            "TensorFlow 2 把整套 1.x 接口（占位符、会话、tf.train 里的优化器）"
            "原样保留在一个单独的子模块里。它在哪儿？",
        ),
        Text(
            "It is `tensorflow.compat.v1`; import it under the name the seed's lines use.",
            "就是 `tensorflow.compat.v1`；导入它时，用原教程代码里用的那个名字。",
        ),
    ],
    solution='new_import = "import tensorflow.compat.v1 as tf"',
    why=Text(
        "Code written against TF 1.x's API needs no rewrite to run on TensorFlow 2: only the "
        "line that says which library `tf` is.",
        "按 TF 1.x 接口写的代码不必重写就能在 TensorFlow 2 上运行："
        "只需改掉说明 `tf` 是哪个库的那一行。",
    ),
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
        return Text(
            f"{new_import!r} is not one import statement. Write it as you would at the top of "
            'a script, e.g. "import numpy as np".',
            f"{new_import!r} 不是一条 import 语句。请像写在脚本开头那样写它，"
            '例如 "import numpy as np"。',
        )
    module, alias = parsed
    if module == "tutorflow":
        return Text(
            "That is ours: the line the course's notebooks start with. The question is what "
            "it becomes on real TensorFlow.",
            "那是我们自己的：本课程各个笔记本开头的那一行。"
            "问题是，换成真正的 TensorFlow 时它该写成什么。",
        )
    if module == "tensorflow":
        return Text(
            "TensorFlow 2's top level runs eagerly and has no `placeholder` or `Session`: the "
            "seed's `tf.placeholder` would raise AttributeError. The 1.x API lives on in a "
            "sub-module.",
            "TensorFlow 2 的顶层模块以即时执行（eager）方式运行，没有 `placeholder`，"
            "也没有 `Session`：原教程里的 `tf.placeholder` 会抛出 AttributeError。"
            "1.x 接口保留在一个子模块里。",
        )
    if module == "tensorflow.compat.v1" and alias != "tf":
        return Text(
            f"The module is right, but every line of the seed says `tf.…`, so it must be "
            f"imported as tf; yours is named `{alias or module}`.",
            f"模块没错，但原教程每一行都写 `tf.…`，所以必须用 `as tf` 导入；"
            f"你导入后它的名字是 `{alias or module}`。",
        )
    return differs(
        f"{module} as {alias}", "tensorflow.compat.v1 as tf", Text("the import", "导入语句")
    )


def _lenet5_sizes() -> dict[str, tuple[int, ...]]:
    """The shape of each trainable variable of the course's LeNet-5, by name."""
    with tf.Graph().as_default():
        models.lenet5()
        return {v.op.name: tuple(v.shape.as_list()) for v in tf.trainable_variables()}


@exercise(
    kind=PREDICT,
    answer="keras_params",
    hints=[
        Text(
            "Keras counts what it trains: the weights and the biases of each layer. Pooling, "
            "flatten and dropout have none.",
            "Keras 数的是它要训练的东西：每一层的权重和偏置。池化、展平和丢弃法都没有参数。",
        ),
        Text(
            "A 5x5 convolution from C to F channels has 5*5*C*F weights and F biases; a dense "
            "layer from n to m has n*m weights and m biases. fc1 starts from 7*7*64 numbers.",
            "从 C 个通道到 F 个通道的 5x5 卷积有 5*5*C*F 个权重和 F 个偏置；"
            "从 n 到 m 的全连接层有 n*m 个权重和 m 个偏置。fc1 的输入是 7*7*64 个数。",
        ),
    ],
    solution="keras_params = (5*5*1*32 + 32) + (5*5*32*64 + 64) + (7*7*64*1024 + 1024) "
    "+ (1024*10 + 10)",
    why=Text(
        "Same layers, same count: if two libraries disagree on the parameter count, they are "
        "not building the same model.",
        "层相同，参数个数就相同：如果两个库算出的参数个数不一样，它们搭的就不是同一个模型。",
    ),
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
        return Text(
            "You counted the weights only. Each layer also has one bias per output "
            f"channel or unit: {biases:,} biases in all.",
            f"你只数了权重。每一层的每个输出通道或单元还各有一个偏置：一共 {biases:,} 个偏置。",
        )
    if keras_params in (3 * expected, 3 * expected + 2):
        return Text(
            "You counted Adam's two slots per weight (m and v, in tf.global_variables()). "
            "Those are the optimiser's state, not the model's parameters.",
            "你把 Adam 给每个权重配的两个槽（m 和 v，在 tf.global_variables() 里）也算进去了。"
            "它们是优化器的状态，不是模型的参数。",
        )
    for wrong_inputs in (4 * fc1_inputs, 16 * fc1_inputs):
        if keras_params == expected + (wrong_inputs - fc1_inputs) * fc1_units:
            return Text(
                "fc1 reads the output of pool2, after both poolings: 7x7 maps of 64 "
                "channels, 3,136 numbers, not the maps of an earlier layer.",
                "fc1 读的是 pool2 的输出，也就是两次池化之后的结果："
                "64 个通道的 7x7 特征图，共 3,136 个数，而不是更前面某一层的特征图。",
            )
    return differs(keras_params, expected, Text("the number of parameters", "参数个数"))


def _conv1_shape() -> tuple[int, ...]:
    """conv1's filters as our LeNet-5 holds them: (height, width, in, out)."""
    with tf.Graph().as_default():
        return tuple(models.lenet5().weights["conv1/W"].shape.as_list())


@exercise(
    kind=PREDICT,
    answer="torch_conv1_shape",
    hints=[
        Text(
            "Ours is `(5, 5, 1, 32)`: height, width, input channels, output channels (HWIO). "
            "PyTorch orders the same four axes differently.",
            "我们的是 `(5, 5, 1, 32)`：高、宽、输入通道、输出通道（HWIO）。"
            "PyTorch 对这四个轴的排列顺序不同。",
        ),
        Text(
            "PyTorch's layout is OIHW: output channels first, then input channels, then the "
            "filter's height and width.",
            "PyTorch 的布局是 OIHW：先是输出通道，再是输入通道，然后是卷积核的高和宽。",
        ),
    ],
    solution="torch_conv1_shape = (32, 1, 5, 5)",
    why=Text(
        "The same numbers in another order are another tensor: before copying weights between "
        "libraries, write down each one's layout.",
        "同样的数换一种顺序排列，就是另一个张量：在库之间复制权重之前，先把每个库的布局写下来。",
    ),
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
        return Text(
            "That is our layout, HWIO, as tf.nn.conv2d (and Keras) keep filters. PyTorch "
            "keeps them as OIHW.",
            "这是我们的布局 HWIO，tf.nn.conv2d（以及 Keras）就这样存放卷积核。"
            "PyTorch 存的是 OIHW。",
        )
    if shape == (inputs, outputs, height, width):
        return Text(
            "Input and output channels are swapped: PyTorch puts the output channels first "
            "(one row per filter), then the input channels.",
            "输入通道和输出通道颠倒了：PyTorch 把输出通道放在最前面（每个卷积核一行），"
            "然后才是输入通道。",
        )
    if shape == (outputs, height, width, inputs):
        return Text(
            "That is OHWI, the order some other libraries use. PyTorch keeps the channels "
            "together in front: OIHW.",
            "这是 OHWI，另一些库用这种顺序。PyTorch 把两个通道轴并排放在前面：OIHW。",
        )
    return differs(shape, expected, Text("the shape of conv1.weight", "conv1.weight 的形状"))


def _conv_nchw(images, filters):
    """PyTorch's convolution, stride 1, no padding, in numpy: images (N, C, H, W), filters
    (O, C, KH, KW) → (N, O, H - KH + 1, W - KW + 1). Like tf.nn.conv2d, a cross-correlation."""
    windows = np.lib.stride_tricks.sliding_window_view(images, filters.shape[2:], axis=(2, 3))
    return np.einsum("nchwij,ocij->nohw", windows, filters)


@exercise(
    kind=CODE,
    answer="hwio_to_oihw",
    hints=[
        Text(
            "Name the axes of ours: 0 is the filter's height, 1 its width, 2 the input "
            "channels, 3 the output channels. Where must each go?",
            "先给我们的各个轴起名：0 是卷积核的高，1 是宽，2 是输入通道，3 是输出通道。"
            "每个轴应当移到哪里？",
        ),
        Text(
            "`np.transpose(filters, axes)` puts old axis `axes[k]` at new position `k`. OIHW "
            "wants old axis 3 first, then 2, then 0 and 1.",
            "`np.transpose(filters, axes)` 把原来的第 `axes[k]` 个轴放到新的第 `k` 个位置。"
            "OIHW 要求原来的轴 3 排第一，然后是 2，再是 0 和 1。",
        ),
        Text(
            "`return np.transpose(filters, (3, 2, 0, 1))`.",
            "写 `return np.transpose(filters, (3, 2, 0, 1))`。",
        ),
    ],
    solution="""
def hwio_to_oihw(filters):
    return np.transpose(filters, (3, 2, 0, 1))
""",
    why=Text(
        "A transpose moves numbers to their new places; a layout change is always a "
        "transpose, never a reshape.",
        "转置会把每个数搬到新的位置；改变布局永远用转置，而不是 reshape。",
    ),
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
        return Text(
            "That is IOHW: input and output channels are swapped. PyTorch wants one row per "
            "output channel first.",
            "这是 IOHW：输入通道和输出通道颠倒了。PyTorch 要求最前面是输出通道，每个输出通道一行。",
        )
    if answer.shape != (4, 2, 3, 3):
        return differs(
            answer.shape,
            (4, 2, 3, 3),
            Text(
                "the shape for 3x3 filters, 2 in, 4 out",
                "3x3 卷积核（2 个输入通道、4 个输出通道）的形状",
            ),
        )
    theirs = _conv_nchw(images.transpose(0, 3, 1, 2), answer).transpose(0, 2, 3, 1)
    if np.allclose(theirs, ours, atol=1e-4):
        return None
    if np.array_equal(answer, filters.T):
        return Text(
            "`.T` reverses every axis: HWIO becomes OIWH, so each filter is mirrored across "
            "its diagonal. The shape looks right only because the filters are square.",
            "`.T` 会把所有轴的顺序整个倒过来：HWIO 变成 OIWH，每个卷积核都沿对角线翻转了。"
            "形状看起来对，只是因为卷积核是正方形的。",
        )
    if np.array_equal(answer, filters.reshape(answer.shape)):
        return Text(
            "A reshape keeps the numbers in their old order and only regroups them, so each "
            "'filter' is a jumble of pieces of several. Moving axes needs a transpose.",
            "reshape 保持数原来的顺序，只是重新分组，所以每个“卷积核”"
            "都是好几个卷积核的碎片拼凑成的。要移动轴，得用转置。",
        )
    difference = np.abs(theirs - ours).max()
    return Text(
        f"PyTorch's convolution with your filters differs from ours by up to {difference:.3g}.",
        f"用你的卷积核做 PyTorch 的卷积，结果与我们的最多相差 {difference:.3g}。",
    )


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
        Text(
            "Row k of our fc1 weights meets the k-th number of the NHWC flatten. Give each row "
            "its (height, width, channel) address by a reshape to (height, width, channels, "
            "units).",
            "我们 fc1 权重的第 k 行，与按 NHWC 展平后的第 k 个数相乘。"
            "先 reshape 成 (height, width, channels, units)，让每一行都有自己的"
            "（高, 宽, 通道）地址。",
        ),
        Text(
            "Then move the channel axis first, as NCHW has it, with a transpose, and flatten "
            "the first three axes back into rows.",
            "然后用转置把通道轴移到最前面，和 NCHW 一样，再把前三个轴重新展平成行。",
        ),
        Text(
            "`weights.reshape(height, width, channels, -1).transpose(2, 0, 1, 3)`, then "
            "reshape to `(height * width * channels, -1)`.",
            "`weights.reshape(height, width, channels, -1).transpose(2, 0, 1, 3)`，"
            "再 reshape 成 `(height * width * channels, -1)`。",
        ),
    ],
    solution="""
def nhwc_rows_to_nchw(weights, height, width, channels):
    units = weights.shape[1]
    by_place = weights.reshape(height, width, channels, units)
    return by_place.transpose(2, 0, 1, 3).reshape(height * width * channels, units)
""",
    why=Text(
        "Flattening is where layouts hide: a wrong row order raises no error, the shapes all "
        "fit, and the model is simply wrong.",
        "布局的差别就藏在展平里：行的顺序错了不会报任何错，形状全都对得上，只是模型错了。",
    ),
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
        return Text(
            "You transposed the matrix, as PyTorch's nn.Linear will need (it keeps "
            "(out, in)); that is a separate last step. Here keep (rows, units) and reorder "
            "the rows.",
            "你把矩阵转置了，PyTorch 的 nn.Linear 确实需要这样（它存的是 (out, in)），"
            "但那是单独的最后一步。这里请保持 (rows, units)，只调整行的顺序。",
        )
    if answer.shape != weights.shape:
        return differs(
            answer.shape,
            weights.shape,
            Text("the shape (the same as the weights')", "形状（应与权重的形状相同）"),
        )
    if np.allclose(nchw @ answer, nhwc @ weights, atol=1e-4):
        return None
    if np.array_equal(answer, weights):
        return Text(
            "The rows are still in NHWC order (a reshape alone never moves a number). After "
            "NCHW layers, flatten walks the channels slowest: all of channel 0 first.",
            "行仍然是 NHWC 的顺序（只做 reshape 不会移动任何一个数）。"
            "在 NCHW 的层之后，展平时通道变化得最慢：先是通道 0 的全部数。",
        )
    other_way = weights.reshape(channels, height, width, units).transpose(1, 2, 0, 3)
    if np.array_equal(answer, other_way.reshape(weights.shape)):
        return Text(
            "You converted the other way, as if the rows were in NCHW order already. Read "
            "them as (height, width, channels) first, then move channels to the front.",
            "你转换的方向反了，好像这些行已经是 NCHW 顺序。"
            "应当先按（高, 宽, 通道）读它们，再把通道移到最前面。",
        )
    return differs(nchw @ answer, nhwc @ weights, Text("fc1's outputs", "fc1 的输出"))
