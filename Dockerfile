# One image for the API, the worker (agent) and migrations; the command picks the role.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY migrations ./migrations
COPY tools ./tools
COPY examples ./examples
COPY src ./src
USER node
CMD ["npx", "tsx", "src/api/main.ts"]
