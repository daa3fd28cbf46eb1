# syntax=docker/dockerfile:1
# One image for the three services; docker-compose picks the app with APP.

FROM node:24-bookworm-slim AS build
WORKDIR /repo
ENV NX_NO_CLOUD=true NX_TELEMETRY_DISABLED=1 NX_DAEMON=false DO_NOT_TRACK=1 SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# tools: dist/tools/sync-indexes.js, the index build `entrypoint.sh sync-indexes` runs;
# admin-console: the static files the gateway stage below serves.
RUN npx nx run-many -t build --parallel=2 --projects=auth-api,users-api,admin-analytics,tools,admin-console

# The compose stack's one origin (`target: gateway`): Caddy with the routes of docker/Caddyfile and
# the admin console's built files. Before `runtime`, which stays the default target.
FROM caddy:2.11.4-alpine AS gateway
COPY docker/Caddyfile /etc/caddy/Caddyfile
COPY --from=build /repo/dist/apps/admin-console /srv/console

FROM node:24-bookworm-slim AS deps
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /repo/dist/apps ./dist/apps
COPY --from=build --chown=node:node /repo/dist/tools ./dist/tools
COPY --chown=node:node package.json ./
COPY --chown=node:node docker/entrypoint.sh ./entrypoint.sh
USER node
ENTRYPOINT ["./entrypoint.sh"]
