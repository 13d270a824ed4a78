package dev.rld.spark;

import dev.rld.format.EpisodeSummary;
import dev.rld.format.FileBatches;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.StructType;

/**
 * Plans a read: the steps view splits each file by record batch, consecutive batches together
 * up to {@code splitRows} rows (opening a file reads its footer and episode index, so a split of
 * one small batch would cost more to open than to read); the episodes view has one partition
 * per file. Decodes only the columns the query needs.
 */
final class RldScan implements ScanBuilder, SupportsPushDownRequiredColumns, Scan, Batch {
  private final String view;
  private final Listing listing;
  private final StepColumns columns;
  private final Map<String, String> hadoopConf;
  private final int splitRows;
  private StructType wanted;

  RldScan(String view, Listing listing, StepColumns columns, StructType schema, Map<String, String> hadoopConf,
      int splitRows) {
    this.view = view;
    this.splitRows = splitRows;
    this.listing = listing;
    this.columns = columns;
    this.wanted = schema;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public void pruneColumns(StructType required) {
    wanted = required;
  }

  @Override
  public Scan build() {
    return this;
  }

  @Override
  public StructType readSchema() {
    return wanted;
  }

  @Override
  public String description() {
    return "rld " + view + " of " + listing.files.size() + " recordings";
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  /** Record batches [first, end) of a file, or (first = -1) a whole file's episodes. */
  record Split(String file, int first, int end) implements InputPartition {}

  @Override
  public InputPartition[] planInputPartitions() {
    List<InputPartition> out = new ArrayList<>();
    for (Listing.FileInfo f : listing.files) {
      if (view.equals("episodes")) {
        out.add(new Split(f.file(), -1, -1));
        continue;
      }
      int[] rows = f.batchRows();
      for (int first = 0; first < rows.length; ) {
        long n = 0;
        int end = first;
        while (end < rows.length && (n == 0 || n + rows[end] <= splitRows)) {
          n += rows[end++];
        }
        if (n > 0) {
          out.add(new Split(f.file(), first, end));
        }
        first = end;
      }
    }
    return out.toArray(InputPartition[]::new);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new Factory(wanted, columns, hadoopConf);
  }

  private record Factory(StructType wanted, StepColumns columns, Map<String, String> hadoopConf)
      implements PartitionReaderFactory, Serializable {
    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
      Split split = (Split) partition;
      try {
        if (split.first() < 0) {
          return new EpisodeReader(wanted, split.file(), Recordings.fromMap(hadoopConf));
        }
        return new StepReader(columns.new RowWriter(wanted, split.file()), split,
            Recordings.fromMap(hadoopConf));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(split.file() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Reads the file's footer index only. */
  private static final class EpisodeReader implements PartitionReader<InternalRow> {
    private final StructType wanted;
    private final String file;
    private final List<EpisodeSummary> episodes;
    private int next = -1;

    EpisodeReader(StructType wanted, String file, org.apache.hadoop.conf.Configuration conf) throws IOException {
      this.wanted = wanted;
      this.file = file;
      try (RootAllocator allocator = new RootAllocator(); FileBatches f = Recordings.open(file, conf, allocator)) {
        this.episodes = f.episodes();
      }
    }

    @Override
    public boolean next() {
      return ++next < episodes.size();
    }

    @Override
    public InternalRow get() {
      return EpisodeColumns.row(wanted, file, episodes.get(next));
    }

    @Override
    public void close() {
    }
  }

  /** Reads its record batches one at a time, each released before the next is read. */
  private static final class StepReader implements PartitionReader<InternalRow> {
    private final StepColumns.RowWriter writer;
    private final RootAllocator allocator = new RootAllocator();
    private final FileBatches file;
    private final Split split;
    private int b;
    private FileBatches.Batch batch;
    private int next = -1;

    StepReader(StepColumns.RowWriter writer, Split split, org.apache.hadoop.conf.Configuration conf)
        throws IOException {
      this.writer = writer;
      this.split = split;
      this.b = split.first() - 1;
      try {
        this.file = Recordings.open(split.file(), conf, allocator);
      } catch (IOException | RuntimeException e) {
        allocator.close();
        throw e;
      }
    }

    @Override
    public boolean next() throws IOException {
      while (batch == null || ++next >= batch.size()) {
        if (batch != null) {
          batch.close();
          batch = null;
        }
        if (++b >= split.end()) {
          return false;
        }
        batch = file.read(b);
        next = -1;
      }
      return true;
    }

    @Override
    public InternalRow get() {
      return writer.row(batch, next);
    }

    @Override
    public void close() throws IOException {
      if (batch != null) {
        batch.close();
      }
      file.close();
      allocator.close();
    }
  }
}
