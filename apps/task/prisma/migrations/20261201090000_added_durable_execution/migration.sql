-- Durable execution: leases, event seq, control requests, checkpointed steps, dead letters.
ALTER TABLE "task"."tasks"
    ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "lease_owner" TEXT,
    ADD COLUMN "lease_until" TIMESTAMPTZ(3),
    ADD COLUMN "deadline_at" TIMESTAMPTZ(3),
    ADD COLUMN "last_seq" BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN "budget_warned" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "pause_requested" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "paused_at" TIMESTAMPTZ(3),
    ADD COLUMN "pause_reason" TEXT,
    ADD COLUMN "paused_by" TEXT,
    ADD COLUMN "cancel_requested_at" TIMESTAMPTZ(3),
    ADD COLUMN "cancel_reason" TEXT,
    ADD COLUMN "cancelled_by" TEXT;

-- CreateTable
CREATE TABLE "task"."task_steps" (
    "task_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "output" JSONB NOT NULL DEFAULT '{}',
    "model" TEXT,
    "provider" TEXT,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "estimated_cost" DECIMAL(14,8) NOT NULL DEFAULT 0,
    "attempt" INTEGER NOT NULL,
    "duration_ms" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "task_steps_pkey" PRIMARY KEY ("task_id","key")
);

-- CreateTable
CREATE TABLE "task"."dead_letters" (
    "id" BIGSERIAL NOT NULL,
    "task_id" TEXT,
    "subject" TEXT NOT NULL,
    "deliveries" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "payload" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dead_letters_task_id_idx" ON "task"."dead_letters"("task_id");

-- AddForeignKey
ALTER TABLE "task"."task_steps" ADD CONSTRAINT "task_steps_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "task"."tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
