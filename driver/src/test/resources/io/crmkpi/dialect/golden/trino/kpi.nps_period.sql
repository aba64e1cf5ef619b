-- kpi.nps_period: Net Promoter Score per period from NPS survey answers (survey = 'nps', scale 0-10): promoters answer 9-10, passives 7-8, detractors 0-6, and NPS = 100 x (promoters - detractors) / responses. Every period from the first answer to the current one has a row (zeros and NULL NPS where nobody answered).
CREATE OR REPLACE VIEW "hive"."kpi"."nps_period" AS
SELECT "t7"."grain", "t7"."period_start", "t7"."period_end", "t7"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE) AS "is_complete", CASE WHEN "t13"."responses" IS NOT NULL THEN CAST("t13"."responses" AS BIGINT) ELSE 0 END AS "responses", CASE WHEN "t13"."promoters" IS NOT NULL THEN CAST("t13"."promoters" AS BIGINT) ELSE 0 END AS "promoters", CASE WHEN "t13"."passives" IS NOT NULL THEN CAST("t13"."passives" AS BIGINT) ELSE 0 END AS "passives", CASE WHEN "t13"."detractors" IS NOT NULL THEN CAST("t13"."detractors" AS BIGINT) ELSE 0 END AS "detractors", 100.0 * CAST("t13"."promoters" - "t13"."detractors" AS DOUBLE) / CASE WHEN "t13"."responses" = 0 THEN NULL ELSE "t13"."responses" END AS "nps"
FROM (SELECT "t0"."grain", "t0"."period_start", "t0"."period_end"
        FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t0",
                (SELECT MIN(CAST("responded_at" AS DATE)) AS "first_day", CASE WHEN MAX(CAST("responded_at" AS DATE)) > CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)THEN MAX(CAST("responded_at" AS DATE)) ELSE CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)END AS "last_day"
                FROM "hive"."crm"."survey_responses"
                WHERE CAST("survey" AS VARCHAR) = 'nps' AND "score" IS NOT NULL AND "responded_at" IS NOT NULL) AS "t4"
        WHERE "t0"."calendar_day" >= "t4"."first_day" AND "t0"."calendar_day" <= "t4"."last_day"
        GROUP BY "t0"."grain", "t0"."period_start", "t0"."period_end") AS "t7"
    LEFT JOIN (SELECT "t11"."grain", "t11"."period_start", COUNT(*) AS "responses", COUNT(CASE WHEN "t9"."score" >= 9 THEN 1 ELSE NULL END) AS "promoters", COUNT(CASE WHEN "t9"."score" IN (7, 8) THEN 1 ELSE NULL END) AS "passives", COUNT(CASE WHEN "t9"."score" <= 6 THEN 1 ELSE NULL END) AS "detractors"
        FROM (SELECT CAST("responded_at" AS DATE) AS "answer_day", "score"
                FROM "hive"."crm"."survey_responses"
                WHERE CAST("survey" AS VARCHAR) = 'nps' AND "score" IS NOT NULL AND "responded_at" IS NOT NULL) AS "t9"
            INNER JOIN (SELECT "calendar_day", "grain", "period_start", "period_end"
                FROM "hive"."util"."calendar"
                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t11" ON "t9"."answer_day" = "t11"."calendar_day"
        GROUP BY "t11"."grain", "t11"."period_start") AS "t13" ON "t7"."grain" = "t13"."grain" AND "t7"."period_start" = "t13"."period_start";
