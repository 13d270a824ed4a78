package dev.rld.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a linear policy as an ONNX model, {@code logits = obs · W + b} (one Gemm node, opset
 * 13), encoding the protobuf by hand from onnx.proto's field numbers, so that tests need neither
 * Python nor a protobuf library. The batch dimension is dynamic.
 */
final class LinearOnnx {
  private LinearOnnx() {}

  /** {@code w[i][k]}: weight of input i in output k. */
  static void write(Path file, float[][] w, float[] b) throws IOException {
    int in = w.length;
    int out = b.length;
    float[] flat = new float[in * out];
    for (int i = 0; i < in; i++) {
      System.arraycopy(w[i], 0, flat, i * out, out);
    }
    byte[] graph = concat(
        field(1, concat(string(1, "obs"), string(1, "W"), string(1, "B"), string(2, "logits"),
            string(3, "linear"), string(4, "Gemm"))), // NodeProto
        string(2, "policy"),
        field(5, tensor("W", new long[] {in, out}, flat)),
        field(5, tensor("B", new long[] {out}, b)),
        field(11, valueInfo("obs", in)),
        field(12, valueInfo("logits", out)));
    byte[] model = concat(
        varintField(1, 8),                         // ir_version
        string(2, "rld-test"),                     // producer_name
        field(7, graph),
        field(8, concat(string(1, ""), varintField(2, 13)))); // opset_import: default domain, 13
    Files.write(file, model);
  }

  /** TensorProto: dims (1), data_type FLOAT = 1 (2), name (8), raw_data little-endian (9). */
  private static byte[] tensor(String name, long[] dims, float[] values) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (long d : dims) {
      o.write(varintField(1, d));
    }
    o.write(varintField(2, 1));
    o.write(string(8, name));
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    o.write(field(9, raw.array()));
    return o.toByteArray();
  }

  /** ValueInfoProto of a float tensor [batch, n]. */
  private static byte[] valueInfo(String name, int n) {
    byte[] shape = concat(field(1, string(2, "batch")), field(1, varintField(1, n))); // dim_param, dim_value
    byte[] tensorType = concat(varintField(1, 1), field(2, shape)); // elem_type FLOAT, shape
    return concat(string(1, name), field(2, field(1, tensorType)));  // name, TypeProto{tensor_type}
  }

  private static byte[] string(int number, String s) {
    return field(number, s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] field(int number, byte[] bytes) {
    return concat(varint((long) number << 3 | 2), varint(bytes.length), bytes);
  }

  private static byte[] varintField(int number, long value) {
    return concat(varint((long) number << 3), varint(value));
  }

  private static byte[] varint(long v) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    while ((v & ~0x7FL) != 0) {
      o.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    o.write((int) v);
    return o.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }
}
