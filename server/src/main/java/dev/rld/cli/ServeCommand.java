package dev.rld.cli;

import dev.rld.api.RldServer;
import dev.rld.format.Rollout;
import dev.rld.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rld serve}: serves recordings and the viewer until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serves recordings (files or directories) to the browser viewer and the HTTP API.")
final class ServeCommand extends CliCommand {
  @Parameters(paramLabel = "PATH[=MODEL.onnx]", arity = "1..*",
      description = "Recordings to serve (files, directories, Minari datasets or minari:ID); "
          + "PATH=MODEL.onnx attaches a model to that one only")
  List<String> paths;

  @Mixin
  PolicyOptions policy;

  @Mixin
  ComparePolicyOptions compare;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only)")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0: any free port)")
  int port;

  @Option(names = "--allow-host", paramLabel = "NAME",
      description = "A further host name the server answers to (repeatable); others get 403, which stops DNS rebinding")
  List<String> allowHosts = List.of();

  @Option(names = "--no-token", description = "Require no access token even when --host is not loopback")
  boolean noToken;

  @Option(names = "--viewer", paramLabel = "NAME", description = "Scene to use for every recording (default: by env id)")
  String viewer;

  @Option(names = "--viewer-file", paramLabel = "SCENE.js", description = "A scene module of your own (see docs/viewers.md)")
  Path viewerFile;

  @Override
  protected int execute() throws IOException {
    RldServer.Builder builder = RldServer.builder().host(host).port(port).viewer(viewer);
    allowHosts.forEach(builder::allowHost);
    if (noToken) {
      builder.noToken();
    }
    if (viewerFile != null) {
      builder.viewerFile(viewerFile);
    }
    List<Path[]> served = new ArrayList<>(); // {recording, model or null}
    for (String arg : paths) {
      // A recording whose own path holds '=' (runs/lr=0.1/rollout.arrow) is not PATH=MODEL.
      int eq = Files.exists(Path.of(arg)) ? -1 : arg.lastIndexOf('=');
      served.add(new Path[] {RecordingPath.of(eq < 0 ? arg : arg.substring(0, eq)),
          eq < 0 ? policy.model : Path.of(arg.substring(eq + 1))});
    }
    if (compare.model != null && served.stream().allMatch(p -> p[1] == null)) {
      throw usageError("--compare-policy needs a policy to compare with: --policy MODEL.onnx or PATH=MODEL.onnx");
    }
    for (Path[] p : served) {
      if (p[1] == null) {
        builder.recording(p[0]);
        continue;
      }
      try (Rollout r = Rollout.open(p[0])) {
        Policy a = policy.load(p[1], r.actionSpace());
        // B goes with every recording that has a policy A to compare it with.
        builder.recording(p[0], a, compare.model == null ? null : compare.load(r.actionSpace(), a));
      }
    }
    try (RldServer server = builder.start()) {
      out().println("Serving " + server.ids().size() + " recording" + (server.ids().size() == 1 ? "" : "s")
          + " at " + server.url() + "  " + server.ids());
      server.notes().forEach(n -> out().println("  " + n));
      if (server.token() != null) {
        out().println("  Listening beyond this machine: requests need the token in that URL (or --no-token).");
      }
      out().println("Press Ctrl+C to stop.");
      out().flush();
      server.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
