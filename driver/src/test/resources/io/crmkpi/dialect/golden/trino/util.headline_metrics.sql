-- util.headline_metrics: The headline metrics of kpi.scorecard and kpi.crm_impact - id, name, label, unit, which direction is better, and how a value over several months is pooled (1 = sum, 2 = ratio of summed parts, 3 = median of the underlying requests).
CREATE OR REPLACE VIEW "hive"."util"."headline_metrics" AS
SELECT "metric_id", TRIM("metric") AS "metric", TRIM("label") AS "label", TRIM("unit") AS "unit", TRIM("better") AS "better", "pooling"
FROM (VALUES (1, 'new_leads', 'New leads', 'count', 'up', 1),
                (2, 'deal_success_rate', 'Deal success rate (won deals / leads)', 'fraction', 'up', 2),
                (3, 'win_rate', 'Win rate (won / (won + lost))', 'fraction', 'up', 2),
                (4, 'revenue', 'Revenue', 'money', 'up', 1),
                (5, 'orders', 'Orders', 'count', 'up', 1),
                (6, 'avg_check', 'Average check', 'money', 'up', 2),
                (7, 'upsell_rate', 'Share of orders with an upsell', 'fraction', 'up', 2),
                (8, 'avg_cycle_days', 'Average sales cycle of won deals (days)', 'days', 'down', 2),
                (9, 'cac', 'Customer acquisition cost (blended)', 'money', 'down', 2),
                (10, 'romi', 'ROMI, all channels', 'fraction', 'up', 2),
                (11, 'nps', 'Net Promoter Score', 'score', 'up', 2),
                (12, 'csat', 'CSAT (share of 4-5 answers)', 'fraction', 'up', 2),
                (13, 'churn_rate', 'Customer churn rate', 'fraction', 'down', 2),
                (14, 'retention_rate', 'Customer retention rate', 'fraction', 'up', 2),
                (15, 'median_response_minutes', 'Median first response to leads (minutes)', 'minutes', 'down', 3),
                (16, 'tickets', 'Support tickets created', 'count', 'down', 1),
                (17, 'orders_per_customer', 'Orders per purchasing customer', 'count', 'up', 2),
                (18, 'ltv_12m', '12-month LTV of the cohort acquired 11 months before', 'money', 'up', 2)) AS "t" ("metric_id", "metric", "label", "unit", "better", "pooling");
