package io.crmkpi.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code manifest.json} at the export root, written last: what was exported (crmkpi and schema
 * version, the source with secrets masked, when the store was loaded, the reporting time zone), and
 * per table its columns with types, row count and partitions, each with its row count and content
 * fingerprint. The next export compares fingerprints to rewrite only what changed.
 */
record LakeManifest(String format, int formatVersion, String crmkpiVersion, int schemaVersion, String source,
                    String loadedAt, String exportedAt, String timezone, Partitioning partitioning,
                    List<TableEntry> tables) {

  static final String FILE = "manifest.json";
  static final String FORMAT = "crmkpi-lake";
  static final int FORMAT_VERSION = 1;

  /** How fact tables are partitioned (one rule for all of them). */
  record Partitioning(String key, String value, String nullValue, String layout) {
    static Partitioning standard() {
      return new Partitioning(LakeTable.PARTITION_KEY, "YYYY-MM of the table's partitioned_by column",
          LakeTable.NULL_PARTITION, "<table>/" + LakeTable.PARTITION_KEY + "=<value>/<file>.parquet");
    }
  }

  /** One table: {@code path} is its folder under the root; {@code partitionedBy} null for a one-file table. */
  record TableEntry(String name, String path, String partitionedBy, List<LakeTable.LakeColumn> columns, long rows,
                    List<PartitionEntry> partitions) {
  }

  /** One partition (or a one-file table's file set): {@code partMonth} null for a one-file table. */
  record PartitionEntry(String partMonth, String path, long rows, String fingerprint) {
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The manifest at {@code root}, empty when there is none; a file that is no crmkpi manifest throws. */
  static Optional<LakeManifest> read(Path root) throws LakeException {
    Path file = root.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(Files.readAllBytes(file), file.toString()));
    } catch (IOException e) {
      throw new LakeException(file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** A manifest from its bytes ({@code where} names it in errors). */
  static LakeManifest parse(byte[] json, String where) throws LakeException {
    try {
      LakeManifest m = JSON.readValue(json, LakeManifest.class);
      if (!FORMAT.equals(m.format())) {
        throw new LakeException(where + ": not a crmkpi export manifest (format is not " + FORMAT + ")");
      }
      return m;
    } catch (JsonProcessingException e) {
      throw new LakeException(where + ": not a crmkpi export manifest (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new LakeException(where + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** Writes the manifest to a temporary name, then moves it over the old one. */
  void write(Path root) throws IOException {
    Path tmp = root.resolve(FILE + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The text of the manifest (what {@link #write} writes). */
  String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fingerprint per partition path (relative to the root), over every table. */
  Map<String, String> fingerprints() {
    Map<String, String> out = new HashMap<>();
    for (TableEntry t : tables) {
      for (PartitionEntry p : t.partitions()) {
        out.put(p.path(), p.fingerprint());
      }
    }
    return out;
  }
}
