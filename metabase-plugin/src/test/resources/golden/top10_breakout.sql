SELECT "crm"."deals"."channel" AS "channel", SUM("crm"."deals"."amount_base") AS "sum" FROM "crm"."deals" GROUP BY "crm"."deals"."channel" ORDER BY "sum" DESC, "crm"."deals"."channel" ASC LIMIT 10
