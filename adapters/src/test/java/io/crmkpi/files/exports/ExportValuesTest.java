package io.crmkpi.files.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportValuesTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private final ExportValues ru = new ExportValues(',', null, List.of(), UTC, UTC, true);
  private final ExportValues us = new ExportValues('.', null, List.of(), UTC, UTC, false);

  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void numbersInEveryLocaleSpelling() {
    assertEquals(d("1000.50"), ru.decimal("1 000,50").orElseThrow());
    assertEquals(d("1000"), ru.decimal("1\u00A0000").orElseThrow());
    assertEquals(d("1500000.00"), ru.decimal("1\u202F500\u202F000,00").orElseThrow());
    assertEquals(d("1500"), ru.decimal("1.500").orElseThrow()); // '.' then 3 digits is grouping in a ',' file
    assertEquals(d("1.500"), ru.decimal("1,500").orElseThrow());
    assertEquals(d("1500"), us.decimal("1,500").orElseThrow());
    assertEquals(d("11015.0"), us.decimal("11015.0").orElseThrow());
    assertEquals(d("-20.5"), us.decimal("(20.5)").orElseThrow());
    assertEquals(new ExportValues.Money(d("1500.00"), "USD"), us.money("$1,500.00").orElseThrow());
    assertEquals(new ExportValues.Money(d("1000"), "RUB"), ru.money("1 000 руб.").orElseThrow());
    assertEquals(new ExportValues.Money(d("8000.00"), "USD"), us.money("USD 8,000.00").orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> us.decimal("1,50,0"));
    assertThrows(IllegalArgumentException.class, () -> us.money("12abc"));
    assertEquals("RUB", ExportValues.currency("Российский рубль").orElseThrow());
  }

  @Test
  void datesTimesSerialsAndZones() {
    assertEquals(LocalDateTime.of(2024, 3, 5, 10, 15, 7), ru.dateTime("05.03.2024 10:15:07").orElseThrow());
    assertEquals(LocalDateTime.of(2023, 4, 3, 14, 30), us.dateTime("2023-04-03 14:30").orElseThrow());
    assertEquals(LocalDateTime.of(2024, 1, 15, 22, 0), us.dateTime("01/15/2024 10:00 pm").orElseThrow());
    assertEquals(LocalDateTime.of(2024, 1, 5, 0, 0), us.dateTime("1/5/2024").orElseThrow());
    assertEquals(LocalDateTime.of(2024, 5, 1, 0, 0), ru.dateTime("1/5/2024").orElseThrow());
    assertEquals(LocalDateTime.of(2024, 5, 4, 12, 0), us.dateTime("45416.5").orElseThrow());
    assertEquals(LocalDateTime.of(2024, 8, 30, 12, 29), us.dateTime("2024-08-30T14:29:00+02:00").orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> ru.dateTime("31.02.2024 10:00"));
    // Moscow wall clock into UTC, but a bare date is never shifted
    ExportValues msk = new ExportValues('.', null, List.of(), ZoneId.of("Europe/Moscow"), UTC, false);
    assertEquals(LocalDateTime.of(2024, 3, 5, 7, 15), msk.dateTime("2024-03-05 10:15").orElseThrow());
    assertEquals(LocalDateTime.of(2024, 3, 5, 0, 0), msk.dateTime("2024-03-05").orElseThrow());
  }

  @Test
  void encodings() {
    String text = "Сделка;Société";
    assertEquals("windows-1251", ExportText.decode("Сделка;Бюджет".getBytes(ExportText.CP1251)).charset().name());
    assertEquals("windows-1252", ExportText.decode("Société Générale".getBytes(ExportText.WINDOWS_1252))
        .charset().name());
    ExportText.Decoded le = ExportText.decode(concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
        text.getBytes(StandardCharsets.UTF_16LE)));
    assertEquals(text, le.text());
    assertEquals(text, ExportText.decode(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        text.getBytes(StandardCharsets.UTF_8))).text());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
