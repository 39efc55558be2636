# hoidap in a container: the static binary alone on an empty base, run as a user without
# privileges. It builds (or checks) the site mounted at /site:
#
#   docker build --tag hoidap .
#   docker run --rm --user "$(id -u):$(id -g)" --volume "$PWD:/site" hoidap build
#   docker run --rm --user "$(id -u):$(id -g)" --volume "$PWD:/site" hoidap check
#
# The release workflow publishes it as ghcr.io/<owner>/<repository>:<version>.
# `--build-arg HOIDAP_COMMIT=<commit>` names the commit in `hoidap --version` (the build
# context holds no git history).

# Alpine's C compiler targets musl, which mimalloc's C code needs; Rust's musl target links
# statically.
FROM rust:1-alpine AS build
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
ARG HOIDAP_COMMIT=""
ENV HOIDAP_COMMIT=${HOIDAP_COMMIT}
RUN cargo build --locked --profile dist --bin hoidap \
    && ./target/dist/hoidap --version

FROM scratch
COPY --from=build /src/target/dist/hoidap /usr/local/bin/hoidap
# Any user without privileges; `docker run --user` chooses another (the owner of the
# mounted site, so that what the build writes is theirs).
USER 65532:65532
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/hoidap"]
CMD ["build"]
