package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.samples.envs.CartPoleContinuous;
import dev.rld.samples.envs.CartPoleContinuous.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CMA-ES with a tiny budget: it improves on its starting point, is deterministic, reports progress. */
class TinySearchTest {
  private static final TinySearch.Budget SMALL = new TinySearch.Budget(6, 8, 2, 1.0);

  @Test
  void aFewGenerationsImproveOnTheInitialGuess() throws Exception {
    for (TinyPolicy.Form form : TinyPolicy.Form.values()) {
      TinySearch search = new TinySearch(Task.BALANCE, form, SMALL);
      List<Long> generations = new ArrayList<>();
      search.train(3, TrainingRecorder.none(), (done, total, status) -> generations.add(done));
      CartPoleContinuous env = CartPoleContinuous.balance();
      double start = TinySearch.meanReturn(env, new TinyPolicy(form, new double[form.size()]), 2, 30_000);
      double found = TinySearch.meanReturn(env, search.found(), 2, 30_000);
      assertTrue(found > start, form + ": the search's fitness " + found + " beats the initial guess's " + start);
      assertTrue(!generations.isEmpty() && generations.get(0) == 1, "progress per generation: " + generations);

      TinySearch again = new TinySearch(Task.BALANCE, form, SMALL);
      again.train(3, TrainingRecorder.none(), (d, t, s) -> {});
      assertEquals(search.found(), again.found(), "seeded: the same search finds the same policy");
    }
  }

  @Test
  void theFormsHaveTheirParameterCounts() {
    assertEquals(6, TinyPolicy.Form.LINEAR.size());
    assertEquals(57, TinyPolicy.Form.MLP.size());
    TinyPolicy shipped = TinyPolicy.shipped("CartPoleSwingUp-v0");
    assertEquals(TinyPolicy.Form.MLP, shipped.form());
    assertEquals(TinyPolicy.Form.LINEAR, TinyPolicy.shipped("CartPoleBalance-v0").form());
  }
}
