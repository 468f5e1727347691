# Kabar as one self-contained binary (`deno compile`) on a small glibc image.
#
#   docker build -t kabar .
#   docker run -d -p 8080:8080 -v kabar-data:/data --name kabar kabar
#   docker exec kabar kabar user create --username admin --role admin
#
# This build needs internet access. `deno compile` downloads its runtime
# (denort) from dl.deno.land, and `deno install` fetches the npm packages.

ARG DENO_VERSION=2.9.6

# ---------------------------------------------------------------------------
# Build: fetch the npm dependencies, then compile main.ts (plus the embedded
# migrations) into dist/kabar.
# ---------------------------------------------------------------------------
FROM denoland/deno:${DENO_VERSION} AS build
WORKDIR /app

# Dependencies first, so this layer is cached until deno.json/deno.lock change.
# --frozen: fail if deno.lock no longer matches deno.json, never update it here.
COPY deno.json deno.lock ./
RUN deno install --frozen

COPY . .
RUN deno cache --frozen main.ts \
 && deno task compile

# ---------------------------------------------------------------------------
# Runtime: Debian slim (glibc).
#
# Why glibc: the binary is denort (built against glibc, needs GLIBC_2.27) with
# the npm packages embedded. That includes two native Node-API addons built
# for glibc: @libsql/linux-<arch>-gnu (libsql's index.node, needs GLIBC_2.18)
# and @node-rs/argon2-linux-<arch>-gnu (needs GLIBC_2.14). Both also need
# libgcc_s.so.1. At run time denort writes an embedded .node file to the temp
# dir (/tmp) and dlopen()s it. So the image needs glibc, libgcc_s and a
# writable /tmp. Alpine (musl) and distroless/static have no glibc, so they
# cannot run this binary. debian:bookworm-slim (glibc 2.36) and
# gcr.io/distroless/cc-debian12 both can.
# None of these files is compiled in the build stage. They are prebuilt
# downloads, so the build image's glibc version does not matter.
# Debian slim was picked over distroless/cc because it has /bin/sh and apt for
# curl (HEALTHCHECK below), and /usr/bin/ldd, which detect-libc reads to choose
# the -gnu addon instead of the -musl one.
# ---------------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime

# curl: only for the HEALTHCHECK. The binary has no "check health" subcommand.
# Doing the check over HTTP also proves that the server answers, not only that
# the process is alive. ca-certificates: for outbound HTTPS
# (Telegram, WhatsApp, webhooks to https:// URLs) should a system store be used.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# Non-root user with a fixed uid/gid (10001), so host volumes can be chowned to it.
RUN groupadd --system --gid 10001 kabar \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin kabar \
 && mkdir -p /data \
 && chown 10001:10001 /data \
 && chmod 0750 /data

COPY --from=build /app/dist/kabar /usr/local/bin/kabar

# Times: pages show them in KABAR_TIMEZONE (WIB; Asia/Makassar is WITA,
# Asia/Jayapura WIT), and a date in a filter is a day there. Kabar never reads
# the process's own zone, so TZ stays UTC: logs and the API's ISO times are
# UTC, and changing KABAR_TIMEZONE at `docker run -e` is the one setting.
ENV KABAR_DATA_DIR=/data \
    KABAR_HOST=0.0.0.0 \
    KABAR_PORT=8080 \
    KABAR_TIMEZONE=Asia/Jakarta \
    TZ=UTC

USER 10001:10001

# Smoke test on this exact base image and user, at build time. Check that the
# binary starts, loads the libsql native addon and applies the embedded
# migrations to a throwaway database. This fails the build rather than the
# first container start. Then remove what the test left in /tmp: the
# database and the addons denort wrote out.
RUN kabar version \
 && KABAR_DATA_DIR=/tmp/kabar-smoke kabar migrate \
 && rm -rf /tmp/kabar-smoke /tmp/* /tmp/.[!.]*

# The database, media and secret.key live here. A new volume inherits the
# 10001:10001 ownership set above. A bind-mounted host directory must be
# chowned to 10001:10001 by hand.
VOLUME ["/data"]
WORKDIR /data

EXPOSE 8080

# The shell form lets the check follow a KABAR_PORT changed at `docker run`.
# It uses 127.0.0.1 because KABAR_HOST defaults to 0.0.0.0. curl -f turns a
# non-2xx answer (/healthz gives 503 when the database is unreachable or
# migrations are pending) into a failure.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS --max-time 4 -o /dev/null "http://127.0.0.1:${KABAR_PORT}/healthz" || exit 1

# Kabar runs as PID 1 and stops cleanly on SIGTERM/SIGINT (main.ts listens for
# both). Arguments given to `docker run IMAGE ...` replace `serve`, so
# `docker run --rm -v kabar-data:/data IMAGE migrate` runs another subcommand.
ENTRYPOINT ["/usr/local/bin/kabar"]
CMD ["serve"]
