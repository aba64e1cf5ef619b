package io.crmkpi.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Taking an export folder: one export at a time, never a file, a foreign manifest only with force. */
class LakeExportTest {

  @TempDir
  Path tmp;

  @Test
  void aSecondExportIntoTheSameFolderIsRefusedWhileTheFirstHoldsIt() throws Exception {
    Path root = tmp.resolve("lake");
    try (LakeExport first = LakeExport.open(root, false)) {
      assertEquals(root.resolve(".crmkpi-staging"), first.staging());
      assertTrue(Files.isDirectory(first.staging()));
      LakeException e = assertThrows(LakeException.class, () -> LakeExport.open(root, false));
      assertEquals(root + ": another crmkpi export is writing into this folder now", e.getMessage());
    }
    // released and the staging folder gone: the next one may take it
    assertTrue(Files.notExists(root.resolve(".crmkpi-staging")));
    try (LakeExport next = LakeExport.open(root, false)) {
      assertTrue(Files.isDirectory(next.staging()));
    }
  }

  @Test
  void aFileIsNoFolderAndAForeignManifestNeedsForce() throws Exception {
    Path file = Files.writeString(tmp.resolve("lake.txt"), "x");
    assertEquals(file + ": not a folder",
        assertThrows(LakeException.class, () -> LakeExport.open(file, true)).getMessage());

    Path root = Files.createDirectory(tmp.resolve("other"));
    Files.writeString(root.resolve("manifest.json"), "{\"format\": \"delta\"}");
    assertEquals(root.resolve("manifest.json") + ": not a crmkpi export manifest (format is not crmkpi-lake); pass "
        + "--force to export into " + root + " anyway",
        assertThrows(LakeException.class, () -> LakeExport.open(root, false)).getMessage());
    try (LakeExport forced = LakeExport.open(root, true)) {
      assertTrue(Files.isDirectory(forced.staging()));
    }
  }
}
