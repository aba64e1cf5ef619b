package io.crmkpi.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Masking removes the secret in every form it travels in, and nothing around it. */
class SecretMaskTest {

  @Test
  void theWordsAroundASecretStay() {
    SecretMask m = SecretMask.of(List.of("pat-na1-0123"));
    assertEquals("HubSpot: token=*** was refused (401); set token=<private app access token>; see docs/sources",
        m.apply("HubSpot: token=pat-na1-0123 was refused (401); set token=<private app access token>; see docs/sources"));
  }

  @Test
  void urlEncodedAndJsonEscapedForms() {
    String webhook = "https://portal.example/rest/1/a+b c\"d/";
    SecretMask m = SecretMask.of(List.of(webhook));
    assertEquals("GET ?hook=*** failed", m.apply("GET ?hook=https%3A%2F%2Fportal.example%2Frest%2F1%2Fa%2Bb+c%22d%2F failed"));
    assertEquals("GET ?hook=*** failed",
        m.apply("GET ?hook=https%3A%2F%2Fportal.example%2Frest%2F1%2Fa%2Bb%20c%22d%2F failed"));
    assertEquals("{\"hook\":\"***\"}", m.apply("{\"hook\":\"https://portal.example/rest/1/a+b c\\\"d/\"}"));
    assertEquals("{\"hook\":\"***\"}",
        m.apply("{\"hook\":\"https:\\/\\/portal.example\\/rest\\/1\\/a+b c\\\"d\\/\"}"));
  }

  @Test
  void credentialsInsideAnyUrl() {
    SecretMask none = SecretMask.of(List.of());
    assertEquals("cannot reach http://***@h:8080/api (refused)", none.apply("cannot reach http://u:p@h:8080/api (refused)"));
    assertEquals("base_url=https://***@example.com/", none.apply("base_url=https://admin:s3cr%40t@example.com/"));
    assertEquals("mail me at a@b.c", none.apply("mail me at a@b.c"));
  }

  @Test
  void shortValuesAreNotSecrets() {
    assertEquals("the abc of it", SecretMask.of(List.of("abc", " ")).apply("the abc of it"));
    assertNull(SecretMask.of(List.of("abcd")).apply(null));
  }
}
