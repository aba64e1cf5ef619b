/**
 * Bundled dashboards: one tool-neutral YAML definition per dashboard ({@link Dashboard}, read by
 * {@link DashboardCatalog}), the filter values a card's SQL is bound with ({@link CardSql}), running a card
 * on any JDBC connection ({@link CardRunner}) and the renderers ({@link HtmlReport}; Metabase
 * through its REST API, {@link MetabaseImporter}, or as serialization YAML, {@link MetabaseSerialization};
 * {@link SupersetBundle}). Only {@code java.sql}
 * is needed, so the driver can ship this module in the {@code crmkpi} CLI.
 */
package io.crmkpi.dashboards;
