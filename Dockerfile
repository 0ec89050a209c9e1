# syntax=docker/dockerfile:1

# Node.js 24 LTS, the same release .ci/run tests on. Held at 24.18.1: better-sqlite3 12 built
# against the headers of 24.19 and later aborts at teardown (nodejs/node#65446). Move on once
# better-sqlite3 is 13 or later, which needs Node.js 22 or later.
ARG NODE_IMAGE=node:24.18.1-bookworm-slim

# Build: install all dependencies (better-sqlite3 compiles here), compile TypeScript, build
# the stylesheet from nhsuk-frontend's Sass and compile the views (dist/views.json, read at
# start-up, names each view by its path here: /app, as in the image that runs), then drop the
# development dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY public ./public
COPY views ./views
RUN npm run build && npm prune --omit=dev

# Run: production dependencies, compiled code and stylesheet, views, public files and content.
FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node views ./views
COPY --chown=node:node public ./public
COPY --chown=node:node content ./content
# The contact outbox (SQLite) lives here unless DATABASE_URL points at PostgreSQL.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "require('http').get('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
# The same command as `npm start` (test/unit/start-command.test.ts): see docs/performance.md for the flag.
CMD ["node", "--max-semi-space-size=4", "--expose-gc", "dist/cli/server.js"]
