package io.crmkpi.jdbc;

import io.crmkpi.source.Source;
import io.crmkpi.source.SourceContext;
import io.crmkpi.source.SourceException;
import io.crmkpi.source.SourceFactory;
import io.crmkpi.store.LoadReport;
import io.crmkpi.store.Store;
import io.crmkpi.store.StoreDerivations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/** Test source {@code jdbc:crmkpi:script:<resource>}: runs a SQL script of INSERTs from the test class path. */
public final class ScriptSourceFactory implements SourceFactory {

  @Override
  public String kind() {
    return "script";
  }

  /** A credential, so that tests can check how secrets are masked. */
  @Override
  public java.util.List<io.crmkpi.settings.Setting<?>> settings() {
    return java.util.List.of(io.crmkpi.settings.Setting.of("token", io.crmkpi.settings.SettingType.secret("a token"),
        io.crmkpi.settings.Role.SECRET, null, "a test credential"));
  }

  @Override
  public Source create(String target, SourceContext context) {
    return new Source() {
      @Override
      public String name() {
        return "script";
      }

      @Override
      public LoadReport load(Store store, SourceContext ctx) throws SourceException {
        try (InputStream in = ScriptSourceFactory.class.getClassLoader().getResourceAsStream(target)) {
          if (in == null) {
            throw new SourceException("no test script " + target);
          }
          for (String stmt : new String(in.readAllBytes(), StandardCharsets.UTF_8).split(";\\s*\n")) {
            if (!stmt.isBlank()) {
              store.execute(stmt);
            }
          }
          StoreDerivations.apply(store, ctx.currency());
        } catch (IOException | SQLException e) {
          throw new SourceException(target + ": " + e.getMessage(), e);
        }
        LoadReport r = new LoadReport("script");
        r.add(target, "all", 1, 0);
        return r;
      }
    };
  }
}
