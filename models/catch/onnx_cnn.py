#!/usr/bin/python3
"""Evaluates the ONNX graph of the Catch-v0 CNN with NumPy, node by node from the ONNX operator
definitions, so train.py can check the exported file against the trained torch network without
ONNX Runtime (Debian has no python3-onnxruntime; the Java tests run the file with ONNX Runtime).

Supported operators: the ones torch.onnx.export writes for train.make_net(): Div/Mul by a
constant, Conv (no padding, no dilation, one group), Relu, Flatten, Reshape, Gemm, MatMul, Add.
"""
import numpy as np
import onnx
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, strides, pads, dilations, group):
    if any(pads) or any(d != 1 for d in dilations) or group != 1:
        raise ValueError(f"unsupported Conv: pads {pads}, dilations {dilations}, group {group}")
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    sh, sw = strides
    oh, ow = (h - kh) // sh + 1, (wd - kw) // sw + 1
    # Windows as a strided view [n, c, oh, ow, kh, kw], then one contraction with the kernels.
    s = x.strides
    windows = np.lib.stride_tricks.as_strided(
        x, shape=(n, c, oh, ow, kh, kw), strides=(s[0], s[1], s[2] * sh, s[3] * sw, s[2], s[3]))
    y = np.einsum("ncijkl,mckl->nmij", windows, w, optimize=True)
    if b is not None:
        y = y + b.reshape(1, m, 1, 1)
    return y.astype(np.float32)


def numpy_forward(model, x):
    """The model's first output for float32 input x, evaluated with NumPy."""
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values[model.graph.input[0].name] = np.asarray(x, dtype=np.float32)
    for node in model.graph.node:
        a = _attrs(node)
        if node.op_type == "Constant":
            values[node.output[0]] = numpy_helper.to_array(a["value"])
            continue
        ins = [values[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Div":
            y = ins[0] / ins[1]
        elif op == "Mul":
            y = ins[0] * ins[1]
        elif op == "Add":
            y = ins[0] + ins[1]
        elif op == "Conv":
            k = len(ins[1].shape) - 2
            y = _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a.get("strides", [1] * k),
                      a.get("pads", [0] * 2 * k), a.get("dilations", [1] * k), a.get("group", 1))
        elif op == "Relu":
            y = np.maximum(ins[0], np.float32(0))
        elif op == "Flatten":
            axis = a.get("axis", 1)
            y = ins[0].reshape(int(np.prod(ins[0].shape[:axis])), -1)
        elif op == "Reshape":
            shape = [ins[0].shape[i] if d == 0 else d for i, d in enumerate(ins[1].tolist())]
            y = ins[0].reshape(shape)
        elif op == "Gemm":
            A = ins[0].T if a.get("transA", 0) else ins[0]
            B = ins[1].T if a.get("transB", 0) else ins[1]
            y = np.float32(a.get("alpha", 1.0)) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                y = y + np.float32(a.get("beta", 1.0)) * ins[2]
        elif op == "MatMul":
            y = ins[0] @ ins[1]
        else:
            raise ValueError(f"unsupported ONNX operator {op}")
        values[node.output[0]] = np.asarray(y, dtype=np.float32)
    return values[model.graph.output[0].name]


def io_signature(model):
    """[(name, element type, shape)] of the inputs and of the outputs."""
    def describe(v):
        t = v.type.tensor_type
        dims = [d.dim_param or d.dim_value for d in t.shape.dim]
        return v.name, onnx.TensorProto.DataType.Name(t.elem_type), dims
    return [describe(v) for v in model.graph.input], [describe(v) for v in model.graph.output]
