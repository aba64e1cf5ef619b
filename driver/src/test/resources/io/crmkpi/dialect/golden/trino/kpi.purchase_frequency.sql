-- kpi.purchase_frequency: Purchase frequency per period: customers who bought at least once in the period, their orders, and orders per purchasing customer (e.g. 500 orders by 200 customers = 2.5). Every period from the first order to the current one has a row (zeros, NULL frequency where nobody bought). Orders of deleted deals and orders without a customer are left out.
CREATE OR REPLACE VIEW "hive"."kpi"."purchase_frequency" AS
SELECT "grain", "period_start", "period_end", "period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", CASE WHEN "active_customers" IS NOT NULL THEN CAST("active_customers" AS BIGINT) ELSE 0 END AS "active_customers", CASE WHEN "orders" IS NOT NULL THEN CAST("orders" AS BIGINT) ELSE 0 END AS "orders", CAST("orders" AS DOUBLE) / CASE WHEN "active_customers" = 0 THEN NULL ELSE "active_customers" END AS "orders_per_customer"
FROM (SELECT "t1"."grain", "t1"."period_start", "t1"."period_end", "t7"."active_customers", "t7"."orders", MIN(CASE WHEN "t7"."grain" IS NOT NULL THEN "t1"."period_start" ELSE NULL END) OVER (PARTITION BY "t1"."grain" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "first_start", MAX(CASE WHEN "t7"."grain" IS NOT NULL THEN "t1"."period_start" ELSE NULL END) OVER (PARTITION BY "t1"."grain" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "last_start"
        FROM (SELECT "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END
                GROUP BY "grain", "period_start", "period_end") AS "t1"
            LEFT JOIN (SELECT "t5"."grain", "t5"."period_start", COUNT(DISTINCT "t3"."customer_id") AS "active_customers", COUNT(*) AS "orders"
                FROM (SELECT CAST("orders"."ordered_at" AS DATE) AS "order_day", "orders"."order_id", "orders"."customer_id"
                        FROM "hive"."crm"."orders"
                            LEFT JOIN "hive"."crm"."deals" ON "orders"."deal_id" = "deals"."deal_id" AND "deals"."is_deleted"
                        WHERE "orders"."ordered_at" IS NOT NULL AND "orders"."customer_id" IS NOT NULL AND "deals"."deal_id" IS NULL) AS "t3"
                    INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                        FROM "hive"."util"."calendar"
                        WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t5" ON "t3"."order_day" = "t5"."calendar_day"
                GROUP BY "t5"."grain", "t5"."period_start") AS "t7" ON "t1"."grain" = "t7"."grain" AND "t1"."period_start" = "t7"."period_start") AS "t8"
WHERE "t8"."period_start" >= "t8"."first_start" AND ("t8"."period_start" <= "t8"."last_start" OR "t8"."period_start" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE));
