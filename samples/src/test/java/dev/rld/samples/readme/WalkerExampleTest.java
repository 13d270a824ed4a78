package dev.rld.samples.readme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.Env;
import dev.rld.env.Step;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.space.Box;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Record your own environment" example, taken from README.md as written: it
 * compiles, its main records the file it promises, and the recording holds what the env did.
 */
class WalkerExampleTest {
  private static final Path README = Path.of("..", "README.md");
  private static final String SECTION = "## Record your own environment";

  @Test
  void theReadmeExampleCompilesAndRecordsItsEnvironment(@TempDir Path dir) throws Exception {
    Path source = dir.resolve("src/Walker.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, javaBlockOfSection(Files.readString(README), SECTION));
    Path classes = Files.createDirectories(dir.resolve("classes"));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests need a JDK (javax.tools), not a JRE");
    StringWriter diagnostics = new StringWriter();
    boolean compiled = javac.getTask(diagnostics, null, null,
        List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-Xlint:none"),
        null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
    assertTrue(compiled, "the README example does not compile:\n" + diagnostics);

    Path file = dir.resolve("walker.arrow");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> walker = loader.loadClass("Walker");
      Method main = walker.getMethod("main", String[].class);
      main.invoke(null, (Object) new String[] {file.toString()});

      try (Rollout rollout = Rollout.open(file)) {
        assertEquals("Walker-v0", rollout.header().envId());
        Box space = (Box) rollout.observationSpace();
        assertEquals(List.of("position", "velocity"), space.labels());
        List<EpisodeSummary> episodes = rollout.episodes();
        assertEquals(10, episodes.size(), "main records 10 episodes");
        int reachedGoal = 0;
        for (EpisodeSummary e : episodes) {
          assertEquals((long) e.index(), e.seed(), "episode " + e.index() + " is reset with its index as seed");
          assertTrue(e.complete() && (e.terminated() ^ e.truncated()), "episode " + e.index() + " ended once: " + e);
          try (Steps steps = rollout.read(e.index(), 0, e.observations())) {
            reachedGoal += replayMatches(walker, e, steps) ? 1 : 0;
          }
        }
        // The policy pushes right 70% of the time: velocity settles near +0.06 m/step, so every
        // start in [-0.6, 0] reaches 0.9 long before the 200-step limit.
        assertEquals(10, reachedGoal, "episodes that reached the goal");
      }
    }
  }

  /**
   * Replays the recorded actions in a fresh Walker reset with the recorded seed and checks every
   * recorded observation, reward and flag against it; returns whether the episode reached the goal.
   */
  @SuppressWarnings("unchecked")
  private static boolean replayMatches(Class<?> walker, EpisodeSummary e, Steps steps) throws Exception {
    Env<float[], Integer> env = (Env<float[], Integer>) walker.getDeclaredConstructor().newInstance();
    float[] observation = env.reset(e.seed(), Map.of()).observation();
    assertArrayEquals(observation, (float[]) steps.observation(0), "episode " + e.index() + " first observation");
    double sum = 0;
    for (int t = 0; t < e.length(); t++) {
      String at = "episode " + e.index() + " step " + t + ": ";
      assertArrayEquals(new float[] {0.1f, 0.2f, 0.7f}, steps.probabilities(t), at + "attached probabilities");
      Step<float[]> step = env.step(((Number) steps.action(t)).intValue());
      assertArrayEquals(step.observation(), (float[]) steps.observation(t + 1), at + "observation");
      assertEquals(step.reward(), steps.reward(t), 0.0, at + "reward");
      assertEquals(step.terminated(), steps.terminated(t), at + "terminated");
      assertEquals(step.truncated(), steps.truncated(t), at + "truncated");
      sum += step.reward();
    }
    assertEquals(sum, e.totalReturn(), 1e-9, "episode " + e.index() + " return");
    float[] last = (float[]) steps.observation(e.length());
    return e.terminated() && last[0] >= 0.9f;
  }

  /** The first ```java fenced block after the heading {@code section}. */
  static String javaBlockOfSection(String markdown, String section) {
    int heading = markdown.indexOf("\n" + section + "\n");
    assertTrue(heading >= 0, "README.md has no section '" + section + "'");
    int open = markdown.indexOf("```java\n", heading);
    int next = markdown.indexOf("\n## ", heading + 1);
    assertTrue(open >= 0 && (next < 0 || open < next), "section '" + section + "' has no ```java block");
    int start = open + "```java\n".length();
    return markdown.substring(start, markdown.indexOf("\n```", start) + 1);
  }
}
