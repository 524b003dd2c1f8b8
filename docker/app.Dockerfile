# syntax=docker/dockerfile:1
#
# One image template for every Shannon app:
#   docker build -f docker/app.Dockerfile --build-arg APP=gateway -t shannon/gateway:local .
# APP is one of: gateway | auth | session | task | streaming
# The build context is the repository root (see docker/app.Dockerfile.dockerignore).
#
# NOTE: the base image is pinned by tag for readability. In production pin it by
# digest as well, e.g. node:20-bookworm-slim@sha256:<digest>, and bump it deliberately.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------
# Build stage: install the whole workspace, build + prune one app.
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    CI=true
WORKDIR /repo

# Dependencies first so this layer is shared by all apps and only invalidated
# when the manifest/lockfile change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .

# Declared after `npm ci` on purpose: an ARG invalidates the cache of every RUN
# that follows it, and the dependency layer above must stay app-independent.
ARG APP
RUN test -n "${APP}" || { echo "build arg APP is required (gateway|auth|session|task|streaming)" >&2; exit 1; }

# The webpack build (generatePackageJson) writes dist/apps/$APP/{main.js,package.json,package-lock.json}
# and, for data-owning apps, migrations/. Prisma clients are generated first (offline-safe).
RUN npx nx run-many -t build -p "${APP}" \
 && test -f "dist/apps/${APP}/main.js" \
 && test -f "dist/apps/${APP}/package.json"

# ---------------------------------------------------------------------------
# Runtime stage: production deps only, non-root, tini as PID 1.
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production
WORKDIR /app

ARG APP
LABEL org.opencontainers.image.title="shannon-${APP}"

# main.js, package.json, package-lock.json and (data-owning apps) migrations/
COPY --from=build --chown=node:node /repo/dist/apps/${APP}/ ./

RUN if [ -f package-lock.json ]; then \
      npm ci --omit=dev --no-audit --no-fund; \
    else \
      npm install --omit=dev --no-audit --no-fund; \
    fi \
 && npm cache clean --force

USER node

# Every app (gRPC services and the gateway) implements `node main.js healthcheck`,
# which exits 0 when the app answers its health check. `node main.js migrate`
# applies the app's own migrations and exits (used by the *-migrate jobs).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "main.js", "healthcheck"]

ENTRYPOINT ["tini", "--"]
CMD ["node", "main.js"]
