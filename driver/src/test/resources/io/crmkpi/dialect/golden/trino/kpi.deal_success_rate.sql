-- kpi.deal_success_rate: Deal success rate per period: deals won in the period divided by leads created in the period (e.g. 23 won of 150 leads = 0.1533), next to the win rate won / (won + lost) of the deals closed in the period. Every period from the first lead or close to the current one has a row (zero counts, NULL rates where the denominator is 0). Deleted deals are excluded.
CREATE OR REPLACE VIEW "hive"."kpi"."deal_success_rate" AS
SELECT "grain", "period_start", "period_end", "period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", CASE WHEN "leads" IS NOT NULL THEN CAST("leads" AS BIGINT) ELSE 0 END AS "leads", CASE WHEN "deals_won" IS NOT NULL THEN CAST("deals_won" AS BIGINT) ELSE 0 END AS "deals_won", CASE WHEN "deals_lost" IS NOT NULL THEN CAST("deals_lost" AS BIGINT) ELSE 0 END AS "deals_lost", CAST("deals_won" AS DOUBLE) / CASE WHEN "leads" = 0 THEN NULL ELSE "leads" END AS "success_rate", CAST("deals_won" AS DOUBLE) / CASE WHEN "deals_won" + "deals_lost" = 0 THEN NULL ELSE "deals_won" + "deals_lost" END AS "win_rate"
FROM (SELECT "t1"."grain", "t1"."period_start", "t1"."period_end", "t10"."leads", "t10"."deals_won", "t10"."deals_lost", MIN(CASE WHEN "t10"."grain" IS NOT NULL THEN "t1"."period_start" ELSE NULL END) OVER (PARTITION BY "t1"."grain" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "first_start", MAX(CASE WHEN "t10"."grain" IS NOT NULL THEN "t1"."period_start" ELSE NULL END) OVER (PARTITION BY "t1"."grain" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "last_start"
        FROM (SELECT "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END
                GROUP BY "grain", "period_start", "period_end") AS "t1"
            LEFT JOIN (SELECT "t8"."grain", "t8"."period_start", COUNT(CASE WHEN "t6"."event_kind" = 1 THEN 1 ELSE NULL END) AS "leads", COUNT(CASE WHEN "t6"."event_kind" = 2 THEN 1 ELSE NULL END) AS "deals_won", COUNT(CASE WHEN "t6"."event_kind" = 3 THEN 1 ELSE NULL END) AS "deals_lost"
                FROM (SELECT CAST("leads"."created_at" AS DATE) AS "event_day", 1 AS "event_kind"
                            FROM "hive"."crm"."leads"
                                LEFT JOIN "hive"."crm"."deals" ON "leads"."converted_deal_id" = "deals"."deal_id" AND "leads"."lead_id" = "deals"."deal_id" AND "deals"."is_deleted"
                            WHERE "leads"."created_at" IS NOT NULL AND "deals"."deal_id" IS NULL
                            UNION ALL
                            SELECT CAST("closed_at" AS DATE) AS "event_day", CASE WHEN CAST("status" AS VARCHAR) = 'won' THEN 2 ELSE 3 END AS "event_kind"
                            FROM "hive"."crm"."deals"
                            WHERE NOT "is_deleted" AND "status" IN ('lost', 'won') AND "closed_at" IS NOT NULL) AS "t6"
                    INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                        FROM "hive"."util"."calendar"
                        WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t8" ON "t6"."event_day" = "t8"."calendar_day"
                GROUP BY "t8"."grain", "t8"."period_start") AS "t10" ON "t1"."grain" = "t10"."grain" AND "t1"."period_start" = "t10"."period_start") AS "t11"
WHERE "t11"."period_start" >= "t11"."first_start" AND ("t11"."period_start" <= "t11"."last_start" OR "t11"."period_start" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE));
