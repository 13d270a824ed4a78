package dev.rld.spark;

import dev.rld.format.FileBatches;
import dev.rld.format.Rollout;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Finds the recordings under paths of any Hadoop file system and opens them. */
final class Recordings {
  private Recordings() {}

  /** A recording that could not be read, and why; the job and the data source go on without it. */
  record Skipped(String file, String reason) implements Serializable {
    String describe() {
      return "skipped " + file + ": " + reason;
    }
  }

  /**
   * The recordings at {@code paths}: each file as given, and every {@code *.arrow} file of a
   * directory (attribution sidecars excluded), in name order.
   */
  static List<String> list(List<String> paths, Configuration conf) throws IOException {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      Path path = new Path(p);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(path);
      if (!status.isDirectory()) {
        out.add(status.getPath().toString());
        continue;
      }
      List<String> inDir = new ArrayList<>();
      for (FileStatus f : fs.listStatus(path)) {
        String name = f.getPath().getName();
        if (f.isFile() && name.endsWith(".arrow") && !name.endsWith(Rollout.SIDECAR_SUFFIX)) {
          inDir.add(f.getPath().toString());
        }
      }
      inDir.sort(null);
      out.addAll(inDir);
    }
    return out;
  }

  /** Opens one recording through Hadoop's file system; the caller closes it before {@code allocator}. */
  static FileBatches open(String file, Configuration conf, BufferAllocator allocator) throws IOException {
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    return FileBatches.open(java.nio.file.Path.of(path.toUri().getPath()), HadoopChannel.open(fs, path), allocator);
  }

  /**
   * What {@code conf} sets beyond Hadoop's defaults (fs.s3a.* keys, say), to travel to executors:
   * Configuration itself is not serializable, and all of it is ~1000 entries.
   */
  static Map<String, String> toMap(Configuration conf) {
    Configuration defaults = new Configuration();
    Map<String, String> out = new java.util.HashMap<>();
    conf.forEach(e -> {
      if (!e.getValue().equals(defaults.getRaw(e.getKey()))) {
        out.put(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  static Configuration fromMap(Map<String, String> map) {
    Configuration conf = new Configuration();
    map.forEach(conf::set);
    return conf;
  }
}
