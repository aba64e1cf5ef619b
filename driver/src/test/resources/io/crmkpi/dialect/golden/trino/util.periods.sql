-- util.periods: Every day with the week, month, quarter and year that contain it, honouring week_start and fiscal_year_start. KPI views join facts to it by day to get their period.
CREATE OR REPLACE VIEW "hive"."util"."periods" AS
SELECT "calendar_day", "grain", "period_start", "period_end"
FROM "hive"."util"."calendar"
WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END;
