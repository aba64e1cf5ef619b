SELECT COUNT(*) AS "count" FROM "crm"."deals" WHERE LOWER("crm"."deals"."channel") LIKE '%!_d%' ESCAPE '!'
