#!/usr/bin/env bash
# `npm test`: every check CI runs, in order, failing fast.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true TZ=UTC
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
nx() { npx nx "$@" --output-style=stream 2>&1 | tee -a "$log"; }

echo "== contracts: buf lint, generated code up to date"
bash tools/ci/check-contracts.sh
echo "== compose files"
bash tools/ci/validate-compose.sh
echo "== lint, typecheck, unit tests"
nx run-many -t lint typecheck test --parallel=2
echo "== build"
nx run-many -t build -p gateway auth session task streaming
echo "== integration tests (real PostgreSQL, NATS, Redis)"
nx run-many -t test-integration --parallel=2
echo "== end-to-end tests (built services as processes)"
nx run e2e:e2e

# One closing line for the whole run, summed over every jest run above.
node -e '
const text = require("fs").readFileSync(process.argv[1], "utf8").replace(/\x1b\[[0-9;]*m/g, "");
let passed = 0, failed = 0;
for (const m of text.matchAll(/Tests:\s+(.*)$/gm)) {
  passed += Number(/(\d+) passed/.exec(m[1])?.[1] ?? 0);
  failed += Number(/(\d+) failed/.exec(m[1])?.[1] ?? 0);
}
console.log(`${passed} passed, ${failed} failed`);
' "$log"
