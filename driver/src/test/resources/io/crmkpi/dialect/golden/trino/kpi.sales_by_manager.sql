-- kpi.sales_by_manager: Sales per period and manager: deals created, won and lost by the deal's owner, win rate, orders and revenue by the manager recorded on the order at order time, average check, and the average sales cycle of the won deals. Every manager appears in every period from the first data point to the current one (zeros where they did nothing). Deleted deals are excluded.
CREATE OR REPLACE VIEW "hive"."kpi"."sales_by_manager" AS
SELECT "t14"."grain", "t14"."period_start", "t14"."period_end", "t14"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", "t24"."owner_key" AS "owner_user_id", "users"."name" AS "owner_name", CASE WHEN "t36"."deals_created" IS NOT NULL THEN CAST("t36"."deals_created" AS BIGINT) ELSE 0 END AS "deals_created", CASE WHEN "t36"."deals_won" IS NOT NULL THEN CAST("t36"."deals_won" AS BIGINT) ELSE 0 END AS "deals_won", CASE WHEN "t36"."deals_lost" IS NOT NULL THEN CAST("t36"."deals_lost" AS BIGINT) ELSE 0 END AS "deals_lost", CAST("t36"."deals_won" AS DOUBLE) / CASE WHEN "t36"."deals_won" + "t36"."deals_lost" = 0 THEN NULL ELSE "t36"."deals_won" + "t36"."deals_lost" END AS "win_rate", CASE WHEN "t36"."orders" IS NOT NULL THEN CAST("t36"."orders" AS BIGINT) ELSE 0 END AS "orders", CAST(CASE WHEN "t36"."revenue" IS NOT NULL THEN CAST("t36"."revenue" AS DECIMAL(19, 2)) ELSE 0.00 END AS DECIMAL(18, 2)) AS "revenue", CAST("t36"."revenue" AS DOUBLE) / CASE WHEN "t36"."orders" = 0 THEN NULL ELSE "t36"."orders" END AS "avg_check", "t36"."avg_cycle_days"
FROM (SELECT "t0"."grain", "t0"."period_start", "t0"."period_end"
        FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t0",
                (SELECT MIN("event_day") AS "first_day", CASE WHEN MAX("event_day") > CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)THEN MAX("event_day") ELSE CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)END AS "last_day"
                FROM (SELECT *
                            FROM (SELECT CAST("created_at" AS DATE) AS "event_day", "owner_user_id" AS "owner_key", 1 AS "event_kind", CAST(NULL AS DECIMAL(18, 2)) AS "amount", CAST(NULL AS DOUBLE) AS "cycle_days"
                                        FROM "hive"."crm"."deals"
                                        WHERE NOT "is_deleted" AND "created_at" IS NOT NULL
                                        UNION ALL
                                        SELECT CAST("closed_at" AS DATE) AS "EXPR$0", "owner_user_id", CASE WHEN CAST("status" AS VARCHAR) = 'won' THEN 2 ELSE 3 END AS "EXPR$2", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$3", CAST(CASE WHEN CAST("status" AS VARCHAR) = 'won' AND "created_at" IS NOT NULL THEN ((date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("closed_at" AS TIMESTAMP(6)))  / 1000) - (date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("created_at" AS TIMESTAMP(6)))  / 1000)) / 86400.0 ELSE NULL END AS DOUBLE) AS "EXPR$4"
                                        FROM "hive"."crm"."deals"
                                        WHERE NOT "is_deleted" AND "status" IN ('lost', 'won') AND "closed_at" IS NOT NULL) AS "t"
                            UNION ALL
                            SELECT CAST("orders"."ordered_at" AS DATE) AS "EXPR$0", "orders"."owner_user_id", 4 AS "EXPR$2", "orders"."amount_base", CAST(NULL AS DOUBLE) AS "EXPR$4"
                            FROM "hive"."crm"."orders"
                                LEFT JOIN "hive"."crm"."deals" AS "deals1" ON "orders"."deal_id" = "deals1"."deal_id" AND "deals1"."is_deleted"
                            WHERE "orders"."ordered_at" IS NOT NULL AND "deals1"."deal_id" IS NULL) AS "t8") AS "t11"
        WHERE "t0"."calendar_day" >= "t11"."first_day" AND "t0"."calendar_day" <= "t11"."last_day"
        GROUP BY "t0"."grain", "t0"."period_start", "t0"."period_end") AS "t14"
    CROSS JOIN (SELECT "owner_key"
        FROM (SELECT *
                    FROM (SELECT CAST("created_at" AS DATE) AS "event_day", "owner_user_id" AS "owner_key", 1 AS "event_kind", CAST(NULL AS DECIMAL(18, 2)) AS "amount", CAST(NULL AS DOUBLE) AS "cycle_days"
                                FROM "hive"."crm"."deals"
                                WHERE NOT "is_deleted" AND "created_at" IS NOT NULL
                                UNION ALL
                                SELECT CAST("closed_at" AS DATE) AS "EXPR$0", "owner_user_id", CASE WHEN CAST("status" AS VARCHAR) = 'won' THEN 2 ELSE 3 END AS "EXPR$2", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$3", CAST(CASE WHEN CAST("status" AS VARCHAR) = 'won' AND "created_at" IS NOT NULL THEN ((date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("closed_at" AS TIMESTAMP(6)))  / 1000) - (date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("created_at" AS TIMESTAMP(6)))  / 1000)) / 86400.0 ELSE NULL END AS DOUBLE) AS "EXPR$4"
                                FROM "hive"."crm"."deals"
                                WHERE NOT "is_deleted" AND "status" IN ('lost', 'won') AND "closed_at" IS NOT NULL) AS "t"
                    UNION ALL
                    SELECT CAST("orders0"."ordered_at" AS DATE) AS "EXPR$0", "orders0"."owner_user_id", 4 AS "EXPR$2", "orders0"."amount_base", CAST(NULL AS DOUBLE) AS "EXPR$4"
                    FROM "hive"."crm"."orders" AS "orders0"
                        LEFT JOIN "hive"."crm"."deals" AS "deals4" ON "orders0"."deal_id" = "deals4"."deal_id" AND "deals4"."is_deleted"
                    WHERE "orders0"."ordered_at" IS NOT NULL AND "deals4"."deal_id" IS NULL) AS "t22"
        GROUP BY "owner_key") AS "t24"
    LEFT JOIN "hive"."crm"."users" ON "t24"."owner_key" = "users"."user_id"
    LEFT JOIN (SELECT "t34"."grain", "t34"."period_start", "t32"."owner_key", COUNT(CASE WHEN "t32"."event_kind" = 1 THEN 1 ELSE NULL END) AS "deals_created", COUNT(CASE WHEN "t32"."event_kind" = 2 THEN 1 ELSE NULL END) AS "deals_won", COUNT(CASE WHEN "t32"."event_kind" = 3 THEN 1 ELSE NULL END) AS "deals_lost", COUNT(CASE WHEN "t32"."event_kind" = 4 THEN 1 ELSE NULL END) AS "orders", SUM("t32"."amount") AS "revenue", AVG("t32"."cycle_days") AS "avg_cycle_days"
        FROM (SELECT *
                    FROM (SELECT CAST("created_at" AS DATE) AS "event_day", "owner_user_id" AS "owner_key", 1 AS "event_kind", CAST(NULL AS DECIMAL(18, 2)) AS "amount", CAST(NULL AS DOUBLE) AS "cycle_days"
                                FROM "hive"."crm"."deals"
                                WHERE NOT "is_deleted" AND "created_at" IS NOT NULL
                                UNION ALL
                                SELECT CAST("closed_at" AS DATE) AS "EXPR$0", "owner_user_id", CASE WHEN CAST("status" AS VARCHAR) = 'won' THEN 2 ELSE 3 END AS "EXPR$2", CAST(NULL AS DECIMAL(18, 2)) AS "EXPR$3", CAST(CASE WHEN CAST("status" AS VARCHAR) = 'won' AND "created_at" IS NOT NULL THEN ((date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("closed_at" AS TIMESTAMP(6)))  / 1000) - (date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("created_at" AS TIMESTAMP(6)))  / 1000)) / 86400.0 ELSE NULL END AS DOUBLE) AS "EXPR$4"
                                FROM "hive"."crm"."deals"
                                WHERE NOT "is_deleted" AND "status" IN ('lost', 'won') AND "closed_at" IS NOT NULL) AS "t"
                    UNION ALL
                    SELECT CAST("orders1"."ordered_at" AS DATE) AS "EXPR$0", "orders1"."owner_user_id", 4 AS "EXPR$2", "orders1"."amount_base", CAST(NULL AS DOUBLE) AS "EXPR$4"
                    FROM "hive"."crm"."orders" AS "orders1"
                        LEFT JOIN "hive"."crm"."deals" AS "deals7" ON "orders1"."deal_id" = "deals7"."deal_id" AND "deals7"."is_deleted"
                    WHERE "orders1"."ordered_at" IS NOT NULL AND "deals7"."deal_id" IS NULL) AS "t32"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t34" ON "t32"."event_day" = "t34"."calendar_day"
        GROUP BY "t34"."grain", "t34"."period_start", "t32"."owner_key") AS "t36" ON "t14"."grain" = "t36"."grain" AND "t14"."period_start" = "t36"."period_start" AND "t24"."owner_key" IS NOT DISTINCT FROM "t36"."owner_key";
