package io.crmkpi.lake;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An export to an object store ({@code s3://bucket/prefix}, AWS S3 or any S3-compatible server): the
 * export is written into a local folder as usual, then mirrored — the files of every partition whose
 * fingerprint differs from the bucket's own {@code manifest.json} are uploaded, the objects of
 * partitions gone are deleted, and the manifest is uploaded last. Credentials and region come from
 * the AWS SDK's standard chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION, profiles,
 * instance roles); an endpoint (MinIO, Ceph, a local server) from {@code --s3-endpoint} or
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, addressed path-style.
 */
public final class LakeS3 implements AutoCloseable {

  /** What one mirror did: objects uploaded and deleted. */
  public record Result(int uploaded, int deleted, int unchanged) {
  }

  private final S3Client s3;
  private final String uri;
  private final String bucket;
  private final String prefix;

  private LakeS3(S3Client s3, String uri, String bucket, String prefix) {
    this.s3 = s3;
    this.uri = uri;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** True for an {@code s3://} URI. */
  public static boolean isS3(String target) {
    return target.regionMatches(true, 0, "s3://", 0, 5);
  }

  /** A client for {@code uri} ({@code s3://bucket[/prefix]}); {@code endpoint} null: the environment's or AWS's. */
  public static LakeS3 open(String uri, String endpoint, Map<String, String> env) throws LakeException {
    String rest = uri.substring(5);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new LakeException(uri + ": '" + bucket + "' is not a bucket name (3-63 lower-case letters, digits, dots, "
          + "hyphens)");
    }
    if (java.util.Arrays.asList(prefix.split("/")).stream().anyMatch(seg -> seg.equals(".") || seg.equals(".."))) {
      throw new LakeException(uri + ": the prefix may not contain . or .. segments");
    }
    String ep = endpoint != null ? endpoint : env.getOrDefault("AWS_ENDPOINT_URL_S3", env.get("AWS_ENDPOINT_URL"));
    Region region;
    try {
      region = new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      region = Region.US_EAST_1; // S3's default; a custom endpoint ignores it
    }
    try {
      var b = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(region);
      if (ep != null && !ep.isBlank()) {
        // S3-compatible servers: path-style, and the checksums only where S3 requires them (the SDK's
        // default trailing checksums and chunk-signed bodies are aws-chunked, which such servers may store as
        // they came: s3rver does)
        b.endpointOverride(URI.create(ep.strip())).forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
      }
      return new LakeS3(b.build(), uri, bucket, prefix);
    } catch (SdkException | IllegalArgumentException e) {
      throw new LakeException(uri + ": " + e.getMessage());
    }
  }

  /**
   * Refuses a prefix that holds objects but no crmkpi manifest (unless {@code force}); the bucket's
   * fingerprints per partition path otherwise (empty for a new prefix).
   */
  public Map<String, String> remoteFingerprints(boolean force) throws LakeException {
    Optional<LakeManifest> remote;
    try {
      ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key(LakeManifest.FILE)));
      remote = Optional.of(LakeManifest.parse(bytes.asByteArray(), uri + "/" + LakeManifest.FILE));
    } catch (NoSuchKeyException e) {
      remote = Optional.empty();
    } catch (LakeException e) {
      if (!force) {
        throw new LakeException(e.getMessage() + "; pass --force to export into " + uri + " anyway");
      }
      return Map.of();
    } catch (SdkException e) {
      throw error("GET " + key(LakeManifest.FILE), e);
    }
    if (remote.isPresent()) {
      return remote.get().fingerprints();
    }
    if (!force && !list(prefix.isEmpty() ? "" : prefix + "/", 1).isEmpty()) {
      throw new LakeException(uri + ": the prefix holds objects but no crmkpi export (no " + LakeManifest.FILE
          + "); export to a new or empty prefix, or pass --force to write into this one");
    }
    return Map.of();
  }

  /**
   * Mirrors the export in {@code local} (its manifest just written) to the bucket: the partitions whose
   * fingerprint differs from {@code remote}'s, deletions, then the manifest.
   */
  public Result mirror(Path local, Map<String, String> remote, Consumer<String> progress) throws LakeException {
    LakeManifest manifest = LakeManifest.read(local).orElseThrow(
        () -> new LakeException(local + ": no " + LakeManifest.FILE + " to upload"));
    Map<String, String> now = manifest.fingerprints();
    int uploaded = 0;
    int deleted = 0;
    int unchanged = 0;
    for (Map.Entry<String, String> p : now.entrySet()) {
      if (p.getValue().equals(remote.get(p.getKey()))) {
        unchanged++;
        continue;
      }
      Set<String> names = new HashSet<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(local.resolve(p.getKey()), "*.parquet")) {
        for (Path f : files) {
          String k = key(p.getKey() + "/" + f.getFileName());
          names.add(k);
          put(k, f);
          uploaded++;
        }
      } catch (IOException e) {
        throw new LakeException(local.resolve(p.getKey()) + ": " + LakeExport.reason(e));
      }
      for (String k : objectsIn(p.getKey())) {
        if (!names.contains(k)) {
          delete(k);
          deleted++;
        }
      }
    }
    for (String gone : remote.keySet()) {
      if (!now.containsKey(gone)) {
        for (String k : objectsIn(gone)) {
          delete(k);
          deleted++;
        }
      }
    }
    put(key(LakeManifest.FILE), local.resolve(LakeManifest.FILE));
    progress.accept("export: " + uri + ": " + uploaded + " files uploaded, " + deleted + " deleted, " + unchanged
        + " partitions unchanged");
    return new Result(uploaded, deleted, unchanged);
  }

  /** Parquet objects directly in a partition's (or one-file table's) folder. */
  private List<String> objectsIn(String path) throws LakeException {
    List<String> out = new ArrayList<>();
    for (String k : list(key(path) + "/", Integer.MAX_VALUE)) {
      String name = k.substring(key(path).length() + 1);
      if (!name.contains("/") && name.endsWith(".parquet")) {
        out.add(k);
      }
    }
    return out;
  }

  private List<String> list(String keyPrefix, int max) throws LakeException {
    List<String> out = new ArrayList<>();
    try {
      for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(keyPrefix)).contents()) {
        out.add(o.key());
        if (out.size() >= max) {
          break;
        }
      }
    } catch (SdkException e) {
      throw error("LIST " + keyPrefix, e);
    }
    return out;
  }

  private void put(String key, Path file) throws LakeException {
    try {
      s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw error("PUT " + key, e);
    }
  }

  private void delete(String key) throws LakeException {
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw error("DELETE " + key, e);
    }
  }

  private String key(String path) {
    return prefix.isEmpty() ? path : prefix + "/" + path;
  }

  /** One line naming the request: S3's own error code and message, or why the endpoint was not reached. */
  private LakeException error(String request, SdkException e) {
    String why;
    if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
      why = s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage() + " (HTTP " + s.statusCode() + ")";
    } else {
      why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
    return new LakeException(uri + ": " + request + " in bucket " + bucket + " failed: " + why, e);
  }

  @Override
  public void close() {
    s3.close();
  }
}
