-- kpi.ltv_cohort: Lifetime value by acquisition cohort - customers grouped by the month of their first order ever, followed month by month (months_since = calendar months after the cohort month, 0 = the cohort month) up to the current month. LTV is cumulative revenue divided by the ORIGINAL cohort size.
CREATE OR REPLACE VIEW "hive"."kpi"."ltv_cohort" AS
SELECT "t3"."cohort_month", CAST(EXTRACT(YEAR FROM "t13"."period_start") * 12 + EXTRACT(MONTH FROM "t13"."period_start") - (EXTRACT(YEAR FROM "t3"."cohort_month") * 12 + EXTRACT(MONTH FROM "t3"."cohort_month")) AS INTEGER) AS "months_since", "t3"."cohort_size", CASE WHEN "t22"."active_customers" IS NOT NULL THEN CAST("t22"."active_customers" AS BIGINT) ELSE 0 END AS "active_customers", CASE WHEN "t22"."orders" IS NOT NULL THEN CAST("t22"."orders" AS BIGINT) ELSE 0 END AS "orders", CASE WHEN "t22"."revenue" IS NOT NULL THEN CAST("t22"."revenue" AS DECIMAL(19, 2)) ELSE 0.00 END AS "revenue", SUM(CASE WHEN "t22"."revenue" IS NOT NULL THEN CAST("t22"."revenue" AS DECIMAL(19, 2)) ELSE 0.00 END) OVER (PARTITION BY "t3"."cohort_month" ORDER BY CAST(EXTRACT(YEAR FROM "t13"."period_start") * 12 + EXTRACT(MONTH FROM "t13"."period_start") - (EXTRACT(YEAR FROM "t3"."cohort_month") * 12 + EXTRACT(MONTH FROM "t3"."cohort_month")) AS INTEGER) ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "cumulative_revenue", CAST(SUM(CASE WHEN "t22"."revenue" IS NOT NULL THEN CAST("t22"."revenue" AS DECIMAL(19, 2)) ELSE 0.00 END) OVER (PARTITION BY "t3"."cohort_month" ORDER BY CAST(EXTRACT(YEAR FROM "t13"."period_start") * 12 + EXTRACT(MONTH FROM "t13"."period_start") - (EXTRACT(YEAR FROM "t3"."cohort_month") * 12 + EXTRACT(MONTH FROM "t3"."cohort_month")) AS INTEGER) ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE) / CASE WHEN "t3"."cohort_size" = 0 THEN NULL ELSE "t3"."cohort_size" END AS "ltv", CAST(CASE WHEN "t22"."active_customers" IS NOT NULL THEN CAST("t22"."active_customers" AS BIGINT) ELSE 0 END AS DOUBLE) / CASE WHEN "t3"."cohort_size" = 0 THEN NULL ELSE "t3"."cohort_size" END AS "retention_rate", "t13"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete"
FROM (SELECT "t1"."period_start" AS "cohort_month", COUNT(*) AS "cohort_size"
        FROM (SELECT "customer_id", "kind", "name", "channel", "first_order_at", "last_order_at", "orders", "revenue_base", "churned_at", CAST("first_order_at" AS DATE) AS "first_order_at0"
                FROM "hive"."crm"."customers") AS "t"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t1" ON "t"."first_order_at0" = "t1"."calendar_day" AND CAST("t1"."grain" AS VARCHAR) = 'month'
        GROUP BY "t1"."period_start") AS "t3"
    INNER JOIN (SELECT "t5"."period_start", "t5"."period_end"
        FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t5",
                (SELECT MIN("t8"."period_start") AS "first_day"
                FROM (SELECT "customer_id", "kind", "name", "channel", "first_order_at", "last_order_at", "orders", "revenue_base", "churned_at", CAST("first_order_at" AS DATE) AS "first_order_at0"
                        FROM "hive"."crm"."customers") AS "t6"
                    INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                        FROM "hive"."util"."calendar"
                        WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t8" ON "t6"."first_order_at0" = "t8"."calendar_day" AND CAST("t8"."grain" AS VARCHAR) = 'month') AS "t10"
        WHERE CAST("t5"."grain" AS VARCHAR) = 'month' AND "t5"."calendar_day" >= "t10"."first_day" AND "t5"."calendar_day" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)
        GROUP BY "t5"."period_start", "t5"."period_end") AS "t13" ON "t3"."cohort_month" <= "t13"."period_start"
    LEFT JOIN (SELECT "t18"."cohort_month", "t20"."period_start" AS "order_month", COUNT(DISTINCT "t18"."customer_id") AS "active_customers", COUNT(*) AS "orders", SUM("t18"."amount_base") AS "revenue"
        FROM (SELECT "orders"."order_id", "orders"."customer_id", "orders"."deal_id", "orders"."ordered_at", "orders"."amount", "orders"."currency", "orders"."amount_base", "orders"."owner_user_id", "orders"."channel", "t17"."customer_id" AS "customer_id0", "t17"."cohort_month", CAST("orders"."ordered_at" AS DATE) AS "ordered_at0"
                FROM "hive"."crm"."orders"
                    INNER JOIN (SELECT "t14"."customer_id", "t16"."period_start" AS "cohort_month"
                        FROM (SELECT "customer_id", "kind", "name", "channel", "first_order_at", "last_order_at", "orders", "revenue_base", "churned_at", CAST("first_order_at" AS DATE) AS "first_order_at0"
                                FROM "hive"."crm"."customers") AS "t14"
                            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                                FROM "hive"."util"."calendar"
                                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t16" ON "t14"."first_order_at0" = "t16"."calendar_day" AND CAST("t16"."grain" AS VARCHAR) = 'month') AS "t17" ON "orders"."customer_id" = "t17"."customer_id") AS "t18"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t20" ON "t18"."ordered_at0" = "t20"."calendar_day" AND CAST("t20"."grain" AS VARCHAR) = 'month'
        GROUP BY "t18"."cohort_month", "t20"."period_start") AS "t22" ON "t3"."cohort_month" = "t22"."cohort_month" AND "t13"."period_start" = "t22"."order_month";
