-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "streaming";

-- CreateTable
CREATE TABLE "streaming"."event_log" (
    "task_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL DEFAULT '',
    "message" TEXT NOT NULL DEFAULT '',
    "payload" JSONB NOT NULL DEFAULT '{}',
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_log_pkey" PRIMARY KEY ("task_id","seq")
);

-- CreateIndex
CREATE INDEX "event_log_tenant_id_task_id_idx" ON "streaming"."event_log"("tenant_id", "task_id");

