/**
 * Bundled dashboards: one tool-neutral YAML definition per dashboard ({@link Dashboard}, read by
 * {@link DashboardCatalog}), the filter values a card's SQL is bound with ({@link CardSql}), running a card
 * on any JDBC connection ({@link CardRunner}) and the renderers ({@link HtmlReport}). Only {@code java.sql}
 * is needed, so the driver can ship this module in the {@code crmkpi} CLI.
 */
package io.crmkpi.dashboards;
