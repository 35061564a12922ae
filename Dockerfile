# Tandem's worker and web app. Sources are TypeScript run by Node 24's type stripping.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Two malloc arenas instead of one per native thread: the worker holds far less for the same
# work (src/worker/process-settings.ts). Its V8 flags are in docker-compose.yml's NODE_OPTIONS.
ENV MALLOC_ARENA_MAX=2
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY db ./db
COPY policy ./policy
COPY src ./src
USER node
ENTRYPOINT ["node", "bin/tandem.js"]
CMD ["worker"]
