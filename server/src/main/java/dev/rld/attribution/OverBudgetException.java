package dev.rld.attribution;

/**
 * A computation refused for what it would cost, not for being wrong: one step's perturbations
 * would not fit the attributor's memory budget. The message names the cheaper request to make.
 */
public final class OverBudgetException extends IllegalArgumentException {
  public OverBudgetException(String message) {
    super(message);
  }
}
