/** Real third-party JDBC clients (SchemaCrawler, sqlline) and DBeaver's calls, run against the driver. */
package io.crmkpi.jdbc.clients;
