package dev.rld.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code rld} data source: {@code spark.read.format("rld").load(paths)} reads recordings
 * (files, or directories of {@code *.arrow} files, on any Hadoop file system) as one row per
 * step, or with {@code option("view", "episodes")} one row per episode from the footer index.
 * Each record batch of a file is a partition. Options and columns: docs/spark.md.
 */
public final class RldDataSource implements TableProvider, DataSourceRegister {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String shortName() {
    return "rld";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return table(options).schema();
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return table(new CaseInsensitiveStringMap(properties));
  }

  @Override
  public boolean supportsExternalMetadata() {
    return false;
  }

  private static RldTable table(CaseInsensitiveStringMap options) {
    List<String> paths = paths(options);
    String view = options.getOrDefault("view", "steps");
    if (!view.equals("steps") && !view.equals("episodes")) {
      throw new IllegalArgumentException("option view must be steps or episodes, got '" + view + "'");
    }
    try {
      Listing listing = Listing.of(paths, hadoopConf(options));
      listing.report();
      String features = options.getOrDefault("features", "auto");
      boolean withFeatures = switch (features) {
        case "true" -> true;
        case "false" -> false;
        case "auto" -> listing.observationSpace.flatDim() <= StepColumns.MAX_FEATURE_COLUMNS;
        default -> throw new IllegalArgumentException("option features must be true, false or auto, got '"
            + features + "'");
      };
      return new RldTable(paths, view, listing, new StepColumns(listing.observationSpace, listing.actionSpace,
          withFeatures, listing.agentColumns));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** The session's Hadoop configuration, with the reader's {@code fs.*} options on top. */
  static org.apache.hadoop.conf.Configuration hadoopConf(CaseInsensitiveStringMap options) {
    var conf = new org.apache.hadoop.conf.Configuration(SparkSession.active().sparkContext().hadoopConfiguration());
    options.asCaseSensitiveMap().forEach((k, v) -> {
      if (k.startsWith("fs.")) {
        conf.set(k, v);
      }
    });
    return conf;
  }

  /** Spark passes one path as {@code path}, several as {@code paths} (a JSON array). */
  static List<String> paths(CaseInsensitiveStringMap options) {
    if (options.containsKey("paths")) {
      try {
        String[] many = JSON.readValue(options.get("paths"), String[].class);
        if (many.length > 0) {
          return Arrays.asList(many);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("option paths is not a JSON array of strings: " + options.get("paths"));
      }
    }
    if (options.containsKey("path")) {
      return List.of(options.get("path"));
    }
    throw new IllegalArgumentException("the rld data source needs a path: spark.read.format(\"rld\").load(path)");
  }
}
