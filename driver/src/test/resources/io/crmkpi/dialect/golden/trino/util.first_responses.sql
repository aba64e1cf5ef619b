-- util.first_responses: One row per inbound request (lead or support ticket) with its creation time and the minutes to the first human response (NULL while unanswered). kpi.response_time aggregates it per period; kpi.crm_impact takes medians over its windows from it; util.headline_components takes monthly lead medians from it.
CREATE OR REPLACE VIEW "hive"."util"."first_responses" AS
SELECT TRIM(CASE WHEN "kind_code" = 1 THEN 'lead' ELSE 'ticket' END) AS "kind", "request_id", "created_at", "minutes", "created_month"
FROM (SELECT 1 AS "kind_code", "t2"."lead_id" AS "request_id", "t2"."created_at", "t2"."created_month", ((date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST(CASE WHEN "t2"."first_response_at" >= "t2"."created_at" AND ((MIN("t6"."touch_at")) IS NULL  OR "t2"."first_response_at" < MIN("t6"."touch_at")) THEN "t2"."first_response_at" ELSE MIN("t6"."touch_at") END AS TIMESTAMP(6)))  / 1000) - (date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("t2"."created_at" AS TIMESTAMP(6)))  / 1000)) / 60.0 AS "minutes"
            FROM (SELECT "t0"."lead_id", "t0"."created_at", "t0"."created_month", "t0"."first_response_at", "t1"."key_kind", CASE WHEN "t1"."key_kind" = 1 THEN "t0"."lead_id" ELSE "t0"."converted_deal_id" END AS "match_key"
                    FROM (SELECT "leads"."lead_id", "leads"."created_at", CAST(CAST(date_trunc('month', "leads"."created_at") AS TIMESTAMP(6)) AS DATE) AS "created_month", "leads"."converted_deal_id", "leads"."first_response_at"
                            FROM "hive"."crm"."leads"
                                LEFT JOIN "hive"."crm"."deals" ON "leads"."converted_deal_id" = "deals"."deal_id" AND "leads"."lead_id" = "deals"."deal_id" AND "deals"."is_deleted"
                            WHERE "leads"."created_at" IS NOT NULL AND "deals"."deal_id" IS NULL) AS "t0",
                            (VALUES (1),
                                    (2)) AS "t1" ("key_kind")) AS "t2"
                LEFT JOIN (SELECT "t5"."key_kind", CASE WHEN "t5"."key_kind" = 1 THEN "t4"."lead_id" ELSE "t4"."deal_id" END AS "match_key", "t4"."touch_at"
                    FROM (SELECT "lead_id", "deal_id", "created_at" AS "touch_at"
                            FROM "hive"."crm"."activities"
                            WHERE CAST("direction" AS VARCHAR) = 'out' AND ("is_automated" IS NULL OR NOT "is_automated") AND "kind" IN ('call', 'email', 'meeting', 'message') AND "created_at" IS NOT NULL) AS "t4",
                            (VALUES (1),
                                    (2)) AS "t5" ("key_kind")) AS "t6" ON "t2"."key_kind" = "t6"."key_kind" AND "t2"."match_key" = "t6"."match_key" AND "t2"."created_at" <= "t6"."touch_at"
            GROUP BY "t2"."lead_id", "t2"."created_at", "t2"."created_month", "t2"."first_response_at"
            UNION ALL
            SELECT 2 AS "EXPR$0", "ticket_id", "created_at", CAST(CAST(date_trunc('month', "created_at") AS TIMESTAMP(6)) AS DATE) AS "EXPR$3", CASE WHEN "first_response_at" >= "created_at" THEN ((date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("first_response_at" AS TIMESTAMP(6)))  / 1000) - (date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("created_at" AS TIMESTAMP(6)))  / 1000)) / 60.0 ELSE NULL END AS "EXPR$4"
            FROM "hive"."crm"."tickets"
            WHERE "created_at" IS NOT NULL) AS "t12";
