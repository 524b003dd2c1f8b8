#!/usr/bin/env bash
# Runs the Prisma CLI offline: no engine downloads (the generated client uses the Wasm query
# compiler and the pg adapter; the CLI uses the Wasm schema engine through tools/prisma/offline.config.ts).
# Usage: tools/prisma/prisma.sh <app> generate | tools/prisma/prisma.sh <app> migrate diff ...
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
app="$1"; shift
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1 PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING=1
export PRISMA_QUERY_ENGINE_LIBRARY=/bin/true PRISMA_SCHEMA_ENGINE_BINARY=/bin/true
# The schema reads DATABASE_URL; generate never connects, so any well-formed URL will do.
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/shannon}"
cd "$root"
schema_flag=()
[ "${1:-}" = generate ] && schema_flag=(--schema "apps/$app/prisma/schema.prisma")
exec "$root/node_modules/.bin/prisma" "$@" --config tools/prisma/offline.config.ts "${schema_flag[@]}"
