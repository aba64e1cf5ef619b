SELECT PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY "crm"."deals"."amount_base") AS "p90" FROM "crm"."deals"
