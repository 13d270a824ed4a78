package dev.rld.spark;

import java.util.Arrays;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The main class of {@code rld-spark-local.jar}: {@code attribute [options] IN OUT} runs the
 * attribution job in a Spark inside this JVM ({@code local[*]}, or {@code --master}), for users
 * without a cluster. Spark's console progress bar shows the tasks done.
 */
public final class LocalMain {
  private LocalMain() {}

  public static void main(String[] args) {
    if (args.length == 0 || !args[0].equals("attribute")) {
      System.err.println("usage: java -jar rld-spark-local.jar attribute [--master local[N]] --policy MODEL.onnx "
          + "[rld attribute's options] IN OUT");
      System.exit(2);
    }
    String master = "local[*]";
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    for (int i = 0; i + 1 < rest.length; i++) {
      if (rest[i].equals("--master")) {
        master = rest[i + 1];
        String[] shorter = new String[rest.length - 2];
        System.arraycopy(rest, 0, shorter, 0, i);
        System.arraycopy(rest, i + 2, shorter, i, rest.length - i - 2);
        rest = shorter;
        break;
      }
    }
    JobOptions options = new JobOptions();
    CommandLine cmd = new CommandLine(options).setCommandName("attribute");
    try {
      cmd.parseArgs(rest);
    } catch (CommandLine.ParameterException e) {
      System.err.println(e.getMessage());
      cmd.usage(System.err);
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("rld attribute").master(master)
        .config("spark.ui.showConsoleProgress", "true").config("spark.ui.enabled", "false").getOrCreate();
    int code;
    try {
      code = AttributeJob.runAndReport(spark, options, System.out);
    } finally {
      spark.stop();
    }
    System.exit(code);
  }
}
