-- AlterTable
ALTER TABLE "task"."tasks" ADD COLUMN     "trace_id" TEXT,
ADD COLUMN     "traceparent" TEXT,
ADD COLUMN     "tracestate" TEXT;

-- AlterTable
ALTER TABLE "task"."outbox" ADD COLUMN     "headers" JSONB;

-- CreateTable
CREATE TABLE "task"."idempotency_keys" (
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("tenant_id","user_id","idempotency_key")
);

-- CreateIndex
CREATE INDEX "idempotency_keys_expires_at_idx" ON "task"."idempotency_keys"("expires_at");

