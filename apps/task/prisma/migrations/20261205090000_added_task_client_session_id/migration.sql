-- The session id as the client sent it, answered back as Shannon does (its UUID stays in session_id).
ALTER TABLE "task"."tasks" ADD COLUMN "client_session_id" TEXT;
