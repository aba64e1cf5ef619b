package io.crmkpi.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The demo's calendar on dates worked out by hand (June 2025: the 12th a holiday, the 14th a Saturday). */
class DemoCalendarTest {

  private static long at(String t) {
    return LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC);
  }

  private static long day(String d) {
    return LocalDate.parse(d).toEpochDay();
  }

  @Test
  void holidaysAndWorkingDays() {
    assertTrue(DemoCalendar.holiday(LocalDate.parse("2025-01-07")));
    assertTrue(DemoCalendar.holiday(LocalDate.parse("2025-02-23")));
    assertTrue(DemoCalendar.holiday(LocalDate.parse("2025-11-04")));
    assertFalse(DemoCalendar.holiday(LocalDate.parse("2025-01-09")));
    assertTrue(DemoCalendar.workingDay(day("2025-06-13")));   // Friday
    assertFalse(DemoCalendar.workingDay(day("2025-06-14")));  // Saturday
    assertFalse(DemoCalendar.workingDay(day("2025-06-12")));  // Thursday, Russia Day
  }

  @Test
  void dayWeights() {
    assertEquals(1.0, DemoCalendar.dayWeight(day("2025-06-13")));
    assertEquals(0.25, DemoCalendar.dayWeight(day("2025-06-15")));         // Sunday
    assertEquals(0.15, DemoCalendar.dayWeight(day("2025-01-03")));         // Friday in the New Year break
    assertEquals(1.25, DemoCalendar.dayWeight(day("2025-12-10")));         // Wednesday before Christmas orders
    assertEquals(0.35 * 1.25, DemoCalendar.dayWeight(day("2025-12-13")));  // a December Saturday
    assertEquals(0.6, DemoCalendar.dayWeight(day("2025-12-30")));          // the last days of the year
    assertEquals(0.85, DemoCalendar.dayWeight(day("2025-07-15")));         // summer
  }

  @Test
  void nextOpeningSkipsNightsWeekendsAndHolidays() {
    assertEquals(at("2025-06-16T09:00:00"), DemoCalendar.nextOpening(at("2025-06-13T20:00:00")));
    assertEquals(at("2025-06-13T09:00:00"), DemoCalendar.nextOpening(at("2025-06-12T10:00:00")));
    assertEquals(at("2025-06-16T09:00:00"), DemoCalendar.nextOpening(at("2025-06-16T07:00:00")));
    assertEquals(at("2025-01-09T09:00:00"), DemoCalendar.nextOpening(at("2024-12-31T23:00:00")));
  }

  @Test
  void answersComeInWorkingHoursOnly() {
    SplittableRandom rng = new SplittableRandom(1);
    for (String created : new String[] {"2025-06-13T18:55:00", "2025-06-14T11:00:00", "2025-06-12T10:00:00",
        "2025-06-16T03:00:00"}) {
      long c = at(created);
      for (int i = 0; i < 500; i++) {
        long a = DemoCalendar.answer(c, 20 * 60, rng);
        assertTrue(a > c, created);
        assertTrue(DemoCalendar.open(a), created + " answered at "
            + LocalDateTime.ofEpochSecond(a, 0, ZoneOffset.UTC));
      }
    }
    // a Saturday request waits for Monday morning: at least 9:01 on the 16th
    assertTrue(DemoCalendar.answer(at("2025-06-14T11:00:00"), 60, rng) >= at("2025-06-16T09:01:00"));
  }
}
