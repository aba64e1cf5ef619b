-- kpi.customer_activity: Share of the customer base that showed activity in the period - an order, an inbound (non-automated) activity, a support ticket or a survey answer. The base is every customer acquired before the period ends and not churned before it starts (see util.customer_churn).
CREATE OR REPLACE VIEW "hive"."kpi"."customer_activity" AS
SELECT "t13"."grain", "t13"."period_start", "t13"."period_end", "t13"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", CASE WHEN "t39"."customer_base" IS NOT NULL THEN CAST("t39"."customer_base" AS BIGINT) ELSE 0 END AS "customer_base", CASE WHEN "t98"."active_customers" IS NOT NULL THEN CAST("t98"."active_customers" AS BIGINT) ELSE 0 END AS "active_customers", CAST(CASE WHEN "t98"."active_customers" IS NOT NULL THEN CAST("t98"."active_customers" AS BIGINT) ELSE 0 END AS DOUBLE) / CASE WHEN "t39"."customer_base" = 0 THEN NULL ELSE "t39"."customer_base" END AS "activity_rate"
FROM (SELECT "t0"."grain", "t0"."period_start", "t0"."period_end"
        FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t0",
                (SELECT MIN(CAST("t7"."active_from" AS DATE)) AS "first_day"
                FROM (SELECT "t3"."customer_id", "t3"."spell_no", MIN("t3"."ordered_at") AS "active_from", MAX("t3"."ordered_at") AS "last_order_at", COUNT(*) AS "orders", CASE WHEN MAX("t3"."recorded_churn") >= MAX("t3"."ordered_at") AND MAX("t3"."recorded_churn") < (MAX("t3"."ordered_at") + INTERVAL '1' DAY * 90) THEN MAX("t3"."recorded_churn") ELSE (MAX("t3"."ordered_at") + INTERVAL '1' DAY * 90) END AS "ends_at"
                        FROM (SELECT "t2"."customer_id", "t2"."ordered_at", "t2"."recorded_churn", SUM("t2"."starts_spell") OVER (PARTITION BY "t2"."customer_id" ORDER BY "t2"."ordered_at", "t2"."order_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "spell_no"
                                FROM (SELECT "orders"."customer_id", "orders"."order_id", "orders"."ordered_at", "customers"."churned_at" AS "recorded_churn", CASE WHEN (LAG("orders"."ordered_at") OVER (PARTITION BY "orders"."customer_id" ORDER BY "orders"."ordered_at", "orders"."order_id")) IS NULL THEN 1 WHEN "orders"."ordered_at" > ((LAG("orders"."ordered_at") OVER (PARTITION BY "orders"."customer_id" ORDER BY "orders"."ordered_at", "orders"."order_id")) + INTERVAL '1' DAY * 90) THEN 1 WHEN "customers"."churned_at" >= (LAG("orders"."ordered_at") OVER (PARTITION BY "orders"."customer_id" ORDER BY "orders"."ordered_at", "orders"."order_id")) AND "customers"."churned_at" < "orders"."ordered_at" THEN 1 ELSE 0 END AS "starts_spell"
                                        FROM "hive"."crm"."orders"
                                            LEFT JOIN "hive"."crm"."customers" ON "orders"."customer_id" = "customers"."customer_id"
                                        WHERE "orders"."customer_id" IS NOT NULL AND "orders"."ordered_at" IS NOT NULL) AS "t2") AS "t3",
                                (VALUES (1)) AS "t4" ("k")
                        GROUP BY "t3"."customer_id", "t3"."spell_no") AS "t7",
                        (VALUES (1)) AS "t8" ("k")) AS "t10"
        WHERE "t0"."calendar_day" >= "t10"."first_day" AND "t0"."calendar_day" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)
        GROUP BY "t0"."grain", "t0"."period_start", "t0"."period_end") AS "t13"
    LEFT JOIN (SELECT "t28"."grain", "t28"."period_start", COUNT(DISTINCT "t37"."customer_id") AS "customer_base"
        FROM (SELECT "t15"."grain", "t15"."period_start", "t15"."period_end"
                FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                        FROM "hive"."util"."calendar"
                        WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t15",
                        (SELECT MIN(CAST("t22"."active_from" AS DATE)) AS "first_day"
                        FROM (SELECT "t18"."customer_id", "t18"."spell_no", MIN("t18"."ordered_at") AS "active_from", MAX("t18"."ordered_at") AS "last_order_at", COUNT(*) AS "orders", CASE WHEN MAX("t18"."recorded_churn") >= MAX("t18"."ordered_at") AND MAX("t18"."recorded_churn") < (MAX("t18"."ordered_at") + INTERVAL '1' DAY * 90) THEN MAX("t18"."recorded_churn") ELSE (MAX("t18"."ordered_at") + INTERVAL '1' DAY * 90) END AS "ends_at"
                                FROM (SELECT "t17"."customer_id", "t17"."ordered_at", "t17"."recorded_churn", SUM("t17"."starts_spell") OVER (PARTITION BY "t17"."customer_id" ORDER BY "t17"."ordered_at", "t17"."order_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "spell_no"
                                        FROM (SELECT "orders0"."customer_id", "orders0"."order_id", "orders0"."ordered_at", "customers0"."churned_at" AS "recorded_churn", CASE WHEN (LAG("orders0"."ordered_at") OVER (PARTITION BY "orders0"."customer_id" ORDER BY "orders0"."ordered_at", "orders0"."order_id")) IS NULL THEN 1 WHEN "orders0"."ordered_at" > ((LAG("orders0"."ordered_at") OVER (PARTITION BY "orders0"."customer_id" ORDER BY "orders0"."ordered_at", "orders0"."order_id")) + INTERVAL '1' DAY * 90) THEN 1 WHEN "customers0"."churned_at" >= (LAG("orders0"."ordered_at") OVER (PARTITION BY "orders0"."customer_id" ORDER BY "orders0"."ordered_at", "orders0"."order_id")) AND "customers0"."churned_at" < "orders0"."ordered_at" THEN 1 ELSE 0 END AS "starts_spell"
                                                FROM "hive"."crm"."orders" AS "orders0"
                                                    LEFT JOIN "hive"."crm"."customers" AS "customers0" ON "orders0"."customer_id" = "customers0"."customer_id"
                                                WHERE "orders0"."customer_id" IS NOT NULL AND "orders0"."ordered_at" IS NOT NULL) AS "t17") AS "t18",
                                        (VALUES (1)) AS "t19" ("k")
                                GROUP BY "t18"."customer_id", "t18"."spell_no") AS "t22",
                                (VALUES (1)) AS "t23" ("k")) AS "t25"
                WHERE "t15"."calendar_day" >= "t25"."first_day" AND "t15"."calendar_day" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)
                GROUP BY "t15"."grain", "t15"."period_start", "t15"."period_end") AS "t28"
            INNER JOIN (SELECT "t35"."customer_id", CAST("t35"."active_from" AS DATE) AS "from_day", CAST(CASE WHEN "t35"."ends_at" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS TIMESTAMP(6))THEN "t35"."ends_at" ELSE NULL END AS DATE) AS "churn_day"
                FROM (SELECT "t31"."customer_id", "t31"."spell_no", MIN("t31"."ordered_at") AS "active_from", MAX("t31"."ordered_at") AS "last_order_at", COUNT(*) AS "orders", CASE WHEN MAX("t31"."recorded_churn") >= MAX("t31"."ordered_at") AND MAX("t31"."recorded_churn") < (MAX("t31"."ordered_at") + INTERVAL '1' DAY * 90) THEN MAX("t31"."recorded_churn") ELSE (MAX("t31"."ordered_at") + INTERVAL '1' DAY * 90) END AS "ends_at"
                        FROM (SELECT "t30"."customer_id", "t30"."ordered_at", "t30"."recorded_churn", SUM("t30"."starts_spell") OVER (PARTITION BY "t30"."customer_id" ORDER BY "t30"."ordered_at", "t30"."order_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "spell_no"
                                FROM (SELECT "orders1"."customer_id", "orders1"."order_id", "orders1"."ordered_at", "customers1"."churned_at" AS "recorded_churn", CASE WHEN (LAG("orders1"."ordered_at") OVER (PARTITION BY "orders1"."customer_id" ORDER BY "orders1"."ordered_at", "orders1"."order_id")) IS NULL THEN 1 WHEN "orders1"."ordered_at" > ((LAG("orders1"."ordered_at") OVER (PARTITION BY "orders1"."customer_id" ORDER BY "orders1"."ordered_at", "orders1"."order_id")) + INTERVAL '1' DAY * 90) THEN 1 WHEN "customers1"."churned_at" >= (LAG("orders1"."ordered_at") OVER (PARTITION BY "orders1"."customer_id" ORDER BY "orders1"."ordered_at", "orders1"."order_id")) AND "customers1"."churned_at" < "orders1"."ordered_at" THEN 1 ELSE 0 END AS "starts_spell"
                                        FROM "hive"."crm"."orders" AS "orders1"
                                            LEFT JOIN "hive"."crm"."customers" AS "customers1" ON "orders1"."customer_id" = "customers1"."customer_id"
                                        WHERE "orders1"."customer_id" IS NOT NULL AND "orders1"."ordered_at" IS NOT NULL) AS "t30") AS "t31",
                                (VALUES (1)) AS "t32" ("k")
                        GROUP BY "t31"."customer_id", "t31"."spell_no") AS "t35",
                        (VALUES (1)) AS "t36" ("k")) AS "t37" ON "t28"."period_end" > "t37"."from_day" AND ("t37"."churn_day" IS NULL OR "t28"."period_start" <= "t37"."churn_day")
        GROUP BY "t28"."grain", "t28"."period_start") AS "t39" ON "t13"."grain" = "t39"."grain" AND "t13"."period_start" = "t39"."period_start"
    LEFT JOIN (SELECT "t87"."grain", "t87"."period_start", COUNT(DISTINCT "t85"."customer_id") AS "active_customers"
        FROM (SELECT "customer_id", CAST("ordered_at" AS DATE) AS "event_day"
                    FROM "hive"."crm"."orders"
                    WHERE "customer_id" IS NOT NULL AND "ordered_at" IS NOT NULL
                    UNION
                    SELECT "t83"."customer_id", "t73"."event_day"
                    FROM (SELECT *
                                FROM (SELECT "party" AS "party_key", "party_kind" AS "key_kind", "event_day"
                                            FROM (SELECT *
                                                        FROM (SELECT "company_id" AS "party", 2 AS "party_kind", "contact_id", CAST("created_at" AS DATE) AS "event_day"
                                                                    FROM "hive"."crm"."activities"
                                                                    WHERE CAST("direction" AS VARCHAR) = 'in' AND ("is_automated" IS NULL OR NOT "is_automated") AND "created_at" IS NOT NULL
                                                                    UNION ALL
                                                                    SELECT "customer_id", 1 AS "EXPR$1", "contact_id", CAST("created_at" AS DATE) AS "EXPR$3"
                                                                    FROM "hive"."crm"."tickets"
                                                                    WHERE "created_at" IS NOT NULL) AS "t"
                                                        UNION ALL
                                                        SELECT "customer_id", 1 AS "EXPR$1", "contact_id", CAST("responded_at" AS DATE) AS "EXPR$3"
                                                        FROM "hive"."crm"."survey_responses"
                                                        WHERE "responded_at" IS NOT NULL) AS "t49"
                                            WHERE "party" IS NOT NULL
                                            UNION ALL
                                            SELECT "contacts"."company_id", 2 AS "EXPR$1", "t59"."event_day"
                                            FROM (SELECT *
                                                        FROM (SELECT "company_id" AS "party", 2 AS "party_kind", "contact_id", CAST("created_at" AS DATE) AS "event_day"
                                                                    FROM "hive"."crm"."activities"
                                                                    WHERE CAST("direction" AS VARCHAR) = 'in' AND ("is_automated" IS NULL OR NOT "is_automated") AND "created_at" IS NOT NULL
                                                                    UNION ALL
                                                                    SELECT "customer_id", 1 AS "EXPR$1", "contact_id", CAST("created_at" AS DATE) AS "EXPR$3"
                                                                    FROM "hive"."crm"."tickets"
                                                                    WHERE "created_at" IS NOT NULL) AS "t"
                                                        UNION ALL
                                                        SELECT "customer_id", 1 AS "EXPR$1", "contact_id", CAST("responded_at" AS DATE) AS "EXPR$3"
                                                        FROM "hive"."crm"."survey_responses"
                                                        WHERE "responded_at" IS NOT NULL) AS "t59"
                                                INNER JOIN "hive"."crm"."contacts" ON "t59"."contact_id" = "contacts"."contact_id"
                                            WHERE "contacts"."company_id" IS NOT NULL) AS "t"
                                UNION ALL
                                SELECT "contact_id", 3 AS "EXPR$1", "event_day"
                                FROM (SELECT *
                                            FROM (SELECT "company_id" AS "party", 2 AS "party_kind", "contact_id", CAST("created_at" AS DATE) AS "event_day"
                                                        FROM "hive"."crm"."activities"
                                                        WHERE CAST("direction" AS VARCHAR) = 'in' AND ("is_automated" IS NULL OR NOT "is_automated") AND "created_at" IS NOT NULL
                                                        UNION ALL
                                                        SELECT "customer_id", 1 AS "EXPR$1", "contact_id", CAST("created_at" AS DATE) AS "EXPR$3"
                                                        FROM "hive"."crm"."tickets"
                                                        WHERE "created_at" IS NOT NULL) AS "t"
                                            UNION ALL
                                            SELECT "customer_id", 1 AS "EXPR$1", "contact_id", CAST("responded_at" AS DATE) AS "EXPR$3"
                                            FROM "hive"."crm"."survey_responses"
                                            WHERE "responded_at" IS NOT NULL) AS "t70"
                                WHERE "contact_id" IS NOT NULL) AS "t73"
                        INNER JOIN (SELECT *
                                FROM (SELECT *
                                            FROM (SELECT "customer_id", "customer_id" AS "party_key", 1 AS "key_kind"
                                                        FROM "hive"."crm"."customers"
                                                        UNION ALL
                                                        SELECT "customer_id", SUBSTRING("customer_id", 9) AS "EXPR$1", 2 AS "EXPR$2"
                                                        FROM "hive"."crm"."customers"
                                                        WHERE "customer_id" LIKE 'company:%') AS "t"
                                            UNION ALL
                                            SELECT "customer_id", SUBSTRING("customer_id", 9) AS "EXPR$1", 3 AS "EXPR$2"
                                            FROM "hive"."crm"."customers"
                                            WHERE "customer_id" LIKE 'contact:%') AS "t"
                                UNION ALL
                                SELECT "customer_id", "customer_id" AS "customer_id0", CASE WHEN CAST("kind" AS VARCHAR) = 'contact' THEN 3 ELSE 2 END AS "EXPR$2"
                                FROM "hive"."crm"."customers"
                                WHERE "customer_id" NOT LIKE 'company:%' AND "customer_id" NOT LIKE 'contact:%') AS "t83" ON "t73"."party_key" = "t83"."party_key" AND "t73"."key_kind" = "t83"."key_kind") AS "t85"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t87" ON "t85"."event_day" = "t87"."calendar_day"
            INNER JOIN (SELECT "t94"."customer_id", CAST("t94"."active_from" AS DATE) AS "from_day", CAST(CASE WHEN "t94"."ends_at" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS TIMESTAMP(6))THEN "t94"."ends_at" ELSE NULL END AS DATE) AS "churn_day"
                FROM (SELECT "t90"."customer_id", "t90"."spell_no", MIN("t90"."ordered_at") AS "active_from", MAX("t90"."ordered_at") AS "last_order_at", COUNT(*) AS "orders", CASE WHEN MAX("t90"."recorded_churn") >= MAX("t90"."ordered_at") AND MAX("t90"."recorded_churn") < (MAX("t90"."ordered_at") + INTERVAL '1' DAY * 90) THEN MAX("t90"."recorded_churn") ELSE (MAX("t90"."ordered_at") + INTERVAL '1' DAY * 90) END AS "ends_at"
                        FROM (SELECT "t89"."customer_id", "t89"."ordered_at", "t89"."recorded_churn", SUM("t89"."starts_spell") OVER (PARTITION BY "t89"."customer_id" ORDER BY "t89"."ordered_at", "t89"."order_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "spell_no"
                                FROM (SELECT "orders3"."customer_id", "orders3"."order_id", "orders3"."ordered_at", "customers6"."churned_at" AS "recorded_churn", CASE WHEN (LAG("orders3"."ordered_at") OVER (PARTITION BY "orders3"."customer_id" ORDER BY "orders3"."ordered_at", "orders3"."order_id")) IS NULL THEN 1 WHEN "orders3"."ordered_at" > ((LAG("orders3"."ordered_at") OVER (PARTITION BY "orders3"."customer_id" ORDER BY "orders3"."ordered_at", "orders3"."order_id")) + INTERVAL '1' DAY * 90) THEN 1 WHEN "customers6"."churned_at" >= (LAG("orders3"."ordered_at") OVER (PARTITION BY "orders3"."customer_id" ORDER BY "orders3"."ordered_at", "orders3"."order_id")) AND "customers6"."churned_at" < "orders3"."ordered_at" THEN 1 ELSE 0 END AS "starts_spell"
                                        FROM "hive"."crm"."orders" AS "orders3"
                                            LEFT JOIN "hive"."crm"."customers" AS "customers6" ON "orders3"."customer_id" = "customers6"."customer_id"
                                        WHERE "orders3"."customer_id" IS NOT NULL AND "orders3"."ordered_at" IS NOT NULL) AS "t89") AS "t90",
                                (VALUES (1)) AS "t91" ("k")
                        GROUP BY "t90"."customer_id", "t90"."spell_no") AS "t94",
                        (VALUES (1)) AS "t95" ("k")) AS "t96" ON "t85"."customer_id" = "t96"."customer_id" AND "t87"."period_end" > "t96"."from_day" AND ("t96"."churn_day" IS NULL OR "t87"."period_start" <= "t96"."churn_day")
        GROUP BY "t87"."grain", "t87"."period_start") AS "t98" ON "t13"."grain" = "t98"."grain" AND "t13"."period_start" = "t98"."period_start";
