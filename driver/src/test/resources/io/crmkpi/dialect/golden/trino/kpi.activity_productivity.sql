-- kpi.activity_productivity: Activity productivity per manager and period: completed activities (by completed_at) by kind - calls, emails, meetings, tasks, messages, notes - and by direction, next to the deals the manager won in the period and the activities per won deal. One row per manager in every period from the first completed activity or win to the current one (zeros where nothing happened). Automated activities and those of deleted deals are excluded.
CREATE OR REPLACE VIEW "hive"."kpi"."activity_productivity" AS
SELECT "t11"."grain", "t11"."period_start", "t11"."period_end", "t11"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", "t18"."user_key" AS "user_id", "users"."name" AS "user_name", CASE WHEN "t27"."activities" IS NOT NULL THEN CAST("t27"."activities" AS BIGINT) ELSE 0 END AS "activities", CASE WHEN "t27"."calls" IS NOT NULL THEN CAST("t27"."calls" AS BIGINT) ELSE 0 END AS "calls", CASE WHEN "t27"."emails" IS NOT NULL THEN CAST("t27"."emails" AS BIGINT) ELSE 0 END AS "emails", CASE WHEN "t27"."meetings" IS NOT NULL THEN CAST("t27"."meetings" AS BIGINT) ELSE 0 END AS "meetings", CASE WHEN "t27"."tasks" IS NOT NULL THEN CAST("t27"."tasks" AS BIGINT) ELSE 0 END AS "tasks", CASE WHEN "t27"."messages" IS NOT NULL THEN CAST("t27"."messages" AS BIGINT) ELSE 0 END AS "messages", CASE WHEN "t27"."notes" IS NOT NULL THEN CAST("t27"."notes" AS BIGINT) ELSE 0 END AS "notes", CASE WHEN "t27"."inbound" IS NOT NULL THEN CAST("t27"."inbound" AS BIGINT) ELSE 0 END AS "inbound", CASE WHEN "t27"."outbound" IS NOT NULL THEN CAST("t27"."outbound" AS BIGINT) ELSE 0 END AS "outbound", CASE WHEN "t27"."deals_won" IS NOT NULL THEN CAST("t27"."deals_won" AS BIGINT) ELSE 0 END AS "deals_won", CAST("t27"."activities" AS DOUBLE) / CASE WHEN "t27"."deals_won" = 0 THEN NULL ELSE "t27"."deals_won" END AS "activities_per_won_deal"
FROM (SELECT "t0"."grain", "t0"."period_start", "t0"."period_end"
        FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t0",
                (SELECT MIN("event_day") AS "first_day", CASE WHEN MAX("event_day") > CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)THEN MAX("event_day") ELSE CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)END AS "last_day"
                FROM (SELECT CAST("activities"."completed_at" AS DATE) AS "event_day", "activities"."user_id" AS "user_key", CAST("activities"."kind" AS VARCHAR) AS "kind", "activities"."direction"
                            FROM "hive"."crm"."activities"
                                LEFT JOIN "hive"."crm"."deals" ON "activities"."deal_id" = "deals"."deal_id" AND "deals"."is_deleted"
                            WHERE "activities"."completed_at" IS NOT NULL AND ("activities"."is_automated" IS NULL OR NOT "activities"."is_automated") AND "deals"."deal_id" IS NULL
                            UNION ALL
                            SELECT CAST("closed_at" AS DATE) AS "EXPR$0", "owner_user_id", 'won_deal' AS "EXPR$2", CAST(NULL AS VARCHAR) AS "EXPR$3"
                            FROM "hive"."crm"."deals"
                            WHERE NOT "is_deleted" AND CAST("status" AS VARCHAR) = 'won' AND "closed_at" IS NOT NULL) AS "t5") AS "t8"
        WHERE "t0"."calendar_day" >= "t8"."first_day" AND "t0"."calendar_day" <= "t8"."last_day"
        GROUP BY "t0"."grain", "t0"."period_start", "t0"."period_end") AS "t11"
    CROSS JOIN (SELECT "user_key"
        FROM (SELECT CAST("activities0"."completed_at" AS DATE) AS "event_day", "activities0"."user_id" AS "user_key", CAST("activities0"."kind" AS VARCHAR) AS "kind", "activities0"."direction"
                    FROM "hive"."crm"."activities" AS "activities0"
                        LEFT JOIN "hive"."crm"."deals" AS "deals1" ON "activities0"."deal_id" = "deals1"."deal_id" AND "deals1"."is_deleted"
                    WHERE "activities0"."completed_at" IS NOT NULL AND ("activities0"."is_automated" IS NULL OR NOT "activities0"."is_automated") AND "deals1"."deal_id" IS NULL
                    UNION ALL
                    SELECT CAST("closed_at" AS DATE) AS "EXPR$0", "owner_user_id", 'won_deal' AS "EXPR$2", CAST(NULL AS VARCHAR) AS "EXPR$3"
                    FROM "hive"."crm"."deals"
                    WHERE NOT "is_deleted" AND CAST("status" AS VARCHAR) = 'won' AND "closed_at" IS NOT NULL) AS "t16"
        GROUP BY "user_key") AS "t18"
    LEFT JOIN (SELECT "t25"."grain", "t25"."period_start", "t23"."user_key", COUNT(CASE WHEN "t23"."kind" <> 'won_deal' THEN 1 ELSE NULL END) AS "activities", COUNT(CASE WHEN "t23"."kind" = 'call' THEN 1 ELSE NULL END) AS "calls", COUNT(CASE WHEN "t23"."kind" = 'email' THEN 1 ELSE NULL END) AS "emails", COUNT(CASE WHEN "t23"."kind" = 'meeting' THEN 1 ELSE NULL END) AS "meetings", COUNT(CASE WHEN "t23"."kind" = 'task' THEN 1 ELSE NULL END) AS "tasks", COUNT(CASE WHEN "t23"."kind" = 'message' THEN 1 ELSE NULL END) AS "messages", COUNT(CASE WHEN "t23"."kind" = 'note' THEN 1 ELSE NULL END) AS "notes", COUNT(CASE WHEN "t23"."kind" <> 'won_deal' AND "t23"."direction" = 'in' THEN 1 ELSE NULL END) AS "inbound", COUNT(CASE WHEN "t23"."kind" <> 'won_deal' AND "t23"."direction" = 'out' THEN 1 ELSE NULL END) AS "outbound", COUNT(CASE WHEN "t23"."kind" = 'won_deal' THEN 1 ELSE NULL END) AS "deals_won"
        FROM (SELECT CAST("activities1"."completed_at" AS DATE) AS "event_day", "activities1"."user_id" AS "user_key", CAST("activities1"."kind" AS VARCHAR) AS "kind", "activities1"."direction"
                    FROM "hive"."crm"."activities" AS "activities1"
                        LEFT JOIN "hive"."crm"."deals" AS "deals3" ON "activities1"."deal_id" = "deals3"."deal_id" AND "deals3"."is_deleted"
                    WHERE "activities1"."completed_at" IS NOT NULL AND ("activities1"."is_automated" IS NULL OR NOT "activities1"."is_automated") AND "deals3"."deal_id" IS NULL
                    UNION ALL
                    SELECT CAST("closed_at" AS DATE) AS "EXPR$0", "owner_user_id", 'won_deal' AS "EXPR$2", CAST(NULL AS VARCHAR) AS "EXPR$3"
                    FROM "hive"."crm"."deals"
                    WHERE NOT "is_deleted" AND CAST("status" AS VARCHAR) = 'won' AND "closed_at" IS NOT NULL) AS "t23"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t25" ON "t23"."event_day" = "t25"."calendar_day"
        GROUP BY "t25"."grain", "t25"."period_start", "t23"."user_key") AS "t27" ON "t11"."grain" = "t27"."grain" AND "t11"."period_start" = "t27"."period_start" AND "t18"."user_key" IS NOT DISTINCT FROM "t27"."user_key"
    LEFT JOIN "hive"."crm"."users" ON "t18"."user_key" = "users"."user_id";
