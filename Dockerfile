# Tandem's worker and web app. Sources are TypeScript run by Node 24's type stripping.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY db ./db
COPY policy ./policy
COPY src ./src
USER node
ENTRYPOINT ["node", "bin/tandem.js"]
CMD ["worker"]
