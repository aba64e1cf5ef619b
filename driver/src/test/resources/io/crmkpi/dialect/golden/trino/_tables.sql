
CREATE SCHEMA IF NOT EXISTS "hive"."crm";
CREATE SCHEMA IF NOT EXISTS "hive"."util";
CREATE SCHEMA IF NOT EXISTS "hive"."kpi";

CREATE TABLE IF NOT EXISTS "hive"."crm"."pipelines" (
  "pipeline_id" VARCHAR,
  "name" VARCHAR,
  "is_default" BOOLEAN,
  "sort_order" INTEGER
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/pipelines');

CREATE TABLE IF NOT EXISTS "hive"."crm"."stages" (
  "stage_id" VARCHAR,
  "pipeline_id" VARCHAR,
  "name" VARCHAR,
  "sort_order" INTEGER,
  "kind" VARCHAR,
  "probability" DOUBLE
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/stages');

CREATE TABLE IF NOT EXISTS "hive"."crm"."users" (
  "user_id" VARCHAR,
  "name" VARCHAR,
  "email" VARCHAR,
  "team" VARCHAR,
  "is_active" BOOLEAN
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/users');

CREATE TABLE IF NOT EXISTS "hive"."crm"."fx_rates" (
  "currency" VARCHAR,
  "rate_date" DATE,
  "rate_to_base" DECIMAL(18,8)
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/fx_rates');

CREATE TABLE IF NOT EXISTS "hive"."crm"."companies" (
  "company_id" VARCHAR,
  "name" VARCHAR,
  "industry" VARCHAR,
  "owner_user_id" VARCHAR,
  "created_at" TIMESTAMP(6)
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/companies');

CREATE TABLE IF NOT EXISTS "hive"."crm"."contacts" (
  "contact_id" VARCHAR,
  "name" VARCHAR,
  "email" VARCHAR,
  "phone" VARCHAR,
  "company_id" VARCHAR,
  "owner_user_id" VARCHAR,
  "channel" VARCHAR,
  "created_at" TIMESTAMP(6),
  "updated_at" TIMESTAMP(6)
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/contacts');

CREATE TABLE IF NOT EXISTS "hive"."crm"."customers" (
  "customer_id" VARCHAR,
  "kind" VARCHAR,
  "name" VARCHAR,
  "channel" VARCHAR,
  "first_order_at" TIMESTAMP(6),
  "last_order_at" TIMESTAMP(6),
  "orders" INTEGER,
  "revenue_base" DECIMAL(18,2),
  "churned_at" TIMESTAMP(6)
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/customers');

CREATE TABLE IF NOT EXISTS "hive"."crm"."leads" (
  "lead_id" VARCHAR,
  "title" VARCHAR,
  "created_at" TIMESTAMP(6),
  "updated_at" TIMESTAMP(6),
  "status" VARCHAR,
  "channel" VARCHAR,
  "utm_source" VARCHAR,
  "utm_medium" VARCHAR,
  "utm_campaign" VARCHAR,
  "owner_user_id" VARCHAR,
  "contact_id" VARCHAR,
  "company_id" VARCHAR,
  "converted_deal_id" VARCHAR,
  "first_response_at" TIMESTAMP(6),
  "part_month" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/leads', partitioned_by = ARRAY['part_month']);
CALL system.sync_partition_metadata('crm', 'leads', 'FULL');

CREATE TABLE IF NOT EXISTS "hive"."crm"."deals" (
  "deal_id" VARCHAR,
  "title" VARCHAR,
  "pipeline_id" VARCHAR,
  "stage_id" VARCHAR,
  "status" VARCHAR,
  "amount" DECIMAL(18,2),
  "currency" VARCHAR,
  "amount_base" DECIMAL(18,2),
  "created_at" TIMESTAMP(6),
  "closed_at" TIMESTAMP(6),
  "updated_at" TIMESTAMP(6),
  "owner_user_id" VARCHAR,
  "contact_id" VARCHAR,
  "company_id" VARCHAR,
  "lead_id" VARCHAR,
  "channel" VARCHAR,
  "utm_source" VARCHAR,
  "utm_medium" VARCHAR,
  "utm_campaign" VARCHAR,
  "loss_reason" VARCHAR,
  "is_deleted" BOOLEAN,
  "expected_close_date" DATE,
  "probability" DOUBLE,
  "part_month" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/deals', partitioned_by = ARRAY['part_month']);
CALL system.sync_partition_metadata('crm', 'deals', 'FULL');

CREATE TABLE IF NOT EXISTS "hive"."crm"."deal_snapshots" (
  "deal_id" VARCHAR,
  "valid_from" TIMESTAMP(6),
  "valid_to" TIMESTAMP(6),
  "stage_id" VARCHAR,
  "status" VARCHAR,
  "amount_base" DECIMAL(18,2),
  "probability" DOUBLE,
  "expected_close_date" DATE,
  "part_month" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/deal_snapshots', partitioned_by = ARRAY['part_month']);
CALL system.sync_partition_metadata('crm', 'deal_snapshots', 'FULL');

CREATE TABLE IF NOT EXISTS "hive"."crm"."targets" (
  "target_id" VARCHAR,
  "owner_user_id" VARCHAR,
  "pipeline_id" VARCHAR,
  "grain" VARCHAR,
  "period_start" DATE,
  "metric" VARCHAR,
  "target" DECIMAL(18,2)
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/targets');

CREATE TABLE IF NOT EXISTS "hive"."crm"."deal_stage_history" (
  "deal_id" VARCHAR,
  "pipeline_id" VARCHAR,
  "from_stage_id" VARCHAR,
  "to_stage_id" VARCHAR,
  "changed_at" TIMESTAMP(6),
  "user_id" VARCHAR,
  "is_inferred" BOOLEAN,
  "part_month" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/deal_stage_history', partitioned_by = ARRAY['part_month']);
CALL system.sync_partition_metadata('crm', 'deal_stage_history', 'FULL');

CREATE TABLE IF NOT EXISTS "hive"."crm"."orders" (
  "order_id" VARCHAR,
  "customer_id" VARCHAR,
  "deal_id" VARCHAR,
  "ordered_at" TIMESTAMP(6),
  "amount" DECIMAL(18,2),
  "currency" VARCHAR,
  "amount_base" DECIMAL(18,2),
  "owner_user_id" VARCHAR,
  "channel" VARCHAR,
  "part_month" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/orders', partitioned_by = ARRAY['part_month']);
CALL system.sync_partition_metadata('crm', 'orders', 'FULL');

CREATE TABLE IF NOT EXISTS "hive"."crm"."order_items" (
  "order_id" VARCHAR,
  "line_no" INTEGER,
  "product_id" VARCHAR,
  "product_name" VARCHAR,
  "category" VARCHAR,
  "quantity" DECIMAL(18,3),
  "unit_price" DECIMAL(18,2),
  "amount_base" DECIMAL(18,2),
  "is_upsell" BOOLEAN
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/order_items');

CREATE TABLE IF NOT EXISTS "hive"."crm"."activities" (
  "activity_id" VARCHAR,
  "kind" VARCHAR,
  "direction" VARCHAR,
  "deal_id" VARCHAR,
  "lead_id" VARCHAR,
  "contact_id" VARCHAR,
  "company_id" VARCHAR,
  "user_id" VARCHAR,
  "created_at" TIMESTAMP(6),
  "completed_at" TIMESTAMP(6),
  "duration_s" INTEGER,
  "is_automated" BOOLEAN,
  "part_month" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/activities', partitioned_by = ARRAY['part_month']);
CALL system.sync_partition_metadata('crm', 'activities', 'FULL');

CREATE TABLE IF NOT EXISTS "hive"."crm"."tickets" (
  "ticket_id" VARCHAR,
  "customer_id" VARCHAR,
  "contact_id" VARCHAR,
  "channel" VARCHAR,
  "subject" VARCHAR,
  "status" VARCHAR,
  "created_at" TIMESTAMP(6),
  "first_response_at" TIMESTAMP(6),
  "resolved_at" TIMESTAMP(6),
  "owner_user_id" VARCHAR,
  "part_month" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/tickets', partitioned_by = ARRAY['part_month']);
CALL system.sync_partition_metadata('crm', 'tickets', 'FULL');

CREATE TABLE IF NOT EXISTS "hive"."crm"."survey_responses" (
  "response_id" VARCHAR,
  "survey" VARCHAR,
  "score" INTEGER,
  "customer_id" VARCHAR,
  "contact_id" VARCHAR,
  "responded_at" TIMESTAMP(6),
  "channel" VARCHAR,
  "comment" VARCHAR,
  "part_month" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/survey_responses', partitioned_by = ARRAY['part_month']);
CALL system.sync_partition_metadata('crm', 'survey_responses', 'FULL');

CREATE TABLE IF NOT EXISTS "hive"."crm"."marketing_spend" (
  "channel" VARCHAR,
  "campaign" VARCHAR,
  "spend_date" DATE,
  "amount" DECIMAL(18,2),
  "currency" VARCHAR,
  "amount_base" DECIMAL(18,2),
  "part_month" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/marketing_spend', partitioned_by = ARRAY['part_month']);
CALL system.sync_partition_metadata('crm', 'marketing_spend', 'FULL');

CREATE TABLE IF NOT EXISTS "hive"."crm"."channel_map" (
  "raw_value" VARCHAR,
  "channel" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/channel_map');

CREATE TABLE IF NOT EXISTS "hive"."crm"."custom_fields" (
  "entity" VARCHAR,
  "entity_id" VARCHAR,
  "field_id" VARCHAR,
  "field_name" VARCHAR,
  "value" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/custom_fields');

CREATE TABLE IF NOT EXISTS "hive"."crm"."load_rejects" (
  "source" VARCHAR,
  "location" VARCHAR,
  "entity" VARCHAR,
  "reason" VARCHAR,
  "raw" VARCHAR,
  "rejected_at" TIMESTAMP(6)
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/load_rejects');

CREATE TABLE IF NOT EXISTS "hive"."crm"."sync_state" (
  "source" VARCHAR,
  "entity" VARCHAR,
  "last_sync_at" TIMESTAMP(6),
  "high_water_mark" VARCHAR,
  "rows_total" BIGINT,
  "status" VARCHAR,
  "error" VARCHAR
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/sync_state');

CREATE TABLE IF NOT EXISTS "hive"."util"."calendar" (
  "calendar_day" DATE,
  "grain" VARCHAR,
  "variant_id" INTEGER,
  "period_start" DATE,
  "period_end" DATE
) WITH (format = 'PARQUET', external_location = 's3://acme-lake/crmkpi/util_calendar');
