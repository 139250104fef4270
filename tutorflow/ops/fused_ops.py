"""Fused ops: chains of a graph's ops that a plan runs as one step (client/fusion.py), each
walking a layer's values once where the chain's ops would walk them one after another.
TF's grappler fuses the first two the same way, under the same names:

- ``_FusedConv2D`` and ``_FusedMatMul``: a convolution or a matrix product, the bias added to
  its last axis (``x + b`` or ``tf.nn.bias_add``), and the ReLU, if one follows;
- ``_FusedReluGrad``: ReLU's gradient, and the bias's gradient summed from it in the same pass;
- ``_FusedMaxPoolGrad``: max pooling's gradient, where it pooled a ReLU's output, written
  straight as ReLU's gradient, with the bias's gradient summed in the same pass.

A fused op is named after its chain's last op, as in TF, and computes what the chain computes,
bit for bit, except that the bias's gradient may round a little differently (its parts are
summed apart). A product that fails inside it raises the error that its own op would raise,
naming that op. Fused ops exist only in plans: no graph holds them, so they need no gradient.
"""

from __future__ import annotations

from .. import loops
from ..framework import dtypes, errors, registry


class FusedOp:
    """A chain of a graph's ops run as one step. It has what a plan reads of an op: a name,
    a type, inputs (those of the chain's ops that come from outside it), outputs (those that
    leave it), control inputs (its first op's) and ``ops``, the chain itself."""

    def __init__(self, op_type: str, ops: list, inputs: list, outputs: list):
        self.type = op_type
        self.ops = tuple(ops)
        self.name = ops[-1].name
        self.inputs = tuple(inputs)
        self.outputs = list(outputs)
        self.control_inputs = ops[0].control_inputs

    def __repr__(self) -> str:
        return f"<fused op '{self.name}' type={self.type} of {[op.name for op in self.ops]}>"


# -- a product, its bias and its ReLU -----------------------------------------------------------

_PRODUCTS = {"Conv2D": "_FusedConv2D", "MatMul": "_FusedMatMul"}
_BIAS_ADDS = ("Add", "BiasAdd")


@registry.fusion
def _product_bias_relu(op, plan_ops):
    if op.type not in _PRODUCTS or op.outputs[0].dtype not in dtypes.FLOATS:
        return None
    product = op.outputs[0]
    add = plan_ops.only_reader(product)
    if add is None or add.type not in _BIAS_ADDS or add.inputs.count(product) != 1:
        return None
    bias = add.inputs[1] if add.inputs[0] is product else add.inputs[0]
    if not _is_bias_of(bias, product):
        return None
    chain = [op, add]
    relu = plan_ops.only_reader(add.outputs[0])
    if relu is not None and relu.type == "Relu":
        chain.append(relu)
    return FusedOp(_PRODUCTS[op.type], chain, [*op.inputs, bias], chain[-1].outputs)


@registry.kernel("_FusedConv2D", stateful=True)
@registry.kernel("_FusedMatMul", stateful=True)
def _product_with_bias(op, state, *args):
    *operands, bias = args
    value = _run(op.ops[0], state, operands)  # a new array, which can take the result
    relu = op.ops[-1].type == "Relu"
    out = value if value.flags.c_contiguous and value.flags.writeable else None
    return loops.bias_add(value, bias, out, relu)


# -- ReLU's gradient and its bias's -------------------------------------------------------------


@registry.fusion
def _relu_grad_bias_grad(op, plan_ops):
    if op.type != "ReluGrad" or op.outputs[0].dtype not in dtypes.FLOATS:
        return None
    dz = op.outputs[0]
    for reader in plan_ops.readers(dz):
        if reader.type == "SumToShapeOf" and reader.inputs[0] is dz:
            bias = reader.inputs[1]
            if _is_bias_of(bias, dz):
                chain = [op, reader]
                return FusedOp("_FusedReluGrad", chain, [*op.inputs, bias], [dz, *reader.outputs])
    return None


@registry.kernel("_FusedReluGrad", inplace=True)
def _relu_grad_with_bias_grad(op, grad, y, bias, out=None):
    return loops.relu_grad_and_bias_grad(grad, y, out)


# -- max pooling's gradient, into a ReLU's and its bias's ---------------------------------------


@registry.fusion
def _max_pool_grad_relu_grad(op, plan_ops):
    if op.type != "MaxPoolGrad" or op.outputs[0].dtype not in dtypes.FLOATS:
        return None
    relu_grad = plan_ops.only_reader(op.outputs[0])
    if relu_grad is None or relu_grad.inputs != (op.outputs[0], op.inputs[0]):
        return None  # not the gradient of the ReLU whose output was pooled
    rest = _relu_grad_bias_grad(relu_grad, plan_ops)
    if rest is None:
        return None
    return FusedOp(
        "_FusedMaxPoolGrad", [op, *rest.ops], [*op.inputs, rest.inputs[-1]], rest.outputs
    )


@registry.kernel("_FusedMaxPoolGrad")
def _max_pool_grad_with_relu_grad(op, x, y, dy, bias):
    attrs = op.ops[0].attrs
    return loops.max_pool_relu_grad(x, y, dy, attrs["ksize"], attrs["strides"], attrs["padding"])


# -- shared ------------------------------------------------------------------------------------


def _is_bias_of(bias, values) -> bool:
    """Whether ``bias`` is added along the last axis of ``values``: 1-D, of their dtype, and
    of a size that both shapes know."""
    width = values.shape[-1].value if values.shape.ndims else None
    return (
        bias.dtype is values.dtype
        and bias.shape.ndims == 1
        and width is not None
        and bias.shape[0].value == width
    )


def _run(op, state, args):
    """``op``'s value on ``args``, computed by its kernel; its error names ``op``."""
    opdef = registry.lookup(op.type)
    try:
        return opdef.kernel(op, state, *args) if opdef.stateful else opdef.kernel(op, *args)
    except errors.OpError as error:
        raise errors.located(error, op) from None
    except errors.KERNEL_ERRORS as error:
        raise errors.invalid_argument(error, op, args) from error


# In no graph: nothing differentiates them.
registry.not_differentiable("_FusedConv2D", "_FusedMatMul", "_FusedReluGrad", "_FusedMaxPoolGrad")
