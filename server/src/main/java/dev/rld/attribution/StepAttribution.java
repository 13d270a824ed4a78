package dev.rld.attribution;

/**
 * Attributions of one step for every target: {@code raw[target][feature]}. Targets are the
 * policy's outputs in order (actions of a Discrete space, the concatenated sub-actions of a
 * MultiDiscrete one, the dimensions of a Box one); {@code values[target]} is what is explained
 * (probability, logit or action mean) at the step's observation, and {@code probabilities} the
 * policy's action probabilities there (null for continuous actions).
 */
public record StepAttribution(int step, double[] probabilities, double[] values, double[][] raw) {}
