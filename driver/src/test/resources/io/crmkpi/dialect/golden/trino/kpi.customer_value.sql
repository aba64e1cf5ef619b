-- kpi.customer_value: One row per customer - orders, revenue, average check, lifetime, acquisition cost (the CAC of its channel in its acquisition month, from kpi.cac_by_channel) and profit = revenue x gross_margin - acquisition cost.
CREATE OR REPLACE VIEW "hive"."kpi"."customer_value" AS
SELECT "customers"."customer_id", "customers"."name", "customers"."channel", "customers"."first_order_at", "customers"."last_order_at", "customers"."orders", "customers"."revenue_base" AS "revenue", CAST("customers"."revenue_base" AS DOUBLE) / CASE WHEN "customers"."orders" = 0 THEN NULL ELSE "customers"."orders" END AS "avg_check", CAST((date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST(CASE WHEN "t9"."churned_at" IS NOT NULL THEN CAST("t9"."churned_at" AS TIMESTAMP(6)) ELSE CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS TIMESTAMP(6))END AS TIMESTAMP(6)))  / 1000) - (date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("customers"."first_order_at" AS TIMESTAMP(6)))  / 1000) AS DOUBLE) / 86400.0 AS "lifetime_days", "t58"."cac" AS "acquisition_cost", CAST("customers"."revenue_base" AS DOUBLE) * 1.0E0 - "t58"."cac" AS "profit", "t9"."churned_at" IS NOT NULL AS "is_churned"
FROM "hive"."crm"."customers"
    LEFT JOIN (SELECT "customer_id", "churned_at"
        FROM (SELECT "t5"."customer_id", CASE WHEN "t5"."ends_at" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS TIMESTAMP(6))THEN "t5"."ends_at" ELSE NULL END AS "churned_at", ROW_NUMBER() OVER (PARTITION BY "t5"."customer_id" ORDER BY "t5"."spell_no" IS NULL DESC, "t5"."spell_no" DESC) AS "newest"
                FROM (SELECT "t1"."customer_id", "t1"."spell_no", MIN("t1"."ordered_at") AS "active_from", MAX("t1"."ordered_at") AS "last_order_at", COUNT(*) AS "orders", CASE WHEN MAX("t1"."recorded_churn") >= MAX("t1"."ordered_at") AND MAX("t1"."recorded_churn") < (MAX("t1"."ordered_at") + INTERVAL '1' DAY * 90) THEN MAX("t1"."recorded_churn") ELSE (MAX("t1"."ordered_at") + INTERVAL '1' DAY * 90) END AS "ends_at"
                        FROM (SELECT "t0"."customer_id", "t0"."ordered_at", "t0"."recorded_churn", SUM("t0"."starts_spell") OVER (PARTITION BY "t0"."customer_id" ORDER BY "t0"."ordered_at", "t0"."order_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "spell_no"
                                FROM (SELECT "orders"."customer_id", "orders"."order_id", "orders"."ordered_at", "customers0"."churned_at" AS "recorded_churn", CASE WHEN (LAG("orders"."ordered_at") OVER (PARTITION BY "orders"."customer_id" ORDER BY "orders"."ordered_at", "orders"."order_id")) IS NULL THEN 1 WHEN "orders"."ordered_at" > ((LAG("orders"."ordered_at") OVER (PARTITION BY "orders"."customer_id" ORDER BY "orders"."ordered_at", "orders"."order_id")) + INTERVAL '1' DAY * 90) THEN 1 WHEN "customers0"."churned_at" >= (LAG("orders"."ordered_at") OVER (PARTITION BY "orders"."customer_id" ORDER BY "orders"."ordered_at", "orders"."order_id")) AND "customers0"."churned_at" < "orders"."ordered_at" THEN 1 ELSE 0 END AS "starts_spell"
                                        FROM "hive"."crm"."orders"
                                            LEFT JOIN "hive"."crm"."customers" AS "customers0" ON "orders"."customer_id" = "customers0"."customer_id"
                                        WHERE "orders"."customer_id" IS NOT NULL AND "orders"."ordered_at" IS NOT NULL) AS "t0") AS "t1",
                                (VALUES (1)) AS "t2" ("k")
                        GROUP BY "t1"."customer_id", "t1"."spell_no") AS "t5",
                        (VALUES (1)) AS "t6" ("k")) AS "t7"
        WHERE "newest" = 1) AS "t9" ON "customers"."customer_id" = "t9"."customer_id"
    LEFT JOIN (SELECT "t10"."customer_id", "t12"."period_start" AS "acquisition_month"
        FROM (SELECT "customer_id", "kind", "name", "channel", "first_order_at", "last_order_at", "orders", "revenue_base", "churned_at", CAST("first_order_at" AS DATE) AS "first_order_at0"
                FROM "hive"."crm"."customers") AS "t10"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t12" ON "t10"."first_order_at0" = "t12"."calendar_day" AND CAST("t12"."grain" AS VARCHAR) = 'month') AS "t13" ON "customers"."customer_id" = "t13"."customer_id"
    LEFT JOIN (SELECT "t31"."grain", "t31"."period_start", "t31"."period_end", "t31"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", "t43"."channel", CASE WHEN "t57"."spend" IS NOT NULL THEN CAST("t57"."spend" AS DECIMAL(19, 2)) ELSE 0.00 END AS "spend", CASE WHEN "t57"."leads" IS NOT NULL THEN CAST("t57"."leads" AS BIGINT) ELSE 0 END AS "leads", CASE WHEN "t57"."new_customers" IS NOT NULL THEN CAST("t57"."new_customers" AS BIGINT) ELSE 0 END AS "new_customers", CAST(CASE WHEN "t57"."spend" IS NOT NULL THEN CAST("t57"."spend" AS DECIMAL(19, 2)) ELSE 0.00 END AS DOUBLE) / CASE WHEN "t57"."new_customers" = 0 THEN NULL ELSE "t57"."new_customers" END AS "cac", CASE WHEN "t57"."revenue_new" IS NOT NULL THEN CAST("t57"."revenue_new" AS DECIMAL(19, 2)) ELSE 0.00 END AS "revenue_new"
        FROM (SELECT "t15"."grain", "t15"."period_start", "t15"."period_end"
                FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                        FROM "hive"."util"."calendar"
                        WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t15",
                        (SELECT MIN("fact_day") AS "first_day", CASE WHEN MAX("fact_day") > CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)THEN MAX("fact_day") ELSE CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)END AS "last_day"
                        FROM (SELECT *
                                    FROM (SELECT 1 AS "kind", "channel", "spend_date" AS "fact_day", "amount_base" AS "amount"
                                                FROM "hive"."crm"."marketing_spend"
                                                WHERE "spend_date" IS NOT NULL
                                                UNION ALL
                                                SELECT 2 AS "EXPR$0", "channel", CAST("created_at" AS DATE) AS "EXPR$2", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$3"
                                                FROM "hive"."crm"."leads"
                                                WHERE "created_at" IS NOT NULL) AS "t"
                                    UNION ALL
                                    SELECT 3 AS "EXPR$0", "customers2"."channel", CAST("customers2"."first_order_at" AS DATE) AS "EXPR$2", "t22"."amount_base"
                                    FROM "hive"."crm"."customers" AS "customers2"
                                        LEFT JOIN (SELECT "customer_id", "amount_base", ROW_NUMBER() OVER (PARTITION BY "customer_id" ORDER BY "ordered_at", "order_id") AS "order_no"
                                            FROM "hive"."crm"."orders"
                                            WHERE "customer_id" IS NOT NULL AND "ordered_at" IS NOT NULL) AS "t22" ON "customers2"."customer_id" = "t22"."customer_id" AND "t22"."order_no" = 1
                                    WHERE "customers2"."first_order_at" IS NOT NULL) AS "t25") AS "t28"
                WHERE "t15"."calendar_day" >= "t28"."first_day" AND "t15"."calendar_day" <= "t28"."last_day"
                GROUP BY "t15"."grain", "t15"."period_start", "t15"."period_end") AS "t31"
            CROSS JOIN (SELECT "channel"
                FROM (SELECT *
                            FROM (SELECT 1 AS "kind", "channel", "spend_date" AS "fact_day", "amount_base" AS "amount"
                                        FROM "hive"."crm"."marketing_spend"
                                        WHERE "spend_date" IS NOT NULL
                                        UNION ALL
                                        SELECT 2 AS "EXPR$0", "channel", CAST("created_at" AS DATE) AS "EXPR$2", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$3"
                                        FROM "hive"."crm"."leads"
                                        WHERE "created_at" IS NOT NULL) AS "t"
                            UNION ALL
                            SELECT 3 AS "EXPR$0", "customers3"."channel", CAST("customers3"."first_order_at" AS DATE) AS "EXPR$2", "t38"."amount_base"
                            FROM "hive"."crm"."customers" AS "customers3"
                                LEFT JOIN (SELECT "customer_id", "amount_base", ROW_NUMBER() OVER (PARTITION BY "customer_id" ORDER BY "ordered_at", "order_id") AS "order_no"
                                    FROM "hive"."crm"."orders"
                                    WHERE "customer_id" IS NOT NULL AND "ordered_at" IS NOT NULL) AS "t38" ON "customers3"."customer_id" = "t38"."customer_id" AND "t38"."order_no" = 1
                            WHERE "customers3"."first_order_at" IS NOT NULL) AS "t41"
                GROUP BY "channel") AS "t43"
            LEFT JOIN (SELECT "t55"."grain", "t55"."period_start", "t53"."channel", SUM(CASE WHEN "t53"."kind" = 1 THEN "t53"."amount" ELSE NULL END) AS "spend", COUNT(CASE WHEN "t53"."kind" = 2 THEN 1 ELSE NULL END) AS "leads", COUNT(CASE WHEN "t53"."kind" = 3 THEN 1 ELSE NULL END) AS "new_customers", SUM(CASE WHEN "t53"."kind" = 3 THEN "t53"."amount" ELSE NULL END) AS "revenue_new"
                FROM (SELECT *
                            FROM (SELECT 1 AS "kind", "channel", "spend_date" AS "fact_day", "amount_base" AS "amount"
                                        FROM "hive"."crm"."marketing_spend"
                                        WHERE "spend_date" IS NOT NULL
                                        UNION ALL
                                        SELECT 2 AS "EXPR$0", "channel", CAST("created_at" AS DATE) AS "EXPR$2", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$3"
                                        FROM "hive"."crm"."leads"
                                        WHERE "created_at" IS NOT NULL) AS "t"
                            UNION ALL
                            SELECT 3 AS "EXPR$0", "customers4"."channel", CAST("customers4"."first_order_at" AS DATE) AS "EXPR$2", "t50"."amount_base"
                            FROM "hive"."crm"."customers" AS "customers4"
                                LEFT JOIN (SELECT "customer_id", "amount_base", ROW_NUMBER() OVER (PARTITION BY "customer_id" ORDER BY "ordered_at", "order_id") AS "order_no"
                                    FROM "hive"."crm"."orders"
                                    WHERE "customer_id" IS NOT NULL AND "ordered_at" IS NOT NULL) AS "t50" ON "customers4"."customer_id" = "t50"."customer_id" AND "t50"."order_no" = 1
                            WHERE "customers4"."first_order_at" IS NOT NULL) AS "t53"
                    INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                        FROM "hive"."util"."calendar"
                        WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t55" ON "t53"."fact_day" = "t55"."calendar_day"
                GROUP BY "t55"."grain", "t55"."period_start", "t53"."channel") AS "t57" ON "t31"."grain" = "t57"."grain" AND "t31"."period_start" = "t57"."period_start" AND "t43"."channel" IS NOT DISTINCT FROM "t57"."channel") AS "t58" ON CAST("t58"."grain" AS VARCHAR) = 'month' AND "t13"."acquisition_month" = "t58"."period_start" AND "customers"."channel" IS NOT DISTINCT FROM "t58"."channel";
