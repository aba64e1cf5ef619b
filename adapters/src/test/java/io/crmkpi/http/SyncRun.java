package io.crmkpi.http;

/**
 * One benchmarked full sync: requests sent vs the fewest the API allows for the data (records per
 * entity / the API's largest page, plus fixed calls), and wall time vs the rate-limit bound
 * (the time the CRM's published limit needs for that many requests); then the requests and time of
 * a second sync of the unchanged account into the same store.
 */
public record SyncRun(String crm, long records, long requests, long minimum, double seconds, double boundSeconds,
    String detail, long secondRequests, double secondSeconds) {

  public double requestRatio() {
    return (double) requests / minimum;
  }

  public double timeRatio() {
    return boundSeconds <= 0 ? Double.NaN : seconds / boundSeconds;
  }

  public static long pages(long records, int pageSize) {
    return Math.max(1, (records + pageSize - 1) / pageSize);
  }
}
