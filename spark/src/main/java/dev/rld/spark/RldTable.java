package dev.rld.spark;

import java.util.List;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** The recordings at some paths, as steps or episodes. */
final class RldTable implements SupportsRead {
  private final List<String> paths;
  private final String view;
  private final Listing listing;
  private final StepColumns columns;

  RldTable(List<String> paths, String view, Listing listing, StepColumns columns) {
    this.paths = paths;
    this.view = view;
    this.listing = listing;
    this.columns = columns;
  }

  @Override
  public String name() {
    return "rld " + view + " of " + String.join(", ", paths);
  }

  @Override
  public StructType schema() {
    return view.equals("episodes") ? EpisodeColumns.SCHEMA : columns.schema();
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new RldScan(view, listing, columns, schema(),
        Recordings.toMap(RldDataSource.hadoopConf(options)), options.getInt("splitRows", 65_536));
  }
}
