package io.crmkpi.jdbc;

/** For tests in other packages: release the stores no connection holds, as a new JVM would find them. */
public final class StoreRegistryAccess {

  private StoreRegistryAccess() {
  }

  public static void closeUnused() {
    StoreRegistry.closeUnused();
  }
}
