# newsdesk: multi-stage build, non-root runtime.
FROM rust:1-bookworm AS build
WORKDIR /src
# Dependencies first, so source changes rebuild only newsdesk itself.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && cargo build --release && rm -rf src
COPY src ./src
COPY config ./config
RUN touch src/main.rs src/lib.rs && cargo build --release --bin newsdesk

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates poppler-utils poppler-data \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin newsdesk
WORKDIR /app
COPY --from=build /src/target/release/newsdesk /usr/local/bin/newsdesk
COPY seeds ./seeds
COPY config ./config
COPY schema ./schema
USER 10001:10001
ENTRYPOINT ["newsdesk"]
CMD ["serve"]
