INSERT INTO crm.pipelines VALUES ('p1', 'Sales', true, 1);
INSERT INTO crm.stages (stage_id, pipeline_id, name, sort_order, kind) VALUES ('s1', 'p1', 'New', 1, 'open'), ('s2', 'p1', 'Offer', 2, 'open'), ('w', 'p1', 'Won', 3, 'won'), ('l', 'p1', 'Lost', 4, 'lost');
INSERT INTO crm.users VALUES ('u1', 'Anna', 'anna@x', 'A', true);
INSERT INTO crm.fx_rates VALUES ('RUB', DATE '2024-01-01', 1), ('USD', DATE '2024-01-01', 90);
INSERT INTO crm.deals (deal_id, title, pipeline_id, stage_id, amount, currency, created_at, closed_at, owner_user_id, company_id, channel) VALUES
 ('d1', 'One', 'p1', 'w', 1000, 'RUB', TIMESTAMP '2024-01-10 10:00:00', TIMESTAMP '2024-02-05 12:00:00', 'u1', 'c1', 'organic'),
 ('d2', 'Two', 'p1', 'l', 500, 'RUB', TIMESTAMP '2024-01-15 09:30:00', TIMESTAMP '2024-03-31 23:30:00', 'u1', 'c2', 'google_ads'),
 ('d3', 'Three', 'p1', 's2', 10, 'USD', TIMESTAMP '2024-02-20 08:00:00', NULL, 'u1', 'c1', 'organic'),
 ('d4', 'Four', 'p1', 'w', 20, 'USD', TIMESTAMP '2024-03-01 08:00:00', TIMESTAMP '2024-03-15 18:00:00', 'u1', 'c3', 'google_ads');
INSERT INTO crm.companies (company_id, name) VALUES ('c1', 'Alpha'), ('c2', 'Beta'), ('c3', 'Gamma');
