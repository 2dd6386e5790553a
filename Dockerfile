# judge: a Judge0-compatible code execution service.
#
# Stage 1 installs the sandbox's root filesystem from the package list of rootfs/recipe.toml, on the
# same Debian release; stage 2 is the application, with that tree post-processed into
# /var/lib/judge/rootfs exactly as `judge rootfs build` does on a host.
#
#   docker build -t judge .
#   docker run --privileged -p 2358:2358 judge            # judge up: Redis, a worker and the API
#   docker run --privileged judge worker                   # or one role: api | worker | up
#
# The worker needs to create namespaces and cgroups: see docker-compose.yml for the least privilege.

FROM debian:bookworm-slim AS rootfs
COPY rootfs/recipe.toml /recipe.toml
RUN packages="$(sed -n 's/^packages = \[\(.*\)\]/\1/p' /recipe.toml | tr -d '",')" \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /recipe.toml

FROM python:3.12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libcap2 libseccomp2 redis-server util-linux procps gcc libc6-dev libcap-dev \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/judge
COPY pyproject.toml README.md ./
COPY sandbox sandbox
COPY rootfs rootfs
COPY judge judge
COPY worker worker
COPY scripts scripts
RUN pip install --no-cache-dir . \
 && apt-get purge -y --auto-remove gcc libc6-dev libcap-dev \
 && install -m 755 scripts/docker-entrypoint /usr/local/bin/docker-entrypoint
COPY --from=rootfs / /var/lib/judge/rootfs/image/
RUN python -m rootfs.install /var/lib/judge/rootfs/image
ENV JUDGE_STATE_DIR=/var/lib/judge/state \
    JUDGE_WORK_DIR=/var/lib/judge/work
EXPOSE 2358
ENTRYPOINT ["docker-entrypoint"]
CMD ["up", "--host", "0.0.0.0"]
