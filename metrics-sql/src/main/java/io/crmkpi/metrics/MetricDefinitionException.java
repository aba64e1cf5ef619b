package io.crmkpi.metrics;

/** A definition file is malformed; the message starts with the file it came from. */
public class MetricDefinitionException extends RuntimeException {

  public MetricDefinitionException(String message) {
    super(message);
  }
}
