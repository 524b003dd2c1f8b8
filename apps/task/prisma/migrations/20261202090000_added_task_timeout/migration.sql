-- AlterTable
ALTER TABLE "task"."tasks" ADD COLUMN     "timeout_seconds" INTEGER;
