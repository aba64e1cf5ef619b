package io.crmkpi.bitrix24;

import static io.crmkpi.amocrm.AmoCrmSyncTestSupport.assertNoSecret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkpi.http.FakeApiServer;
import io.crmkpi.http.ScaledClock;
import io.crmkpi.http.TokenFile;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OAuth against the fake portal and token endpoint on 127.0.0.1, through the factory's properties. */
class Bitrix24OAuthTest {

  private final ScaledClock clock = new ScaledClock(50);

  private static Map<String, String> props(FakeBitrix24Server server, String refresh, Path tokenFile) {
    Map<String, String> p = new HashMap<>();
    p.put("timezone", Bitrix24SyncTest.ZONE.getId());
    p.put("sync_overlap", "0");
    p.put("client_id", FakeBitrix24Server.CLIENT_ID);
    p.put("client_secret", FakeBitrix24Server.CLIENT_SECRET);
    p.put("refresh_token", refresh);
    p.put("oauth_url", server.base().resolve("/oauth/token/").toString());
    p.put("rest_url", server.base().resolve("/rest").toString()); // the trailing slash is added
    if (tokenFile != null) {
      p.put("token_file", tokenFile.toString());
    }
    return p;
  }

  private void sync(Map<String, String> props, Store store) throws Exception {
    SourceContext ctx = SourceContext.of(props);
    Bitrix24SourceFactory.create("portal.bitrix24.ru", ctx, clock, Bitrix24SyncTest.FAST).load(store, ctx);
  }

  private static List<FakeApiServer.Call> rest(FakeBitrix24Server server) {
    return server.log().stream().filter(c -> c.path().startsWith("/rest/")).toList();
  }

  private static List<FakeApiServer.Call> tokenCalls(FakeBitrix24Server server) {
    return server.log().stream().filter(c -> c.path().equals("/oauth/token/")).toList();
  }

  private static String auth(FakeApiServer.Call c) throws Exception {
    return FakeBitrix24Server.M.readTree(c.body()).path("auth").asText();
  }

  @Test
  void accessTokenExpiringMidSyncIsRefreshedRetriedAndTheRotatedPairPersisted(@TempDir Path dir) throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 5, 3000); Store store = Store.inMemory()) {
      String initial = server.startOAuth(2); // every access token serves 2 requests, then 401 expired_token
      Map<String, String> p = props(server, initial, dir.resolve("b24-tokens.json"));
      String firstAccess = server.issueAccess();
      p.put("access_token", firstAccess);
      long before = System.currentTimeMillis() / 1000;
      sync(p, store);

      long n = Bitrix24SyncTest.expectedCalls(Bitrix24SyncTest.lists(server));
      assertTrue(n >= 4, "enough calls to outlive two tokens: " + n);
      // n answered requests, 2 per token: the first token from the properties, then one refresh per
      // further token, each caused by exactly one 401 (no proactive refresh: expires_in is an hour)
      long refreshes = (n + 1) / 2 - 1;
      assertEquals(refreshes, server.refreshes);
      assertEquals(refreshes, server.expiredAnswers);
      assertEquals(n + refreshes, rest(server).size(), "each 401 retried once");
      assertEquals(firstAccess, auth(rest(server).get(0)));
      // the refresh after each 401 used the refresh token issued by the previous one
      List<String> sent = new ArrayList<>();
      for (FakeApiServer.Call c : tokenCalls(server)) {
        sent.add(c.q("refresh_token"));
      }
      assertEquals(server.issuedRefresh.subList(0, (int) refreshes), sent);
      Bitrix24SyncTest.assertPortalEqualsStore(server, store, Set.of());

      JsonNode saved = FakeBitrix24Server.M.readTree(Files.readString(dir.resolve("b24-tokens.json")));
      assertEquals(server.refreshToken, saved.get("refresh_token").asText(), "the newest refresh token is stored");
      String lastAccess = auth(rest(server).get(rest(server).size() - 1));
      assertEquals(lastAccess, saved.get("access_token").asText());
      long expiresAt = saved.get("expires_at").asLong();
      assertTrue(expiresAt >= before + 3600 && expiresAt <= System.currentTimeMillis() / 1000 + 3600, "" + expiresAt);
      try (var files = Files.list(dir)) {
        assertEquals(List.of("b24-tokens.json"), files.map(f -> f.getFileName().toString()).toList(), "no temp file left");
      }
    }
  }

  @Test
  void thePersistedPairIsUsedOnTheNextConnectNotTheUsedUpProperty(@TempDir Path dir) throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 6, 400); Store store = Store.inMemory()) {
      String initial = server.startOAuth(2);
      Path file = dir.resolve("tokens.json");
      Map<String, String> p = props(server, initial, file);
      sync(p, store); // no access token: the first thing is a refresh with the property's token
      assertEquals(List.of(initial), tokenCalls(server).stream().map(c -> c.q("refresh_token")).toList());
      assertEquals(3, server.log().size(), "a refresh and the 2 calls of a 400-deal sync, no 401");
      String savedAccess = TokenFile.read(file).orElseThrow().access();
      String savedRefresh = TokenFile.read(file).orElseThrow().refresh();
      int logBefore = server.log().size();
      int refreshesBefore = server.refreshes;

      server.now += 3600;
      server.win(7);
      sync(p, store); // same properties: refresh_token= is used up by now
      List<FakeApiServer.Call> second = server.log().subList(logBefore, server.log().size());
      assertEquals("/rest/batch", second.get(0).path());
      assertEquals(savedAccess, auth(second.get(0)), "the saved access token, not a refresh first");
      List<String> refreshedWith = second.stream().filter(c -> c.path().equals("/oauth/token/"))
          .map(c -> c.q("refresh_token")).toList();
      // run 1 used up the saved access token's 2 requests: 401, a refresh with the SAVED refresh token, retry
      assertEquals(List.of(savedRefresh), refreshedWith, "the saved refresh token, not the property's used-up one");
      assertEquals(3, second.size());
      assertEquals(refreshesBefore + 1, server.refreshes, "the refresh was accepted");
      assertEquals(1, server.expiredAnswers);
      assertEquals(server.refreshToken, TokenFile.read(file).orElseThrow().refresh());
      Bitrix24SyncTest.assertPortalEqualsStore(server, store, Set.of());
    }
  }

  @Test
  void aTokenFileThatRunsOutWithinAMinuteIsRefreshedBeforeTheFirstCall(@TempDir Path dir) throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 7, 60); Store store = Store.inMemory()) {
      server.startOAuth(100);
      String stillValid = server.issueAccess();
      Path file = dir.resolve("t.json");
      TokenFile.write(file, new TokenFile.Tokens(stillValid, server.refreshToken, System.currentTimeMillis() / 1000 + 30));
      sync(props(server, "ignored-because-the-file-is-newer", file), store);
      assertEquals(1, server.refreshes);
      assertEquals(0, server.expiredAnswers);
      assertEquals("/oauth/token/", server.log().get(0).path(), "refreshed before the first REST call");
      assertFalse(auth(rest(server).get(0)).equals(stillValid));
      Bitrix24SyncTest.assertPortalEqualsStore(server, store, Set.of());
    }
  }

  @Test
  void anOldRefreshTokenIsRejectedWithAdviceAndNoSecret(@TempDir Path dir) throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 8, 60); Store store = Store.inMemory()) {
      String initial = server.startOAuth(100);
      sync(props(server, initial, dir.resolve("a.json")), store); // rotates: initial is now invalid
      assertEquals(1, server.refreshes);
      // another machine without the token file still has the old refresh token
      SourceException e = assertThrows(SourceException.class,
          () -> sync(props(server, initial, dir.resolve("b.json")), Store.inMemory()));
      assertTrue(e.getMessage().startsWith("Bitrix24 OAuth: refresh token rejected (expired after 180 days or revoked); "
          + "re-authorise the app and set refresh_token="), e.getMessage());
      assertTrue(e.getMessage().contains("HTTP 400 invalid_grant"), e.getMessage());
      assertEquals(1, server.refreshes);
      List<String> secrets = new ArrayList<>(server.issuedRefresh);
      secrets.addAll(server.accessTokens.keySet());
      secrets.add(FakeBitrix24Server.CLIENT_SECRET);
      assertNoSecret(e, secrets.toArray(String[]::new));
      assertFalse(Files.exists(dir.resolve("b.json")), "nothing saved from a failed refresh");
    }
  }

  @Test
  void webhookWinsOverOAuthPropertiesAndWorksAsBefore() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 10, 120); Store store = Store.inMemory()) {
      Map<String, String> p = props(server, "5e1a00000000000000", null);
      p.put("webhook", server.base().resolve("/rest/1/" + FakeBitrix24Server.CODE + "/crm.deal.list.json").toString());
      sync(p, store);
      assertEquals(0, tokenCalls(server).size());
      assertTrue(server.log().stream().allMatch(c -> c.path().equals("/rest/1/" + FakeBitrix24Server.CODE + "/batch")));
      Bitrix24SyncTest.assertPortalEqualsStore(server, store, Set.of());
    }
  }

  @Test
  void propertiesAreCheckedBeforeAnyRequest() throws Exception {
    try (FakeBitrix24Server server = new FakeBitrix24Server(clock, 9, 10)) {
      Map<String, String> p = props(server, "5e1a0123456789", null);
      p.remove("client_secret");
      SourceException e = assertThrows(SourceException.class,
          () -> Bitrix24SourceFactory.create("x.bitrix24.ru", SourceContext.of(p), clock, Bitrix24SyncTest.FAST));
      assertTrue(e.getMessage().contains("client_secret="), e.getMessage());
      assertNoSecret(e, "5e1a0123456789");
      SourceException none = assertThrows(SourceException.class,
          () -> Bitrix24SourceFactory.create("x.bitrix24.ru", SourceContext.of(Map.of()), clock, Bitrix24SyncTest.FAST));
      assertTrue(none.getMessage().contains("webhook=") && none.getMessage().contains("refresh_token"), none.getMessage());
      assertEquals(0, server.log().size());
    }
  }
}
