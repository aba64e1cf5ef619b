package io.crmkpi.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an s3:// target may name, refused before any request (the server side: ExportCommandS3Test). */
class LakeS3Test {

  @Test
  void badBucketsAndEscapingPrefixesAreRefused() {
    assertTrue(LakeS3.isS3("S3://lake/crm"));
    assertFalse(LakeS3.isS3("/tmp/s3://x"));
    assertEquals("s3://Lake_1/crm: 'Lake_1' is not a bucket name (3-63 lower-case letters, digits, dots, hyphens)",
        assertThrows(LakeException.class, () -> LakeS3.open("s3://Lake_1/crm", null, Map.of())).getMessage());
    assertEquals("s3://lake/crm/../../etc: the prefix may not contain . or .. segments",
        assertThrows(LakeException.class, () -> LakeS3.open("s3://lake/crm/../../etc", null, Map.of())).getMessage());
  }
}
