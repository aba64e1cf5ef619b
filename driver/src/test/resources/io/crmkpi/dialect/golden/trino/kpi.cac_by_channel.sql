-- kpi.cac_by_channel: Customer acquisition cost per marketing channel and period - marketing spend in the period divided by the customers acquired through that channel in the period (first order ever in the period). Every channel seen in spend, leads or customers has a row in every period from the first data point to the current one.
CREATE OR REPLACE VIEW "hive"."kpi"."cac_by_channel" AS
SELECT "t16"."grain", "t16"."period_start", "t16"."period_end", "t16"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", "t28"."channel", CASE WHEN "t42"."spend" IS NOT NULL THEN CAST("t42"."spend" AS DECIMAL(19, 2)) ELSE 0.00 END AS "spend", CASE WHEN "t42"."leads" IS NOT NULL THEN CAST("t42"."leads" AS BIGINT) ELSE 0 END AS "leads", CASE WHEN "t42"."new_customers" IS NOT NULL THEN CAST("t42"."new_customers" AS BIGINT) ELSE 0 END AS "new_customers", CAST(CASE WHEN "t42"."spend" IS NOT NULL THEN CAST("t42"."spend" AS DECIMAL(19, 2)) ELSE 0.00 END AS DOUBLE) / CASE WHEN "t42"."new_customers" = 0 THEN NULL ELSE "t42"."new_customers" END AS "cac", CASE WHEN "t42"."revenue_new" IS NOT NULL THEN CAST("t42"."revenue_new" AS DECIMAL(19, 2)) ELSE 0.00 END AS "revenue_new"
FROM (SELECT "t0"."grain", "t0"."period_start", "t0"."period_end"
        FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t0",
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
                            SELECT 3 AS "EXPR$0", "customers"."channel", CAST("customers"."first_order_at" AS DATE) AS "EXPR$2", "t7"."amount_base"
                            FROM "hive"."crm"."customers"
                                LEFT JOIN (SELECT "customer_id", "amount_base", ROW_NUMBER() OVER (PARTITION BY "customer_id" ORDER BY "ordered_at", "order_id") AS "order_no"
                                    FROM "hive"."crm"."orders"
                                    WHERE "customer_id" IS NOT NULL AND "ordered_at" IS NOT NULL) AS "t7" ON "customers"."customer_id" = "t7"."customer_id" AND "t7"."order_no" = 1
                            WHERE "customers"."first_order_at" IS NOT NULL) AS "t10") AS "t13"
        WHERE "t0"."calendar_day" >= "t13"."first_day" AND "t0"."calendar_day" <= "t13"."last_day"
        GROUP BY "t0"."grain", "t0"."period_start", "t0"."period_end") AS "t16"
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
                    SELECT 3 AS "EXPR$0", "customers0"."channel", CAST("customers0"."first_order_at" AS DATE) AS "EXPR$2", "t23"."amount_base"
                    FROM "hive"."crm"."customers" AS "customers0"
                        LEFT JOIN (SELECT "customer_id", "amount_base", ROW_NUMBER() OVER (PARTITION BY "customer_id" ORDER BY "ordered_at", "order_id") AS "order_no"
                            FROM "hive"."crm"."orders"
                            WHERE "customer_id" IS NOT NULL AND "ordered_at" IS NOT NULL) AS "t23" ON "customers0"."customer_id" = "t23"."customer_id" AND "t23"."order_no" = 1
                    WHERE "customers0"."first_order_at" IS NOT NULL) AS "t26"
        GROUP BY "channel") AS "t28"
    LEFT JOIN (SELECT "t40"."grain", "t40"."period_start", "t38"."channel", SUM(CASE WHEN "t38"."kind" = 1 THEN "t38"."amount" ELSE NULL END) AS "spend", COUNT(CASE WHEN "t38"."kind" = 2 THEN 1 ELSE NULL END) AS "leads", COUNT(CASE WHEN "t38"."kind" = 3 THEN 1 ELSE NULL END) AS "new_customers", SUM(CASE WHEN "t38"."kind" = 3 THEN "t38"."amount" ELSE NULL END) AS "revenue_new"
        FROM (SELECT *
                    FROM (SELECT 1 AS "kind", "channel", "spend_date" AS "fact_day", "amount_base" AS "amount"
                                FROM "hive"."crm"."marketing_spend"
                                WHERE "spend_date" IS NOT NULL
                                UNION ALL
                                SELECT 2 AS "EXPR$0", "channel", CAST("created_at" AS DATE) AS "EXPR$2", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$3"
                                FROM "hive"."crm"."leads"
                                WHERE "created_at" IS NOT NULL) AS "t"
                    UNION ALL
                    SELECT 3 AS "EXPR$0", "customers1"."channel", CAST("customers1"."first_order_at" AS DATE) AS "EXPR$2", "t35"."amount_base"
                    FROM "hive"."crm"."customers" AS "customers1"
                        LEFT JOIN (SELECT "customer_id", "amount_base", ROW_NUMBER() OVER (PARTITION BY "customer_id" ORDER BY "ordered_at", "order_id") AS "order_no"
                            FROM "hive"."crm"."orders"
                            WHERE "customer_id" IS NOT NULL AND "ordered_at" IS NOT NULL) AS "t35" ON "customers1"."customer_id" = "t35"."customer_id" AND "t35"."order_no" = 1
                    WHERE "customers1"."first_order_at" IS NOT NULL) AS "t38"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t40" ON "t38"."fact_day" = "t40"."calendar_day"
        GROUP BY "t40"."grain", "t40"."period_start", "t38"."channel") AS "t42" ON "t16"."grain" = "t42"."grain" AND "t16"."period_start" = "t42"."period_start" AND "t28"."channel" IS NOT DISTINCT FROM "t42"."channel";
