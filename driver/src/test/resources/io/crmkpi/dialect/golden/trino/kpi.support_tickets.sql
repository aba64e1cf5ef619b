-- kpi.support_tickets: Support tickets per period and channel: tickets created, tickets resolved, tickets still open at the end of the period, and the median resolution time in hours of the tickets resolved in the period. Every channel has a row in every period from the first ticket to the current one.
CREATE OR REPLACE VIEW "hive"."kpi"."support_tickets" AS
SELECT "t13"."grain", "t13"."period_start", "t13"."period_end", "t13"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", "t16"."channel", CASE WHEN "t27"."tickets_created" IS NOT NULL THEN CAST("t27"."tickets_created" AS BIGINT) ELSE 0 END AS "tickets_created", CASE WHEN "t27"."tickets_resolved" IS NOT NULL THEN CAST("t27"."tickets_resolved" AS BIGINT) ELSE 0 END AS "tickets_resolved", SUM(CASE WHEN "t27"."opened" IS NOT NULL THEN CAST("t27"."opened" AS BIGINT) ELSE 0 END - CASE WHEN "t27"."tickets_resolved" IS NOT NULL THEN CAST("t27"."tickets_resolved" AS BIGINT) ELSE 0 END) OVER (PARTITION BY "t13"."grain", "t16"."channel" ORDER BY "t13"."period_start" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "open_at_end", "t27"."median_resolution_hours"
FROM (SELECT "t0"."grain", "t0"."period_start", "t0"."period_end"
        FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t0",
                (SELECT MIN("event_day") AS "first_day", CASE WHEN MAX("event_day") > CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)THEN MAX("event_day") ELSE CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)END AS "last_day"
                FROM (SELECT CAST("created_at" AS DATE) AS "event_day", "channel", 1 AS "event_kind", CASE WHEN "resolved_at" IS NULL AND CAST("status" AS VARCHAR) <> 'open' THEN 0 ELSE 1 END AS "opens", CAST(NULL AS DOUBLE) AS "hours"
                            FROM "hive"."crm"."tickets"
                            WHERE "created_at" IS NOT NULL
                            UNION ALL
                            SELECT CAST("resolved_at" AS DATE) AS "EXPR$0", "channel", 2 AS "EXPR$2", 0 AS "EXPR$3", CAST(((date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("resolved_at" AS TIMESTAMP(6)))  / 1000) - (date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("created_at" AS TIMESTAMP(6)))  / 1000)) / 3600.0 AS DOUBLE) AS "EXPR$4"
                            FROM (SELECT "channel", "created_at", "resolved_at", CASE WHEN "resolved_at" IS NULL AND CAST("status" AS VARCHAR) <> 'open' THEN 0 ELSE 1 END AS "can_be_open"
                                    FROM "hive"."crm"."tickets"
                                    WHERE "created_at" IS NOT NULL) AS "t4"
                            WHERE "resolved_at" IS NOT NULL) AS "t7") AS "t10"
        WHERE "t0"."calendar_day" >= "t10"."first_day" AND "t0"."calendar_day" <= "t10"."last_day"
        GROUP BY "t0"."grain", "t0"."period_start", "t0"."period_end") AS "t13"
    CROSS JOIN (SELECT "channel"
        FROM "hive"."crm"."tickets"
        WHERE "created_at" IS NOT NULL
        GROUP BY "channel") AS "t16"
    LEFT JOIN (SELECT "t25"."grain", "t25"."period_start", "t23"."channel", COUNT(CASE WHEN "t23"."event_kind" = 1 THEN 1 ELSE NULL END) AS "tickets_created", COUNT(CASE WHEN "t23"."event_kind" = 1 AND "t23"."opens" = 1 THEN 1 ELSE NULL END) AS "opened", COUNT(CASE WHEN "t23"."event_kind" = 2 THEN 1 ELSE NULL END) AS "tickets_resolved", (CASE WHEN cardinality(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL))) = 0 THEN NULL ELSE element_at(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL)), CAST(floor((1 + 0.5 * (cardinality(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL))) - 1))) AS BIGINT)) + ((1 + 0.5 * (cardinality(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL))) - 1)) - CAST(floor((1 + 0.5 * (cardinality(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL))) - 1))) AS BIGINT)) * (element_at(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL)), least(CAST(floor((1 + 0.5 * (cardinality(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL))) - 1))) AS BIGINT) + 1, cardinality(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL))))) - element_at(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL)), CAST(floor((1 + 0.5 * (cardinality(array_sort(filter(array_agg("t23"."hours"), v -> v IS NOT NULL))) - 1))) AS BIGINT))) END) AS "median_resolution_hours"
        FROM (SELECT CAST("created_at" AS DATE) AS "event_day", "channel", 1 AS "event_kind", CASE WHEN "resolved_at" IS NULL AND CAST("status" AS VARCHAR) <> 'open' THEN 0 ELSE 1 END AS "opens", CAST(NULL AS DOUBLE) AS "hours"
                    FROM "hive"."crm"."tickets"
                    WHERE "created_at" IS NOT NULL
                    UNION ALL
                    SELECT CAST("resolved_at" AS DATE) AS "EXPR$0", "channel", 2 AS "EXPR$2", 0 AS "EXPR$3", CAST(((date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("resolved_at" AS TIMESTAMP(6)))  / 1000) - (date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("created_at" AS TIMESTAMP(6)))  / 1000)) / 3600.0 AS DOUBLE) AS "EXPR$4"
                    FROM (SELECT "channel", "created_at", "resolved_at", CASE WHEN "resolved_at" IS NULL AND CAST("status" AS VARCHAR) <> 'open' THEN 0 ELSE 1 END AS "can_be_open"
                            FROM "hive"."crm"."tickets"
                            WHERE "created_at" IS NOT NULL) AS "t20"
                    WHERE "resolved_at" IS NOT NULL) AS "t23"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t25" ON "t23"."event_day" = "t25"."calendar_day"
        GROUP BY "t25"."grain", "t25"."period_start", "t23"."channel") AS "t27" ON "t13"."grain" = "t27"."grain" AND "t13"."period_start" = "t27"."period_start" AND "t16"."channel" IS NOT DISTINCT FROM "t27"."channel";
