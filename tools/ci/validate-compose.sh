#!/usr/bin/env bash
# Validate the Compose files under docker/ without a Docker engine.
#
# Uses `docker-compose config -q` (Debian package `docker-compose`, v1.29+,
# which understands the Compose spec incl. service_completed_successfully),
# then runs a few structural checks on the normalized config.
#
# Compose v1 does not know the top-level `name:` key (Compose v2 does), so the
# files are fed to docker-compose on stdin with that single line removed; the
# name itself is checked separately below.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DOCKER_DIR="$ROOT/docker"
FILES=(compose.yaml compose.dev.yaml)

die() { echo "compose: error: $*" >&2; exit 1; }

ensure_docker_compose() {
  command -v docker-compose >/dev/null 2>&1 && return 0
  if [[ "$(id -u)" -ne 0 ]]; then
    die "docker-compose not found; install it (e.g. 'sudo apt-get install -y --no-install-recommends docker-compose') and re-run"
  fi
  command -v apt-get >/dev/null 2>&1 || die "docker-compose not found and apt-get is unavailable"
  echo "compose: installing docker-compose via apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends docker-compose >/dev/null; then
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends docker-compose >/dev/null
  fi
  command -v docker-compose >/dev/null 2>&1 || die "docker-compose installation failed"
}

ensure_docker_compose
echo "compose: using $(docker-compose version --short 2>/dev/null || docker-compose version | head -n1)" >&2

HAVE_PYYAML=0
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' >/dev/null 2>&1; then
  HAVE_PYYAML=1
else
  echo "compose: warning: python3 + PyYAML not available, skipping structural checks" >&2
fi

# Structural checks on the normalized (anchors/env resolved) config.
# $1 = file name (compose.yaml | compose.dev.yaml), $2 = normalized config.
structural_check() {
  COMPOSE_CONFIG="$2" python3 - "$1" <<'PY'
import os, sys, yaml

fname = sys.argv[1]
cfg = yaml.safe_load(os.environ["COMPOSE_CONFIG"]) or {}
services = cfg.get("services") or {}
errors = []

def ports_of(svc):
    out = []
    for p in svc.get("ports") or []:
        if isinstance(p, dict):
            out.append((str(p.get("host_ip", "")), p.get("published"), p.get("target")))
        else:
            s = str(p).split("/")[0]
            parts = s.rsplit(":", 2)
            if len(parts) == 3:
                out.append((parts[0], parts[1], parts[2]))
            elif len(parts) == 2:
                out.append(("", parts[0], parts[1]))
            else:
                out.append(("", None, parts[0]))
    return out

if not services:
    errors.append("no services defined")

for name, svc in services.items():
    build = svc.get("build")
    if isinstance(build, dict):
        ctx = build.get("context", ".")
        if not os.path.isdir(ctx):
            errors.append(f"{name}: build context {ctx} does not exist")
        df = os.path.join(ctx, build.get("dockerfile", "Dockerfile"))
        if not os.path.isfile(df):
            errors.append(f"{name}: dockerfile {df} does not exist")
        if build and not svc.get("image"):
            errors.append(f"{name}: built services must set image:")
    elif build is not None:
        if not os.path.isdir(str(build)):
            errors.append(f"{name}: build context {build} does not exist")

if fname.endswith("/compose.yaml"):
    apps = ["gateway", "auth", "session", "task", "task-worker", "streaming"]
    migrates = ["auth-migrate", "session-migrate", "task-migrate", "streaming-migrate"]
    for req in ["postgres", "nats", "redis", *apps, *migrates]:
        if req not in services:
            errors.append(f"missing service {req}")
    for name, svc in services.items():
        if ports_of(svc) and name != "gateway":
            errors.append(f"{name}: only the gateway may publish ports")
    for name in apps + migrates:
        svc = services.get(name) or {}
        if "ALL" not in (svc.get("cap_drop") or []):
            errors.append(f"{name}: cap_drop must include ALL")
        if not svc.get("read_only"):
            errors.append(f"{name}: read_only must be true")
        if "no-new-privileges:true" not in (svc.get("security_opt") or []):
            errors.append(f"{name}: security_opt must include no-new-privileges:true")
    for name in migrates:
        app = name[: -len("-migrate")]
        svc = services.get(name) or {}
        if svc.get("image") != (services.get(app) or {}).get("image"):
            errors.append(f"{name}: must use the same image as {app}")
        dep = ((services.get(app) or {}).get("depends_on") or {}).get(name) or {}
        if dep.get("condition") != "service_completed_successfully":
            errors.append(f"{app}: must depend on {name} (service_completed_successfully)")
else:
    for name, svc in services.items():
        for host_ip, published, target in ports_of(svc):
            if published and host_ip != "127.0.0.1":
                errors.append(f"{name}: port {published}:{target} must bind 127.0.0.1")

for e in errors:
    print(f"compose: {fname}: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

status=0
cd "$DOCKER_DIR"   # relative paths in the files (build context ..) resolve from here
for f in "${FILES[@]}"; do
  rel="docker/$f"
  if [[ ! -f "$f" ]]; then
    echo "compose: $rel missing" >&2; status=1; continue
  fi
  if grep -qE '^version:' "$f"; then
    echo "compose: $rel: remove the obsolete top-level version: key" >&2; status=1; continue
  fi
  name_line="$(grep -E '^name:' "$f" || true)"
  if [[ -n "$name_line" ]] && ! [[ "$name_line" =~ ^name:[[:space:]]*[\"\']?[a-z0-9][a-z0-9_-]*[\"\']?[[:space:]]*(#.*)?$ ]]; then
    echo "compose: $rel: invalid project name: $name_line" >&2; status=1; continue
  fi

  if ! normalized="$(sed -E '/^name:/d' "$f" | docker-compose -f - config)"; then
    echo "compose: $rel: docker-compose config failed" >&2; status=1; continue
  fi
  if [[ "$HAVE_PYYAML" -eq 1 ]] && ! structural_check "$rel" "$normalized"; then
    status=1; continue
  fi
  echo "compose: $rel ok"
done

exit "$status"
