package io.crmkpi.model;

import static io.crmkpi.model.ColumnType.BIGINT;
import static io.crmkpi.model.ColumnType.BOOLEAN;
import static io.crmkpi.model.ColumnType.CURRENCY;
import static io.crmkpi.model.ColumnType.DATE;
import static io.crmkpi.model.ColumnType.DOUBLE;
import static io.crmkpi.model.ColumnType.INTEGER;
import static io.crmkpi.model.ColumnType.MONEY;
import static io.crmkpi.model.ColumnType.QUANTITY;
import static io.crmkpi.model.ColumnType.RATE;
import static io.crmkpi.model.ColumnType.TIMESTAMP;
import static io.crmkpi.model.ColumnType.VARCHAR;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The canonical CRM model (schema {@code crm}): the contract between adapters and the KPI library.
 * Names and types are the contract with the KPI views and BI tools (docs/data-model.md is generated from here).
 */
public final class CanonicalModel {

  /** Schema of the canonical tables. */
  public static final String SCHEMA = "crm";

  /** Bumped whenever a table or column changes; the store checks and migrates it. */
  public static final int VERSION = 2;

  private static final Map<String, Table> TABLES = new LinkedHashMap<>();
  private static final List<ForeignKey> FOREIGN_KEYS = new ArrayList<>();

  static {
    table("pipelines", "Sales pipelines (funnels).", "pipeline_id",
        c("pipeline_id", VARCHAR, "Pipeline id as the CRM gives it."),
        c("name", VARCHAR, "Pipeline name."),
        c("is_default", BOOLEAN, "True for the main pipeline."),
        c("sort_order", INTEGER, "Display order."));
    table("stages", "Stages of each pipeline, in funnel order.", "stage_id",
        c("stage_id", VARCHAR, "Stage id, unique across pipelines (amoCRM: <pipeline_id>:<status_id>)."),
        c("pipeline_id", VARCHAR, "Pipeline the stage belongs to."),
        c("name", VARCHAR, "Stage name as the CRM shows it."),
        c("sort_order", INTEGER, "Funnel position; won/lost stages sort after all open stages."),
        c("kind", VARCHAR, "open, won or lost."),
        c("probability", DOUBLE, "Win probability of a deal in this stage, 0-100, where the CRM defines one."));
    table("users", "Managers / owners.", "user_id",
        c("user_id", VARCHAR, "User id."),
        c("name", VARCHAR, "Full name."),
        c("email", VARCHAR, "E-mail."),
        c("team", VARCHAR, "Team or department."),
        c("is_active", BOOLEAN, "False for deactivated users."));
    table("fx_rates", "Exchange rates to the base currency; a missing date uses the latest earlier rate.",
        "currency,rate_date",
        c("currency", CURRENCY, "ISO 4217 code."),
        c("rate_date", DATE, "Date the rate applies from."),
        c("rate_to_base", RATE, "Units of base currency per unit of this currency (base = 1)."));
    table("companies", "Companies (accounts).", "company_id",
        c("company_id", VARCHAR, "Company id."),
        c("name", VARCHAR, "Company name."),
        c("industry", VARCHAR, "Industry."),
        c("owner_user_id", VARCHAR, "Responsible manager."),
        c("created_at", TIMESTAMP, "Created (reporting time zone)."));
    table("contacts", "People.", "contact_id",
        c("contact_id", VARCHAR, "Contact id."),
        c("name", VARCHAR, "Full name."),
        c("email", VARCHAR, "E-mail."),
        c("phone", VARCHAR, "Phone."),
        c("company_id", VARCHAR, "Company the contact works for."),
        c("owner_user_id", VARCHAR, "Responsible manager."),
        c("channel", VARCHAR, "Acquisition channel (normalised)."),
        c("created_at", TIMESTAMP, "Created (reporting time zone)."),
        c("updated_at", TIMESTAMP, "Last modified (reporting time zone)."));
    table("customers", "Every party with at least one order (a company when the order has one, else the contact).",
        "customer_id",
        c("customer_id", VARCHAR, "company:<id> or contact:<id>."),
        c("kind", VARCHAR, "company or contact."),
        c("name", VARCHAR, "Name."),
        c("channel", VARCHAR, "Acquisition channel: channel of the first order's deal, else of the party."),
        c("first_order_at", TIMESTAMP, "First order over all history."),
        c("last_order_at", TIMESTAMP, "Latest order."),
        c("orders", INTEGER, "Number of orders."),
        c("revenue_base", MONEY, "Revenue in the base currency."),
        c("churned_at", TIMESTAMP, "Explicit churn date recorded by the source, else NULL."));
    table("leads", "Inbound requests before qualification (for CRMs without leads, every deal is also a lead).",
        "lead_id",
        c("lead_id", VARCHAR, "Lead id."),
        c("title", VARCHAR, "Title."),
        c("created_at", TIMESTAMP, "Created (reporting time zone)."),
        c("updated_at", TIMESTAMP, "Last modified."),
        c("status", VARCHAR, "open, converted or junk."),
        c("channel", VARCHAR, "Normalised marketing channel."),
        c("utm_source", VARCHAR, "Raw utm_source."),
        c("utm_medium", VARCHAR, "Raw utm_medium."),
        c("utm_campaign", VARCHAR, "Raw utm_campaign."),
        c("owner_user_id", VARCHAR, "Responsible manager."),
        c("contact_id", VARCHAR, "Contact."),
        c("company_id", VARCHAR, "Company."),
        c("converted_deal_id", VARCHAR, "Deal created from this lead."),
        c("first_response_at", TIMESTAMP, "First outbound human touch by a manager."));
    table("deals", "Opportunities (deals).", "deal_id",
        c("deal_id", VARCHAR, "Deal id."),
        c("title", VARCHAR, "Title."),
        c("pipeline_id", VARCHAR, "Pipeline."),
        c("stage_id", VARCHAR, "Current stage."),
        c("status", VARCHAR, "open, won or lost (from the stage kind)."),
        c("amount", MONEY, "Amount in currency."),
        c("currency", CURRENCY, "ISO 4217 code of amount."),
        c("amount_base", MONEY, "Amount in the base currency."),
        c("created_at", TIMESTAMP, "Created (reporting time zone)."),
        c("closed_at", TIMESTAMP, "When it became won or lost; NULL while open."),
        c("updated_at", TIMESTAMP, "Last modified."),
        c("owner_user_id", VARCHAR, "Responsible manager."),
        c("contact_id", VARCHAR, "Contact."),
        c("company_id", VARCHAR, "Company."),
        c("lead_id", VARCHAR, "Originating lead."),
        c("channel", VARCHAR, "Normalised marketing channel."),
        c("utm_source", VARCHAR, "Raw utm_source."),
        c("utm_medium", VARCHAR, "Raw utm_medium."),
        c("utm_campaign", VARCHAR, "Raw utm_campaign."),
        c("loss_reason", VARCHAR, "Why it was lost."),
        c("is_deleted", BOOLEAN, "Deleted or merged in the CRM; KPI views exclude these."),
        c("expected_close_date", DATE, "When the deal is expected to close (a calendar date, never shifted by time zone)."),
        c("probability", DOUBLE, "The deal's own win probability, 0-100, where the CRM keeps one."));
    table("deal_snapshots", "Deal history the CRMs do not keep: one validity interval per change of stage, status, "
        + "amount, probability or expected close date seen at a load or sync.", "deal_id,valid_from",
        c("deal_id", VARCHAR, "Deal."),
        c("valid_from", TIMESTAMP, "First moment this state was seen (reporting time zone)."),
        c("valid_to", TIMESTAMP, "When the next state replaced it; NULL for the current state."),
        c("stage_id", VARCHAR, "Stage."),
        c("status", VARCHAR, "open, won or lost."),
        c("amount_base", MONEY, "Amount in the base currency."),
        c("probability", DOUBLE, "The deal's own probability, 0-100."),
        c("expected_close_date", DATE, "Expected close date."));
    table("targets", "Sales plans: a target per period and metric, for an owner and/or pipeline or the company.",
        "target_id",
        c("target_id", VARCHAR, "Target id."),
        c("owner_user_id", VARCHAR, "Manager the plan is for; NULL = everyone."),
        c("pipeline_id", VARCHAR, "Pipeline the plan is for; NULL = every pipeline."),
        c("grain", VARCHAR, "month, quarter or year (quarters and years follow the fiscal year setting)."),
        c("period_start", DATE, "First day of the period."),
        c("metric", VARCHAR, "revenue, deals_won, orders or activities."),
        c("target", MONEY, "Target value (revenue in the base currency; counts for the others)."));
    table("deal_stage_history", "Every stage change of every deal, oldest first.", "",
        c("deal_id", VARCHAR, "Deal."),
        c("pipeline_id", VARCHAR, "Pipeline after the change."),
        c("from_stage_id", VARCHAR, "Previous stage; NULL for the deal's creation."),
        c("to_stage_id", VARCHAR, "New stage."),
        c("changed_at", TIMESTAMP, "When (reporting time zone)."),
        c("user_id", VARCHAR, "Who moved it."),
        c("is_inferred", BOOLEAN, "True when synthesised because the source has no history."));
    table("orders", "Purchases; won deals are orders unless an order export is loaded.", "order_id",
        c("order_id", VARCHAR, "Order id."),
        c("customer_id", VARCHAR, "Customer."),
        c("deal_id", VARCHAR, "Deal."),
        c("ordered_at", TIMESTAMP, "When ordered (reporting time zone)."),
        c("amount", MONEY, "Amount in currency."),
        c("currency", CURRENCY, "ISO 4217 code."),
        c("amount_base", MONEY, "Amount in the base currency."),
        c("owner_user_id", VARCHAR, "Manager on the order at order time."),
        c("channel", VARCHAR, "Channel."));
    table("order_items", "Order lines.", "order_id,line_no",
        c("order_id", VARCHAR, "Order."),
        c("line_no", INTEGER, "Line number within the order."),
        c("product_id", VARCHAR, "Product id."),
        c("product_name", VARCHAR, "Product name."),
        c("category", VARCHAR, "Product category."),
        c("quantity", QUANTITY, "Quantity."),
        c("unit_price", MONEY, "Unit price."),
        c("amount_base", MONEY, "Line amount in the base currency."),
        c("is_upsell", BOOLEAN, "An item beyond the order's main product."));
    table("activities", "Calls, emails, meetings, tasks, messages, notes.", "activity_id",
        c("activity_id", VARCHAR, "Activity id."),
        c("kind", VARCHAR, "call, email, meeting, task, message or note."),
        c("direction", VARCHAR, "in, out or NULL."),
        c("deal_id", VARCHAR, "Deal."),
        c("lead_id", VARCHAR, "Lead."),
        c("contact_id", VARCHAR, "Contact."),
        c("company_id", VARCHAR, "Company."),
        c("user_id", VARCHAR, "Manager."),
        c("created_at", TIMESTAMP, "Created."),
        c("completed_at", TIMESTAMP, "Completed."),
        c("duration_s", INTEGER, "Duration in seconds."),
        c("is_automated", BOOLEAN, "Robots, auto-replies: never a response."));
    table("tickets", "Support requests.", "ticket_id",
        c("ticket_id", VARCHAR, "Ticket id."),
        c("customer_id", VARCHAR, "Customer."),
        c("contact_id", VARCHAR, "Contact."),
        c("channel", VARCHAR, "Channel the request came through."),
        c("subject", VARCHAR, "Subject."),
        c("status", VARCHAR, "open, solved or closed."),
        c("created_at", TIMESTAMP, "Created."),
        c("first_response_at", TIMESTAMP, "First human response."),
        c("resolved_at", TIMESTAMP, "Resolved."),
        c("owner_user_id", VARCHAR, "Responsible agent."));
    table("survey_responses", "NPS (0-10) and CSAT (1-5) answers.", "response_id",
        c("response_id", VARCHAR, "Response id."),
        c("survey", VARCHAR, "nps or csat."),
        c("score", INTEGER, "Score on the survey's scale."),
        c("customer_id", VARCHAR, "Customer."),
        c("contact_id", VARCHAR, "Contact."),
        c("responded_at", TIMESTAMP, "When answered."),
        c("channel", VARCHAR, "Channel."),
        c("comment", VARCHAR, "Free-text comment."));
    table("marketing_spend", "Marketing spend per channel and day (from ad platforms or a CSV).", "",
        c("channel", VARCHAR, "Normalised channel."),
        c("campaign", VARCHAR, "Campaign."),
        c("spend_date", DATE, "Day of spend."),
        c("amount", MONEY, "Amount in currency."),
        c("currency", CURRENCY, "ISO 4217 code."),
        c("amount_base", MONEY, "Amount in the base currency."));
    table("channel_map", "Raw source/UTM values mapped to normalised channels.", "raw_value",
        c("raw_value", VARCHAR, "Raw value, lower-case."),
        c("channel", VARCHAR, "Normalised channel."));
    table("custom_fields", "Custom field values the model has no column for.", "",
        c("entity", VARCHAR, "deal, lead, contact or company."),
        c("entity_id", VARCHAR, "Id of the entity."),
        c("field_id", VARCHAR, "Field id."),
        c("field_name", VARCHAR, "Field name."),
        c("value", VARCHAR, "Value as text."));
    table("load_rejects", "Input rows that could not be loaded: read = loaded + rejected.", "",
        c("source", VARCHAR, "Source name."),
        c("location", VARCHAR, "file:line or API request."),
        c("entity", VARCHAR, "Canonical table the row was meant for."),
        c("reason", VARCHAR, "Why it was rejected."),
        c("raw", VARCHAR, "The raw input row."),
        c("rejected_at", TIMESTAMP, "When."));
    table("sync_state", "Freshness per source and entity.", "source,entity",
        c("source", VARCHAR, "Source name."),
        c("entity", VARCHAR, "Entity (canonical table)."),
        c("last_sync_at", TIMESTAMP, "Last successful sync."),
        c("high_water_mark", VARCHAR, "Incremental checkpoint (e.g. max updated_at)."),
        c("rows_total", BIGINT, "Rows loaded for this entity."),
        c("status", VARCHAR, "ok, running or failed."),
        c("error", VARCHAR, "Last error, secrets masked."));

    // Relationships, each to the referenced table's primary key. No channel key: channels are
    // names, and channel_map is keyed by the raw value, not by the channel.
    references("stages", "pipeline_id", "pipelines");
    references("companies", "owner_user_id", "users");
    references("contacts", "company_id", "companies");
    references("contacts", "owner_user_id", "users");
    references("leads", "owner_user_id", "users");
    references("leads", "contact_id", "contacts");
    references("leads", "company_id", "companies");
    references("leads", "converted_deal_id", "deals");
    references("deals", "pipeline_id", "pipelines");
    references("deals", "stage_id", "stages");
    references("deals", "owner_user_id", "users");
    references("deals", "contact_id", "contacts");
    references("deals", "company_id", "companies");
    references("deals", "lead_id", "leads");
    references("deal_snapshots", "deal_id", "deals");
    references("deal_snapshots", "stage_id", "stages");
    references("targets", "owner_user_id", "users");
    references("targets", "pipeline_id", "pipelines");
    references("deal_stage_history", "deal_id", "deals");
    references("deal_stage_history", "pipeline_id", "pipelines");
    references("deal_stage_history", "from_stage_id", "stages");
    references("deal_stage_history", "to_stage_id", "stages");
    references("deal_stage_history", "user_id", "users");
    references("orders", "customer_id", "customers");
    references("orders", "deal_id", "deals");
    references("orders", "owner_user_id", "users");
    references("order_items", "order_id", "orders");
    references("activities", "deal_id", "deals");
    references("activities", "lead_id", "leads");
    references("activities", "contact_id", "contacts");
    references("activities", "company_id", "companies");
    references("activities", "user_id", "users");
    references("tickets", "customer_id", "customers");
    references("tickets", "contact_id", "contacts");
    references("tickets", "owner_user_id", "users");
    references("survey_responses", "customer_id", "customers");
    references("survey_responses", "contact_id", "contacts");
  }

  private CanonicalModel() {
  }

  /** All canonical tables, in dependency-friendly order. */
  public static List<Table> tables() {
    return List.copyOf(TABLES.values());
  }

  public static Optional<Table> table(String name) {
    return Optional.ofNullable(TABLES.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Every relationship of the model, grouped by referencing table in model order. */
  public static List<ForeignKey> foreignKeys() {
    return List.copyOf(FOREIGN_KEYS);
  }

  /** The relationships of one table (those it holds, not those pointing at it). */
  public static List<ForeignKey> foreignKeys(String table) {
    return FOREIGN_KEYS.stream().filter(k -> k.table().equalsIgnoreCase(table)).toList();
  }

  public static Table require(String name) {
    return table(name).orElseThrow(() -> new IllegalArgumentException("no canonical table " + name));
  }

  private static Column c(String name, ColumnType type, String description) {
    return new Column(name, type, description);
  }

  /** Declares that {@code table.column} holds the single-column primary key of {@code refTable}. */
  private static void references(String table, String column, String refTable) {
    Table from = require(table);
    Table to = require(refTable);
    if (from.column(column).isEmpty() || to.primaryKey().size() != 1) {
      throw new IllegalStateException("bad relationship " + table + "." + column + " -> " + refTable);
    }
    FOREIGN_KEYS.add(new ForeignKey(table, column, refTable, to.primaryKey().get(0)));
  }

  private static void table(String name, String description, String pk, Column... columns) {
    List<String> keys = new ArrayList<>();
    for (String k : pk.split(",")) {
      if (!k.isBlank()) {
        keys.add(k.trim());
      }
    }
    TABLES.put(name, new Table(name, description, List.copyOf(keys), List.of(columns)));
  }
}
