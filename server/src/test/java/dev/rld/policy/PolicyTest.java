package dev.rld.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PolicyTest {
  @Test
  void lambdaPoliciesNeverShareAFingerprint() {
    Policy a = Policy.of(1, 1, Policy.Output.ACTIONS, (x, n) -> x.clone());
    Policy b = Policy.of(1, 1, Policy.Output.ACTIONS, (x, n) -> x.clone());
    assertEquals(a.getClass(), b.getClass(), "the same class, possibly different weights");
    assertNotEquals(a.fingerprint(), b.fingerprint());
    assertEquals(a.fingerprint(), a.fingerprint());
  }

  @Test
  void perObservationPoliciesAreBatchedAndCheckedForSize() {
    Policy doubled = Policy.ofObservation(2, 2, Policy.Output.ACTIONS, x -> new float[] {2 * x[0], 2 * x[1]});
    assertArrayEquals(new float[] {2, 4, 6, 8}, doubled.evaluate(new float[] {1, 2, 3, 4}, 2));
    Policy wrong = Policy.of(2, 3, Policy.Output.LOGITS, (x, n) -> new float[n]);
    var e = assertThrows(IllegalStateException.class, () -> wrong.evaluate(new float[4], 2));
    assertEquals("the policy returned 2 values for 2 observations; expected 6", e.getMessage());
  }
}
