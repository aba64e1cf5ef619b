-- kpi.romi_by_channel: Return on marketing investment per period and channel: spend, revenue of the period's orders attributed to the channel, ROAS = revenue / spend and ROMI = (revenue x gross_margin - spend) / spend (break-even is 0, not 1). Set the connection property gross_margin (default 1.0 = revenue counts fully) for a margin-based ROMI. Every channel has a row in every period from the first spend or order to the current one.
CREATE OR REPLACE VIEW "hive"."kpi"."romi_by_channel" AS
SELECT "grain", "period_start", "period_end", "period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", "channel", CAST(CASE WHEN "spend" IS NOT NULL THEN CAST("spend" AS DECIMAL(19, 2)) ELSE 0.00 END AS DECIMAL(18, 2)) AS "spend", CAST(CASE WHEN "revenue" IS NOT NULL THEN CAST("revenue" AS DECIMAL(19, 2)) ELSE 0.00 END AS DECIMAL(18, 2)) AS "revenue", CAST(CASE WHEN "revenue" IS NOT NULL THEN CAST("revenue" AS DECIMAL(19, 2)) ELSE 0.00 END AS DOUBLE) / CASE WHEN CAST("spend" AS DOUBLE) = 0E0 THEN NULL ELSE CAST("spend" AS DOUBLE) END AS "roas", (CAST(CASE WHEN "revenue" IS NOT NULL THEN CAST("revenue" AS DECIMAL(19, 2)) ELSE 0.00 END AS DOUBLE) * 1.0E0 - CAST("spend" AS DOUBLE)) / CASE WHEN CAST("spend" AS DOUBLE) = 0E0 THEN NULL ELSE CAST("spend" AS DOUBLE) END AS "romi"
FROM (SELECT "t1"."grain", "t1"."period_start", "t1"."period_end", "t11"."channel", "t23"."spend", "t23"."revenue", MIN(CASE WHEN "t23"."grain" IS NOT NULL THEN "t1"."period_start" ELSE NULL END) OVER (PARTITION BY "t1"."grain" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "first_start", MAX(CASE WHEN "t23"."grain" IS NOT NULL THEN "t1"."period_start" ELSE NULL END) OVER (PARTITION BY "t1"."grain" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "last_start"
        FROM (SELECT "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END
                GROUP BY "grain", "period_start", "period_end") AS "t1"
            CROSS JOIN (SELECT "channel"
                FROM (SELECT *
                            FROM (SELECT "spend_date" AS "event_day", "channel", "amount_base" AS "spend_amount", CAST(NULL AS DECIMAL(18, 2)) AS "order_amount"
                                        FROM "hive"."crm"."marketing_spend"
                                        WHERE "spend_date" IS NOT NULL
                                        UNION ALL
                                        SELECT CAST("orders"."ordered_at" AS DATE) AS "EXPR$0", "orders"."channel", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$2", "orders"."amount_base"
                                        FROM "hive"."crm"."orders"
                                            LEFT JOIN "hive"."crm"."deals" ON "orders"."deal_id" = "deals"."deal_id" AND "deals"."is_deleted"
                                        WHERE "orders"."ordered_at" IS NOT NULL AND "orders"."channel" IS NOT NULL AND "deals"."deal_id" IS NULL) AS "t"
                            UNION ALL
                            SELECT CAST("orders0"."ordered_at" AS DATE) AS "EXPR$0", "deals0"."channel", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$2", "orders0"."amount_base"
                            FROM "hive"."crm"."orders" AS "orders0"
                                LEFT JOIN "hive"."crm"."deals" AS "deals0" ON "orders0"."deal_id" = "deals0"."deal_id"
                            WHERE "orders0"."ordered_at" IS NOT NULL AND "orders0"."channel" IS NULL AND ("deals0"."is_deleted" IS NULL OR NOT "deals0"."is_deleted")) AS "t9"
                GROUP BY "channel") AS "t11"
            LEFT JOIN (SELECT "t21"."grain", "t21"."period_start", "t19"."channel", SUM("t19"."spend_amount") AS "spend", SUM("t19"."order_amount") AS "revenue"
                FROM (SELECT *
                            FROM (SELECT "spend_date" AS "event_day", "channel", "amount_base" AS "spend_amount", CAST(NULL AS DECIMAL(18, 2)) AS "order_amount"
                                        FROM "hive"."crm"."marketing_spend"
                                        WHERE "spend_date" IS NOT NULL
                                        UNION ALL
                                        SELECT CAST("orders1"."ordered_at" AS DATE) AS "EXPR$0", "orders1"."channel", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$2", "orders1"."amount_base"
                                        FROM "hive"."crm"."orders" AS "orders1"
                                            LEFT JOIN "hive"."crm"."deals" AS "deals1" ON "orders1"."deal_id" = "deals1"."deal_id" AND "deals1"."is_deleted"
                                        WHERE "orders1"."ordered_at" IS NOT NULL AND "orders1"."channel" IS NOT NULL AND "deals1"."deal_id" IS NULL) AS "t"
                            UNION ALL
                            SELECT CAST("orders2"."ordered_at" AS DATE) AS "EXPR$0", "deals2"."channel", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$2", "orders2"."amount_base"
                            FROM "hive"."crm"."orders" AS "orders2"
                                LEFT JOIN "hive"."crm"."deals" AS "deals2" ON "orders2"."deal_id" = "deals2"."deal_id"
                            WHERE "orders2"."ordered_at" IS NOT NULL AND "orders2"."channel" IS NULL AND ("deals2"."is_deleted" IS NULL OR NOT "deals2"."is_deleted")) AS "t19"
                    INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                        FROM "hive"."util"."calendar"
                        WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t21" ON "t19"."event_day" = "t21"."calendar_day"
                GROUP BY "t21"."grain", "t21"."period_start", "t19"."channel") AS "t23" ON "t1"."grain" = "t23"."grain" AND "t1"."period_start" = "t23"."period_start" AND "t11"."channel" IS NOT DISTINCT FROM "t23"."channel") AS "t24"
WHERE "t24"."period_start" >= "t24"."first_start" AND ("t24"."period_start" <= "t24"."last_start" OR "t24"."period_start" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE));
