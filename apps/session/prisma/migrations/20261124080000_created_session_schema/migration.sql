-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "session";

-- CreateTable
CREATE TABLE "session"."sessions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "external_id" TEXT,
    "title" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sessions_tenant_id_user_id_last_activity_at_idx" ON "session"."sessions"("tenant_id", "user_id", "last_activity_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "sessions_tenant_id_external_id_key" ON "session"."sessions"("tenant_id", "external_id");

