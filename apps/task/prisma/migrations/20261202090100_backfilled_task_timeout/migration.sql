-- Tasks still to run keep the timeout they were submitted with (validated then: an integer), so
-- their first claim fixes the deadline from it.
UPDATE "task"."tasks" SET "timeout_seconds" = ("context"->>'timeout_seconds')::integer
WHERE "timeout_seconds" IS NULL AND "status" IN ('QUEUED', 'RUNNING', 'PAUSED')
  AND jsonb_typeof("context"->'timeout_seconds') = 'number';
