-- kpi.conversion_by_stage: Funnel conversion per pipeline and stage with reached-stage semantics, for deals grouped by the period they were created in (grain month, quarter, year, or all for every deal ever). A deal reached a stage if it was ever in that stage or in any later open stage, or if it is won; skipped stages count as reached, moving backwards does not un-reach, and a lost deal reached the stages up to the furthest open stage it was in. Rows per pipeline: its open stages in sort order, then its won stage. Deleted deals are excluded.
CREATE OR REPLACE VIEW "hive"."kpi"."conversion_by_stage" AS
SELECT "t84"."grain", CASE WHEN "t84"."grain" = 'all' THEN NULL ELSE "t84"."period_start" END AS "period_start", "t84"."period_end", CASE WHEN "t84"."grain" = 'all' THEN FALSE ELSE "t84"."period_end" <= CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)END AS "is_complete", "t84"."pipeline_id", "pipelines"."name" AS "pipeline_name", "t84"."stage_id", "t84"."stage_name", "t84"."stage_order", "t84"."deals_reached", "t84"."deals_next", "t84"."conversion_to_next", "t84"."conversion_from_first", "t84"."deals_reached" - "t84"."deals_next" AS "drop_off", "t84"."avg_days_in_stage", "t84"."bottleneck_rank" = 1 AND "t84"."deals_reached" >= 10 AND NOT "t84"."is_won_row" AS "is_bottleneck"
FROM (SELECT "grain", "period_start", "period_end", "pipeline_id", "stage_id", "stage_name", "stage_order", "is_won_row", "deals_reached", "deals_next", "conversion_to_next", "conversion_from_first", "avg_days_in_stage", ROW_NUMBER() OVER (PARTITION BY "grain", "period_start", "pipeline_id" ORDER BY CASE WHEN NOT "is_won_row" AND "deals_reached" >= 10 THEN 0 ELSE 1 END, "conversion_to_next", "stage_order") AS "bottleneck_rank"
        FROM (SELECT "grain", "period_start", "period_end", "pipeline_id", "stage_id", "stage_name", "stage_order", "is_won_row", "deals_reached", CASE WHEN "is_won_row" THEN NULL ELSE LEAD("deals_reached") OVER (PARTITION BY "grain", "period_start", "pipeline_id" ORDER BY "stage_order") END AS "deals_next", CASE WHEN "is_won_row" THEN NULL ELSE CAST(LEAD("deals_reached") OVER (PARTITION BY "grain", "period_start", "pipeline_id" ORDER BY "stage_order") AS DOUBLE) / CASE WHEN "deals_reached" = 0 THEN NULL ELSE "deals_reached" END END AS "conversion_to_next", CAST("deals_reached" AS DOUBLE) / CASE WHEN (MAX(CASE WHEN "stage_order" = 1 THEN CAST("deals_reached" AS BIGINT) ELSE NULL END) OVER (PARTITION BY "grain", "period_start", "pipeline_id" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) = 0 THEN NULL ELSE MAX(CASE WHEN "stage_order" = 1 THEN CAST("deals_reached" AS BIGINT) ELSE NULL END) OVER (PARTITION BY "grain", "period_start", "pipeline_id" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) END AS "conversion_from_first", CASE WHEN "is_won_row" THEN NULL ELSE "avg_days" END AS "avg_days_in_stage"
                FROM (SELECT "t10"."grain", "t10"."period_start", "t10"."period_end", "t20"."pipeline_id", "t20"."stage_id", "t20"."stage_name", "t20"."stage_order", "t20"."is_won_row", CAST(SUM(CAST(CASE WHEN "t81"."level_deals" IS NOT NULL THEN CAST("t81"."level_deals" AS BIGINT) ELSE 0 END AS DOUBLE)) OVER (PARTITION BY "t10"."grain", "t10"."period_start", "t20"."pipeline_id" ORDER BY "t20"."stage_order" IS NULL DESC, "t20"."stage_order" DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS "deals_reached", "t81"."seconds" / CASE WHEN "t81"."timed_deals" = 0 THEN NULL ELSE "t81"."timed_deals" END / 86400.0 AS "avg_days"
                        FROM (SELECT "t0"."grain", "t0"."period_start", "t0"."period_end", "t4"."pipeline_id"
                                    FROM (SELECT "calendar_day", "grain", "period_start", "period_end"
                                            FROM "hive"."util"."calendar"
                                            WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t0"
                                        INNER JOIN (SELECT "pipeline_id", MIN(CAST("created_at" AS DATE)) AS "first_day", CASE WHEN MAX(CAST("created_at" AS DATE)) > CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)THEN MAX(CAST("created_at" AS DATE)) ELSE CAST((current_timestamp AT TIME ZONE 'Europe/Berlin') AS DATE)END AS "last_day"
                                            FROM "hive"."crm"."deals"
                                            WHERE NOT "is_deleted" AND "created_at" IS NOT NULL AND "pipeline_id" IS NOT NULL
                                            GROUP BY "pipeline_id") AS "t4" ON "t0"."calendar_day" >= "t4"."first_day" AND "t0"."calendar_day" <= "t4"."last_day"
                                    WHERE "t0"."grain" IN ('month', 'quarter', 'year')
                                    GROUP BY "t0"."grain", "t0"."period_start", "t0"."period_end", "t4"."pipeline_id"
                                    UNION ALL
                                    SELECT 'all' AS "EXPR$0", DATE '1900-01-01' AS "EXPR$1", CAST(NULL AS DATE) AS "EXPR$2", "pipeline_id"
                                    FROM "hive"."crm"."stages"
                                    GROUP BY 'all', DATE '1900-01-01', CAST(NULL AS DATE), "pipeline_id") AS "t10"
                            INNER JOIN (SELECT "pipeline_id", "stage_id", "name" AS "stage_name", CAST(ROW_NUMBER() OVER (PARTITION BY "pipeline_id" ORDER BY "sort_order", "stage_id") AS INTEGER) AS "stage_order", FALSE AS "is_won_row"
                                    FROM "hive"."crm"."stages"
                                    WHERE CAST("kind" AS VARCHAR) = 'open'
                                    UNION ALL
                                    SELECT "t15"."pipeline_id", "t15"."stage_id", "stages2"."name", CAST(CASE WHEN "t18"."n_open" IS NOT NULL THEN CAST("t18"."n_open" AS BIGINT) ELSE 0 END + 1 AS INTEGER) AS "EXPR$3", TRUE AS "EXPR$4"
                                    FROM (SELECT "pipeline_id", MIN("stage_id") AS "stage_id"
                                            FROM "hive"."crm"."stages"
                                            WHERE CAST("kind" AS VARCHAR) = 'won'
                                            GROUP BY "pipeline_id") AS "t15"
                                        INNER JOIN "hive"."crm"."stages" AS "stages2" ON "t15"."stage_id" = "stages2"."stage_id"
                                        LEFT JOIN (SELECT "pipeline_id", COUNT(*) AS "n_open"
                                            FROM "hive"."crm"."stages"
                                            WHERE CAST("kind" AS VARCHAR) = 'open'
                                            GROUP BY "pipeline_id") AS "t18" ON "t15"."pipeline_id" = "t18"."pipeline_id") AS "t20" ON "t10"."pipeline_id" = "t20"."pipeline_id"
                            LEFT JOIN (SELECT "grain", CASE WHEN "period_start" IS NOT NULL THEN CAST("period_start" AS DATE) ELSE DATE '1900-01-01' END AS "period_start", "pipeline_id", "stage_order", SUM("seconds") AS "seconds", SUM("timed_deals") AS "timed_deals", SUM("level_deals") AS "level_deals", CAST("grain" AS VARCHAR) AS "grain0"
                                FROM (SELECT "t73"."created_day", "t73"."pipeline_id", "t73"."stage_order", "t73"."seconds", "t73"."timed_deals", "t73"."level_deals", "t74"."grain", "t76"."calendar_day", "t76"."grain" AS "grain0", "t76"."period_start", "t76"."period_end"
                                        FROM (SELECT "t69"."created_day", "t69"."pipeline_id", CASE WHEN "t70"."side" = 1 THEN "t69"."to_order" ELSE "t69"."deal_level" END AS "stage_order", SUM(CASE WHEN "t70"."side" = 1 THEN "t69"."seconds" ELSE NULL END) AS "seconds", COUNT(CASE WHEN "t70"."side" = 1 THEN 1 ELSE NULL END) AS "timed_deals", COUNT(CASE WHEN "t70"."side" = 2 THEN 1 ELSE NULL END) AS "level_deals"
                                                FROM (SELECT "t65"."created_day", "t65"."pipeline_id", "t65"."to_order", "t65"."deal_level", SUM("t65"."seconds") AS "seconds", MIN("t65"."deal_row") AS "first_row"
                                                        FROM (SELECT "t44"."deal_id", "t44"."created_day", "t44"."pipeline_id", "t54"."stage_order" AS "to_order", CASE WHEN "t44"."deal_floor" >= CASE WHEN (MAX(CASE WHEN CASE WHEN "t54"."stage_order" IS NOT NULL THEN CAST("t54"."stage_order" AS INTEGER) ELSE 0 END >= CASE WHEN "t64"."stage_order" IS NOT NULL THEN CAST("t64"."stage_order" AS INTEGER) ELSE 0 END THEN CASE WHEN "t54"."stage_order" IS NOT NULL THEN CAST("t54"."stage_order" AS INTEGER) ELSE 0 END ELSE "t64"."stage_order" END) OVER (PARTITION BY "t44"."deal_id" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) IS NOT NULL THEN CAST(MAX(CASE WHEN CASE WHEN "t54"."stage_order" IS NOT NULL THEN CAST("t54"."stage_order" AS INTEGER) ELSE 0 END >= CASE WHEN "t64"."stage_order" IS NOT NULL THEN CAST("t64"."stage_order" AS INTEGER) ELSE 0 END THEN CASE WHEN "t54"."stage_order" IS NOT NULL THEN CAST("t54"."stage_order" AS INTEGER) ELSE 0 END ELSE "t64"."stage_order" END) OVER (PARTITION BY "t44"."deal_id" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS INTEGER) ELSE 0 END THEN "t44"."deal_floor" ELSE MAX(CASE WHEN CASE WHEN "t54"."stage_order" IS NOT NULL THEN CAST("t54"."stage_order" AS INTEGER) ELSE 0 END >= CASE WHEN "t64"."stage_order" IS NOT NULL THEN CAST("t64"."stage_order" AS INTEGER) ELSE 0 END THEN CASE WHEN "t54"."stage_order" IS NOT NULL THEN CAST("t54"."stage_order" AS INTEGER) ELSE 0 END ELSE "t64"."stage_order" END) OVER (PARTITION BY "t44"."deal_id" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) END AS "deal_level", CAST((date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST(LEAD("deal_stage_history"."changed_at") OVER (PARTITION BY "t44"."deal_id" ORDER BY "deal_stage_history"."changed_at") AS TIMESTAMP(6)))  / 1000) - (date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00', CAST("deal_stage_history"."changed_at" AS TIMESTAMP(6)))  / 1000) AS DOUBLE) AS "seconds", ROW_NUMBER() OVER (PARTITION BY "t44"."deal_id" ORDER BY "deal_stage_history"."changed_at") AS "deal_row"
                                                                FROM (SELECT "deals0"."deal_id", "deals0"."pipeline_id", CAST("deals0"."created_at" AS DATE) AS "created_day", CASE WHEN CAST("deals0"."status" AS VARCHAR) = 'won' THEN "t42"."top_order" ELSE CASE WHEN "t30"."stage_order" IS NOT NULL THEN CAST("t30"."stage_order" AS INTEGER) ELSE 0 END END AS "deal_floor"
                                                                        FROM "hive"."crm"."deals" AS "deals0"
                                                                            LEFT JOIN (SELECT "pipeline_id", "stage_id", "name" AS "stage_name", CAST(ROW_NUMBER() OVER (PARTITION BY "pipeline_id" ORDER BY "sort_order", "stage_id") AS INTEGER) AS "stage_order", FALSE AS "is_won_row"
                                                                                    FROM "hive"."crm"."stages"
                                                                                    WHERE CAST("kind" AS VARCHAR) = 'open'
                                                                                    UNION ALL
                                                                                    SELECT "t25"."pipeline_id", "t25"."stage_id", "stages6"."name", CAST(CASE WHEN "t28"."n_open" IS NOT NULL THEN CAST("t28"."n_open" AS BIGINT) ELSE 0 END + 1 AS INTEGER) AS "EXPR$3", TRUE AS "EXPR$4"
                                                                                    FROM (SELECT "pipeline_id", MIN("stage_id") AS "stage_id"
                                                                                            FROM "hive"."crm"."stages"
                                                                                            WHERE CAST("kind" AS VARCHAR) = 'won'
                                                                                            GROUP BY "pipeline_id") AS "t25"
                                                                                        INNER JOIN "hive"."crm"."stages" AS "stages6" ON "t25"."stage_id" = "stages6"."stage_id"
                                                                                        LEFT JOIN (SELECT "pipeline_id", COUNT(*) AS "n_open"
                                                                                            FROM "hive"."crm"."stages"
                                                                                            WHERE CAST("kind" AS VARCHAR) = 'open'
                                                                                            GROUP BY "pipeline_id") AS "t28" ON "t25"."pipeline_id" = "t28"."pipeline_id") AS "t30" ON "deals0"."stage_id" = "t30"."stage_id" AND "deals0"."pipeline_id" = "t30"."pipeline_id" AND NOT "t30"."is_won_row"
                                                                            LEFT JOIN (SELECT "pipeline_id", MAX("stage_order") AS "top_order"
                                                                                FROM (SELECT "pipeline_id", "stage_id", "name" AS "stage_name", CAST(ROW_NUMBER() OVER (PARTITION BY "pipeline_id" ORDER BY "sort_order", "stage_id") AS INTEGER) AS "stage_order", FALSE AS "is_won_row"
                                                                                            FROM "hive"."crm"."stages"
                                                                                            WHERE CAST("kind" AS VARCHAR) = 'open'
                                                                                            UNION ALL
                                                                                            SELECT "t35"."pipeline_id", "t35"."stage_id", "stages10"."name", CAST(CASE WHEN "t38"."n_open" IS NOT NULL THEN CAST("t38"."n_open" AS BIGINT) ELSE 0 END + 1 AS INTEGER) AS "EXPR$3", TRUE AS "EXPR$4"
                                                                                            FROM (SELECT "pipeline_id", MIN("stage_id") AS "stage_id"
                                                                                                    FROM "hive"."crm"."stages"
                                                                                                    WHERE CAST("kind" AS VARCHAR) = 'won'
                                                                                                    GROUP BY "pipeline_id") AS "t35"
                                                                                                INNER JOIN "hive"."crm"."stages" AS "stages10" ON "t35"."stage_id" = "stages10"."stage_id"
                                                                                                LEFT JOIN (SELECT "pipeline_id", COUNT(*) AS "n_open"
                                                                                                    FROM "hive"."crm"."stages"
                                                                                                    WHERE CAST("kind" AS VARCHAR) = 'open'
                                                                                                    GROUP BY "pipeline_id") AS "t38" ON "t35"."pipeline_id" = "t38"."pipeline_id") AS "t40"
                                                                                GROUP BY "pipeline_id") AS "t42" ON "deals0"."pipeline_id" = "t42"."pipeline_id"
                                                                        WHERE NOT "deals0"."is_deleted" AND "deals0"."created_at" IS NOT NULL AND "deals0"."pipeline_id" IS NOT NULL) AS "t44"
                                                                    LEFT JOIN "hive"."crm"."deal_stage_history" ON "t44"."deal_id" = "deal_stage_history"."deal_id"
                                                                    LEFT JOIN (SELECT "pipeline_id", "stage_id", "name" AS "stage_name", CAST(ROW_NUMBER() OVER (PARTITION BY "pipeline_id" ORDER BY "sort_order", "stage_id") AS INTEGER) AS "stage_order", FALSE AS "is_won_row"
                                                                            FROM "hive"."crm"."stages"
                                                                            WHERE CAST("kind" AS VARCHAR) = 'open'
                                                                            UNION ALL
                                                                            SELECT "t49"."pipeline_id", "t49"."stage_id", "stages14"."name", CAST(CASE WHEN "t52"."n_open" IS NOT NULL THEN CAST("t52"."n_open" AS BIGINT) ELSE 0 END + 1 AS INTEGER) AS "EXPR$3", TRUE AS "EXPR$4"
                                                                            FROM (SELECT "pipeline_id", MIN("stage_id") AS "stage_id"
                                                                                    FROM "hive"."crm"."stages"
                                                                                    WHERE CAST("kind" AS VARCHAR) = 'won'
                                                                                    GROUP BY "pipeline_id") AS "t49"
                                                                                INNER JOIN "hive"."crm"."stages" AS "stages14" ON "t49"."stage_id" = "stages14"."stage_id"
                                                                                LEFT JOIN (SELECT "pipeline_id", COUNT(*) AS "n_open"
                                                                                    FROM "hive"."crm"."stages"
                                                                                    WHERE CAST("kind" AS VARCHAR) = 'open'
                                                                                    GROUP BY "pipeline_id") AS "t52" ON "t49"."pipeline_id" = "t52"."pipeline_id") AS "t54" ON "deal_stage_history"."to_stage_id" = "t54"."stage_id" AND "t44"."pipeline_id" = "t54"."pipeline_id" AND NOT "t54"."is_won_row"
                                                                    LEFT JOIN (SELECT "pipeline_id", "stage_id", "name" AS "stage_name", CAST(ROW_NUMBER() OVER (PARTITION BY "pipeline_id" ORDER BY "sort_order", "stage_id") AS INTEGER) AS "stage_order", FALSE AS "is_won_row"
                                                                            FROM "hive"."crm"."stages"
                                                                            WHERE CAST("kind" AS VARCHAR) = 'open'
                                                                            UNION ALL
                                                                            SELECT "t59"."pipeline_id", "t59"."stage_id", "stages18"."name", CAST(CASE WHEN "t62"."n_open" IS NOT NULL THEN CAST("t62"."n_open" AS BIGINT) ELSE 0 END + 1 AS INTEGER) AS "EXPR$3", TRUE AS "EXPR$4"
                                                                            FROM (SELECT "pipeline_id", MIN("stage_id") AS "stage_id"
                                                                                    FROM "hive"."crm"."stages"
                                                                                    WHERE CAST("kind" AS VARCHAR) = 'won'
                                                                                    GROUP BY "pipeline_id") AS "t59"
                                                                                INNER JOIN "hive"."crm"."stages" AS "stages18" ON "t59"."stage_id" = "stages18"."stage_id"
                                                                                LEFT JOIN (SELECT "pipeline_id", COUNT(*) AS "n_open"
                                                                                    FROM "hive"."crm"."stages"
                                                                                    WHERE CAST("kind" AS VARCHAR) = 'open'
                                                                                    GROUP BY "pipeline_id") AS "t62" ON "t59"."pipeline_id" = "t62"."pipeline_id") AS "t64" ON "deal_stage_history"."from_stage_id" = "t64"."stage_id" AND "t44"."pipeline_id" = "t64"."pipeline_id" AND NOT "t64"."is_won_row") AS "t65",
                                                                (VALUES (1)) AS "t66" ("barrier")
                                                        GROUP BY "t65"."deal_id", "t65"."created_day", "t65"."pipeline_id", "t65"."to_order", "t65"."deal_level") AS "t69",
                                                        (VALUES (1),
                                                                (2)) AS "t70" ("side")
                                                WHERE "t70"."side" = 1 AND "t69"."to_order" IS NOT NULL AND "t69"."seconds" IS NOT NULL OR "t70"."side" = 2 AND "t69"."first_row" = 1 AND "t69"."deal_level" > 0
                                                GROUP BY "t69"."created_day", "t69"."pipeline_id", CASE WHEN "t70"."side" = 1 THEN "t69"."to_order" ELSE "t69"."deal_level" END) AS "t73"
                                            CROSS JOIN (VALUES ('month'),
                                                        ('quarter'),
                                                        ('year'),
                                                        ('all')) AS "t74" ("grain")
                                            LEFT JOIN (SELECT "calendar_day", "grain", "period_start", "period_end", CAST("grain" AS VARCHAR) AS "grain0"
                                                FROM "hive"."util"."calendar"
                                                WHERE "variant_id" = CASE WHEN CAST("grain" AS VARCHAR) = 'week' THEN 1 WHEN CAST("grain" AS VARCHAR) = 'month' THEN 0 ELSE 1 END) AS "t76" ON "t73"."created_day" = "t76"."calendar_day" AND "t74"."grain" = "t76"."grain0") AS "t77"
                                WHERE "t77"."grain" = 'all' OR "t77"."period_start" IS NOT NULL
                                GROUP BY "grain", CASE WHEN "period_start" IS NOT NULL THEN CAST("period_start" AS DATE) ELSE DATE '1900-01-01' END, "pipeline_id", "stage_order") AS "t81" ON "t10"."grain" = "t81"."grain0" AND "t10"."period_start" = "t81"."period_start" AND "t20"."pipeline_id" = "t81"."pipeline_id" AND "t20"."stage_order" = "t81"."stage_order") AS "t82") AS "t83") AS "t84"
    LEFT JOIN "hive"."crm"."pipelines" ON "t84"."pipeline_id" = "pipelines"."pipeline_id";
