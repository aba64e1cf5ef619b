package io.crmkpi.files.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StableIdsTest {

  @Test
  void namesWrittenDifferentlyGetOneId() {
    // case, spacing, ё, dashes and NBSP: one name (the ids of amoCRM/Bitrix24 users and stages)
    String id = StableIds.of("user", "Пётр Иванов-Сидоров");
    assertEquals(id, StableIds.of("user", "  петр  ИВАНОВ\u2013сидоров\u00A0"));
    assertEquals(id, StableIds.of("user", "ПЕТР иванов-сидоров"));
    assertEquals("петр иванов-сидоров", StableIds.normalize("Пётр Иванов-Сидоров"));
    assertTrue(id.matches("user-[0-9a-f]{12}"), id);
  }

  @Test
  void theShortcutForPlainNamesGivesWhatTheFullNormalisationGives() {
    List<String> names = List.of("Acme Inc.", "ООО «Ромашка»", "Ёлка-Палка", "Сделка успешна", "ЙОГУРТ",
        "Closed won", "x", "Über GmbH", "Ĳssel", "İstanbul", "Σίσυφος", "e\u0301clair", "a  b", " lead", "Ё",
        "Пётр\u00A0Иванов", "Заказ №7", "A\u2014B");
    for (String n : names) {
      assertEquals(StableIds.normalizeFully(n), StableIds.normalize(n), n);
    }
    // the shortcut takes ASCII and Cyrillic words only (« » are not Cyrillic: the full path)
    assertTrue(StableIds.plain("Сделка успешна"));
    assertTrue(StableIds.plain("Acme Inc."));
    assertFalse(StableIds.plain("ООО «Ромашка»"));
    assertFalse(StableIds.plain("e\u0301clair"));
    assertFalse(StableIds.plain("a  b"));
    assertFalse(StableIds.plain("Über GmbH"));
  }
}
