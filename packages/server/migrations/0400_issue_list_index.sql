-- The board's issues list pages through a company's visible issues in the default order (priority, critical
-- first, then most recently updated). This index serves that order directly, so the first page of a company
-- with tens of thousands of issues reads a page of index entries instead of sorting every row.
CREATE INDEX IF NOT EXISTS "issues_company_priority_idx" ON "issues" USING btree (
  "company_id",
  (CASE "priority" WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END),
  "updated_at" DESC,
  "id" DESC
) WHERE "hidden_at" IS NULL;
