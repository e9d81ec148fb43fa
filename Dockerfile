# syntax=docker/dockerfile:1
# Gaojian in production: compiled JavaScript on Node 24 LTS, production dependencies only, run as
# the unprivileged `node` user. Build: docker build -t gaojian . (or docker compose build).

# 1. Compile TypeScript to dist/ (needs the dev dependencies: TypeScript).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bot ./bot
COPY cli ./cli
COPY commands ./commands
COPY db ./db
COPY jobs ./jobs
COPY cards ./cards
COPY domain ./domain
COPY emulator ./emulator
COPY demo ./demo
RUN npm run build

# 2. Production dependencies only: no TypeScript, tsx, vitest or drizzle-kit in the image.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The runtime image.
FROM node:24-slim
ENV NODE_ENV=production \
    PORT=3000 \
    PGLITE_DIR=/app/data/pglite
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json org.example.yaml ./
COPY scripts ./scripts
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
# /healthz answers within 2 s: 200 when the database answers, 503 otherwise or while stopping.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: stop taking requests (503), finish work in flight, exit 0 (SHUTDOWN_TIMEOUT_SECONDS, 20 s).
STOPSIGNAL SIGTERM
CMD ["node", "dist/bot/main.js"]
