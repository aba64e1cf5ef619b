package io.crmkpi.source;

/** A source could not be read: the message names the place (file:line, API request) and what to do. */
public class SourceException extends Exception {

  public SourceException(String message) {
    super(message);
  }

  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
