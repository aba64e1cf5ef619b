package io.crmkpi.http;

import io.crmkpi.source.SourceException;

/**
 * A CRM API call failed for good. The message names the request (method and path, never a secret or
 * a query string) and says what to do; {@link #status()} is the HTTP status (0 = no response).
 * Causes are never chained, because a library exception may quote a URL with a secret in it.
 */
public class ApiException extends SourceException {

  private final int status;
  private final String errorCode;

  public ApiException(String message, int status, String errorCode) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  /** The CRM's own error code (e.g. {@code QUERY_LIMIT_EXCEEDED}, {@code insufficient_scope}) or null. */
  public String errorCode() {
    return errorCode;
  }
}
