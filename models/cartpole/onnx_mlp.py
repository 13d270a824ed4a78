#!/usr/bin/python3
"""Rebuilds the MLP stored in an ONNX file as a float32 torch module, from the file's weights.

Used by train.py (to evaluate the shipped file), train_critic.py, reference.py and bench_torch.py.
The ONNX graph must be a chain: Gemm (or MatMul followed by Add) layers with Tanh or Relu between
them, from the single input to the single output (load_mlp), or one such chain per output from
the single input (load_chains: an actor-critic). numpy_forward() evaluates the same graph node by node from
the ONNX operator definitions, as an independent check of the rebuilt module.
"""
import numpy as np
import onnx
import torch
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def numpy_forward(model, x, output=None):
    """Evaluates the ONNX graph on float32 array x with numpy, following the operator specs;
    returns the graph's first output, or the output named `output`."""
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values = {model.graph.input[0].name: np.asarray(x, dtype=np.float32)}
    values.update(inits)
    for node in model.graph.node:
        ins = [values[n] for n in node.input if n]
        a = _attrs(node)
        if node.op_type == "Gemm":
            A = ins[0].T if a.get("transA", 0) else ins[0]
            B = ins[1].T if a.get("transB", 0) else ins[1]
            y = np.float32(a.get("alpha", 1.0)) * (A @ B)
            if len(ins) > 2:
                y = y + np.float32(a.get("beta", 1.0)) * ins[2]
        elif node.op_type == "MatMul":
            y = ins[0] @ ins[1]
        elif node.op_type == "Add":
            y = ins[0] + ins[1]
        elif node.op_type == "Tanh":
            y = np.tanh(ins[0])
        elif node.op_type == "Relu":
            y = np.maximum(ins[0], np.float32(0))
        else:
            raise ValueError(f"unsupported ONNX operator {node.op_type}")
        values[node.output[0]] = y.astype(np.float32)
    return values[output or model.graph.output[0].name]


def load_mlp(path):
    """Returns (torch module in float32 eval mode, onnx ModelProto) for the MLP in `path`."""
    model = onnx.load(path)
    onnx.checker.check_model(model)
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    return _build(model.graph.node, inits), model


def load_chains(path):
    """For a graph whose outputs are each computed by their own chain of layers from the single
    input (an actor-critic with separate actor and critic MLPs): returns ({output name: torch
    module}, in the graph's output order, onnx ModelProto)."""
    model = onnx.load(path)
    onnx.checker.check_model(model)
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    producer = {out: node for node in model.graph.node for out in node.output}
    source = model.graph.input[0].name
    chains = {}
    for output in model.graph.output:
        nodes, name = [], output.name
        while name != source:
            node = producer[name]
            nodes.append(node)
            data = [n for n in node.input if n and n not in inits]
            if len(data) != 1:
                raise ValueError(f"{node.op_type} node {node.name} is not part of a chain")
            name = data[0]
        chains[output.name] = _build(nodes[::-1], inits)
    return chains, model


def _build(nodes, inits):
    layers = []
    pending = None  # a MatMul waiting for its Add
    for node in nodes:
        a = _attrs(node)
        if node.op_type == "Gemm":
            if a.get("transA", 0) or a.get("alpha", 1.0) != 1.0 or a.get("beta", 1.0) != 1.0:
                raise ValueError(f"unsupported Gemm attributes {a}")
            w = inits[node.input[1]]
            w = w if a.get("transB", 0) else w.T  # torch Linear holds [out, in]
            layers.append(_linear(w, inits[node.input[2]] if len(node.input) > 2 else None))
        elif node.op_type == "MatMul":
            pending = inits[node.input[1]].T
        elif node.op_type == "Add":
            if pending is None:
                raise ValueError("Add without a MatMul")
            bias = inits[node.input[1]] if node.input[1] in inits else inits[node.input[0]]
            layers.append(_linear(pending, bias))
            pending = None
        elif node.op_type == "Tanh":
            layers.append(torch.nn.Tanh())
        elif node.op_type == "Relu":
            layers.append(torch.nn.ReLU())
        else:
            raise ValueError(f"unsupported ONNX operator {node.op_type}")
    if pending is not None:
        layers.append(_linear(pending, None))
    net = torch.nn.Sequential(*layers).float().eval()
    for p in net.parameters():
        p.requires_grad_(False)
    return net


def _linear(w, b):
    out_features, in_features = w.shape
    layer = torch.nn.Linear(in_features, out_features, bias=b is not None)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(np.array(w, dtype=np.float32)))
        if b is not None:
            layer.bias.copy_(torch.from_numpy(np.array(b, dtype=np.float32)))
    return layer


def io_signature(model):
    """[(name, elem type name, [dims])] for the graph's inputs and outputs."""
    def describe(v):
        t = v.type.tensor_type
        dims = [d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim]
        return v.name, onnx.TensorProto.DataType.Name(t.elem_type), dims
    return [describe(v) for v in model.graph.input], [describe(v) for v in model.graph.output]
