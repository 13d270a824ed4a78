package dev.rld.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.RecoveryReport;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutHeader;
import dev.rld.space.SpaceJson;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code inspect}: prints what a rollout file holds, as JSON. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Prints a JSON summary of a rollout file (or a directory of them): env, spaces, "
        + "metadata, episodes and what was recovered from an unfinished file.")
public final class InspectCommand extends CliCommand {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Parameters(paramLabel = "PATH", converter = RecordingPath.class,
      description = "A rollout file, a directory of them, or a Minari dataset (directory or minari:ID)")
  Path path;

  @Override
  protected int execute() throws IOException {
    try (Rollout rollout = Rollout.open(path)) {
      out().println(JSON.writeValueAsString(summary(rollout)));
      out().flush();
    }
    return 0;
  }

  /** The summary {@code inspect} prints. */
  static ObjectNode summary(Rollout rollout) {
    RolloutHeader h = rollout.header();
    ObjectNode o = JSON.createObjectNode();
    o.put("path", rollout.path().toAbsolutePath().normalize().toString());
    o.put("envId", h.envId());
    o.put("formatVersion", h.formatVersion());
    o.put("recorderVersion", h.recorderVersion());
    o.put("created", h.created());
    o.set("observationSpace", SpaceJson.toTree(h.observationSpace()));
    o.set("actionSpace", SpaceJson.toTree(h.actionSpace()));
    o.set("metadata", JSON.valueToTree(h.metadata()));
    ArrayNode episodes = o.putArray("episodes");
    for (EpisodeSummary e : rollout.episodes()) {
      episodes.addObject()
          .put("index", e.index())
          .put("length", e.length())
          .put("return", e.totalReturn())
          .put("seed", e.seed())
          .put("terminated", e.terminated())
          .put("truncated", e.truncated())
          .put("complete", e.complete());
    }
    o.put("totalSteps", rollout.totalSteps());
    if (!rollout.recoveries().isEmpty()) {
      ArrayNode recoveries = o.putArray("recoveries");
      rollout.recoveries().stream().map(RecoveryReport::describe).forEach(recoveries::add);
      // Our reader recovers such a file on every open; other Arrow readers cannot open it at all.
      ArrayNode hints = o.putArray("hints");
      rollout.recoveries().forEach(r -> hints.add("other Arrow readers (Arrow JS, pyarrow) cannot open "
          + r.file() + " until it has its footer: run `rld repair " + r.file() + "`"));
    }
    if (!rollout.skipped().isEmpty()) {
      ArrayNode skipped = o.putArray("skipped");
      rollout.skipped().forEach(f -> skipped.add(f.describe()));
    }
    return o;
  }
}
