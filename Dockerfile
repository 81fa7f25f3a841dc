# The headless command's image: `tabsynth` on the PATH, production dependencies only,
# the CLI prebuilt (dist-cli, no TypeScript compiled at start), run as the non-root
# `node` user. Build:  docker build -t tabsynth:0.1.0 .
# Run:    docker run --rm -v "$PWD:/work" -w /work tabsynth:0.1.0 generate config.yaml --rows 1000 --out out.parquet

FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json tsconfig.core.json ./
COPY bin ./bin
COPY src ./src
# `npm ci` runs the `prepare` script, which builds dist-cli/ with the dev dependencies.
RUN npm ci --no-audit --no-fund

FROM node:20.19-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist-cli ./dist-cli
COPY bin/tabsynth.mjs ./bin/tabsynth.mjs
RUN ln -s /app/bin/tabsynth.mjs /usr/local/bin/tabsynth
USER node
WORKDIR /work
ENTRYPOINT ["tabsynth"]
CMD ["--help"]
