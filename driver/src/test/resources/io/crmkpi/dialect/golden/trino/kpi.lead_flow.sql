-- kpi.lead_flow: Lead flow per period of creation and marketing channel: new leads, how many of them were converted to a deal (ever, up to now), how many were marked junk, and the conversion rate. Every channel has a row in every period from the first lead to the current one (zeros and NULL rate where no leads came).
CREATE OR REPLACE VIEW "hive"."kpi"."lead_flow" AS
SELECT "t7"."grain", "t7"."period_start", "t7"."period_end", "t7"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", "t10"."channel", CASE WHEN "t16"."new_leads" IS NOT NULL THEN CAST("t16"."new_leads" AS BIGINT) ELSE 0 END AS "new_leads", CASE WHEN "t16"."converted" IS NOT NULL THEN CAST("t16"."converted" AS BIGINT) ELSE 0 END AS "converted", CASE WHEN "t16"."junk" IS NOT NULL THEN CAST("t16"."junk" AS BIGINT) ELSE 0 END AS "junk", CAST("t16"."converted" AS DOUBLE) / CASE WHEN "t16"."new_leads" = 0 THEN NULL ELSE "t16"."new_leads" END AS "conversion_rate"
FROM (SELECT "t0"."grain", "t0"."period_start", "t0"."period_end"
        FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t0",
                (SELECT MIN(CAST("leads"."created_at" AS DATE)) AS "first_day", CASE WHEN MAX(CAST("leads"."created_at" AS DATE)) > CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)THEN MAX(CAST("leads"."created_at" AS DATE)) ELSE CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)END AS "last_day"
                FROM "hive"."crm"."leads"
                    LEFT JOIN "hive"."crm"."deals" ON "leads"."converted_deal_id" = "deals"."deal_id" AND "leads"."lead_id" = "deals"."deal_id" AND "deals"."is_deleted"
                WHERE "leads"."created_at" IS NOT NULL AND "deals"."deal_id" IS NULL) AS "t4"
        WHERE "t0"."calendar_day" >= "t4"."first_day" AND "t0"."calendar_day" <= "t4"."last_day"
        GROUP BY "t0"."grain", "t0"."period_start", "t0"."period_end") AS "t7"
    CROSS JOIN (SELECT "leads0"."channel"
        FROM "hive"."crm"."leads" AS "leads0"
            LEFT JOIN "hive"."crm"."deals" AS "deals0" ON "leads0"."converted_deal_id" = "deals0"."deal_id" AND "leads0"."lead_id" = "deals0"."deal_id" AND "deals0"."is_deleted"
        WHERE "leads0"."created_at" IS NOT NULL AND "deals0"."deal_id" IS NULL
        GROUP BY "leads0"."channel") AS "t10"
    LEFT JOIN (SELECT "t14"."grain", "t14"."period_start", "t12"."channel", COUNT(*) AS "new_leads", COUNT(CASE WHEN "t12"."is_converted" = 1 THEN 1 ELSE NULL END) AS "converted", COUNT(CASE WHEN "t12"."is_junk" = 1 THEN 1 ELSE NULL END) AS "junk"
        FROM (SELECT CAST("leads1"."created_at" AS DATE) AS "lead_day", "leads1"."channel", CASE WHEN "leads1"."converted_deal_id" IS NOT NULL OR CAST("leads1"."status" AS VARCHAR) = 'converted' THEN 1 ELSE 0 END AS "is_converted", CASE WHEN CAST("leads1"."status" AS VARCHAR) = 'junk' THEN 1 ELSE 0 END AS "is_junk"
                FROM "hive"."crm"."leads" AS "leads1"
                    LEFT JOIN "hive"."crm"."deals" AS "deals1" ON "leads1"."converted_deal_id" = "deals1"."deal_id" AND "leads1"."lead_id" = "deals1"."deal_id" AND "deals1"."is_deleted"
                WHERE "leads1"."created_at" IS NOT NULL AND "deals1"."deal_id" IS NULL) AS "t12"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t14" ON "t12"."lead_day" = "t14"."calendar_day"
        GROUP BY "t14"."grain", "t14"."period_start", "t12"."channel") AS "t16" ON "t7"."grain" = "t16"."grain" AND "t7"."period_start" = "t16"."period_start" AND "t10"."channel" IS NOT DISTINCT FROM "t16"."channel";
