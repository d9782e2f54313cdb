-- Per-plugin overrides of the host's resource limits (worker heap, event concurrency, log caps), e.g.
-- {"memoryLimitMb": 1024, "eventMaxInFlight": 1}. Empty: the host-wide defaults apply (src/plugins/lifecycle/limits.ts).
ALTER TABLE plugins ADD COLUMN limits jsonb NOT NULL DEFAULT '{}'::jsonb;
