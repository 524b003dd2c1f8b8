-- AlterTable
ALTER TABLE "session"."sessions" ADD COLUMN     "deleted_by" UUID,
ADD COLUMN     "deleted_external_id" TEXT;

-- CreateTable
CREATE TABLE "session"."turns" (
    "task_id" TEXT NOT NULL,
    "session_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "query" TEXT NOT NULL,
    "mode" TEXT,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "result" TEXT,
    "error" TEXT,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(14,8) NOT NULL DEFAULT 0,
    "interrupted_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "turns_pkey" PRIMARY KEY ("task_id")
);

-- CreateIndex
CREATE INDEX "turns_status_created_at_idx" ON "session"."turns"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "turns_session_id_seq_key" ON "session"."turns"("session_id", "seq");

-- CreateIndex
CREATE INDEX "sessions_tenant_id_last_activity_at_idx" ON "session"."sessions"("tenant_id", "last_activity_at" DESC);

-- CreateIndex
CREATE INDEX "sessions_last_activity_at_idx" ON "session"."sessions"("last_activity_at");

-- AddForeignKey
ALTER TABLE "session"."turns" ADD CONSTRAINT "turns_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"."sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

