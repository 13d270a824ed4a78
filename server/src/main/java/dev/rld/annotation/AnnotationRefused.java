package dev.rld.annotation;

/** An annotation change that cannot be made; {@link #reason()} says which kind of refusal it is. */
public final class AnnotationRefused extends RuntimeException {
  /** Why a change was refused. */
  public enum Reason {
    /** The sidecar's folder cannot (or may not) be written. */
    READ_ONLY,
    /** The sidecar exists but is not an annotations file; it is left as it is. */
    CORRUPT,
    /** The recording holds the most annotations one may. */
    FULL,
    /** No annotation has the id given. */
    UNKNOWN,
    /** Writing failed for another reason (a full disk). */
    FAILED
  }

  private final Reason reason;

  AnnotationRefused(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
