package dev.rld.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a URI or headers too long, a malformed request, an unknown HTTP
 * version) as the API's JSON errors instead of Jetty's HTML pages. The message is Jetty's
 * reason when it names no class, else the status's reason phrase.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    byte[] body = JSON.writeValueAsBytes(Map.of("error", describe(code, message)));
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** A message safe to show: no Java class names, no stack traces. */
  static String describe(int code, String message) {
    String reason = HttpStatus.getMessage(code);
    if (message == null || message.isBlank() || !Routes.isSafeMessage(message)) {
      return reason;
    }
    return message.equals(reason) ? reason : reason + ": " + message;
  }
}
