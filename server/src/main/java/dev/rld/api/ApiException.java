package dev.rld.api;

import java.util.Map;

/**
 * A request the API refuses: the HTTP status, a message naming what was wrong, and optional
 * details (machine-readable, e.g. the cost and the limit of a 413) and response headers.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final Map<String, Object> details;
  private final Map<String, String> headers;

  public ApiException(int status, String message) {
    this(status, message, Map.of(), Map.of());
  }

  ApiException(int status, String message, Map<String, Object> details, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.details = details;
    this.headers = headers;
  }

  public int status() {
    return status;
  }

  /** Fields the JSON error carries beside {@code error}. */
  public Map<String, Object> details() {
    return details;
  }

  /** Headers the refusal carries (Retry-After, Allow). */
  Map<String, String> headers() {
    return headers;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }
}
