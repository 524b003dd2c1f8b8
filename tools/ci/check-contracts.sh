#!/usr/bin/env bash
# Fails when the protos do not lint or the committed generated code is not what they generate.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx buf lint
npx buf generate
if [ -n "$(git status --porcelain -- libs/contracts/src/gen)" ]; then
  echo "Generated contracts are stale: run 'npm run contracts:generate' and commit libs/contracts/src/gen" >&2
  git status --short -- libs/contracts/src/gen >&2
  exit 1
fi
echo "contracts: up to date"
