package dev.rld.spark;

import dev.rld.format.EpisodeSummary;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/** The episodes view: one row per episode, from the footer index (no record batch is read). */
final class EpisodeColumns {
  static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("file", DataTypes.StringType, false),
      DataTypes.createStructField("episode", DataTypes.IntegerType, false),
      DataTypes.createStructField("episode_id", DataTypes.IntegerType, false),
      DataTypes.createStructField("seed", DataTypes.LongType, true),
      DataTypes.createStructField("length", DataTypes.IntegerType, false),
      DataTypes.createStructField("observations", DataTypes.IntegerType, false),
      DataTypes.createStructField("total_return", DataTypes.DoubleType, false),
      DataTypes.createStructField("terminated", DataTypes.BooleanType, false),
      DataTypes.createStructField("truncated", DataTypes.BooleanType, false),
      DataTypes.createStructField("complete", DataTypes.BooleanType, false)});

  private EpisodeColumns() {}

  /** The columns of {@code wanted} (a pruned {@link #SCHEMA}) of one episode. */
  static InternalRow row(StructType wanted, String file, EpisodeSummary e) {
    Object[] values = new Object[wanted.fields().length];
    for (int c = 0; c < values.length; c++) {
      values[c] = switch (wanted.fields()[c].name()) {
        case "file" -> UTF8String.fromString(file);
        case "episode" -> e.index();
        case "episode_id" -> e.episodeId();
        case "seed" -> e.seed();
        case "length" -> e.length();
        case "observations" -> e.observations();
        case "total_return" -> e.totalReturn();
        case "terminated" -> e.terminated();
        case "truncated" -> e.truncated();
        case "complete" -> e.complete();
        default -> throw new IllegalStateException("unknown column " + wanted.fields()[c].name());
      };
    }
    return new GenericInternalRow(values);
  }
}
