# syntax=docker/dockerfile:1.7
# Carebook API + web app, production image. Build: docker build -t carebook .
# Stages: deps (all dependencies, to build the web app) → build → prod-deps (production
# dependencies only) → runtime (non-root, no compilers, no dev dependencies, HEALTHCHECK).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/contracts/package.json packages/contracts/
COPY packages/search-engine/package.json packages/search-engine/
COPY packages/demo-data/package.json packages/demo-data/
COPY tools/package.json tools/
RUN npm ci

FROM deps AS build
COPY . .
# Vite writes content-hashed assets to apps/web/dist, served immutable. With a CDN, build with
# --build-arg PUBLIC_ASSETS_URL=https://cdn.example.com/app (the CDN pulls /assets/* from this
# origin) and give the running API the same PUBLIC_ASSETS_URL (Content-Security-Policy allows it).
ARG PUBLIC_ASSETS_URL=""
RUN npm run build -w @carebook/web -- --base="${PUBLIC_ASSETS_URL}/"

FROM deps AS prod-deps
RUN npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
# mariadb-client: `npm run backup` / `npm run restore` use mariadb-dump and mariadb.
RUN apt-get update && apt-get install -y --no-install-recommends mariadb-client tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    CAREBOOK_PROFILE=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MIGRATE_ON_START=false \
    WEB_DIST_DIR=/app/apps/web/dist
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node apps/api/package.json apps/api/tsconfig.json apps/api/
COPY --chown=node:node apps/api/src apps/api/src
COPY --chown=node:node packages packages
COPY --chown=node:node tools/package.json tools/
COPY --chown=node:node tools/src tools/src
COPY --from=build --chown=node:node /app/apps/web/dist apps/web/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# Migrations run before this starts (compose: the migrate service; Kubernetes: the migration Job).
CMD ["node", "--import", "tsx", "apps/api/src/server.ts"]
