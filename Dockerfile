# Tandem's production image (docs/deployment.md). One image for every process:
#   docker run IMAGE                          the web server (`tandem serve`, gunicorn)
#   docker run IMAGE rqworker --with-scheduler default    a background-task worker (Redis)
#   docker run IMAGE migrate --no-input       create or update the tables (before starting)
# The entrypoint is `tandem`, so any `tandem` command is the container's command.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- Build: Tandem and its dependencies into a virtualenv, static files collected ----------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/tandem/venv
WORKDIR /src
# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p src/tandem && touch src/tandem/__init__.py \
    && /opt/tandem/venv/bin/pip install . \
    && /opt/tandem/venv/bin/pip uninstall --yes tandem
COPY src ./src
RUN /opt/tandem/venv/bin/pip install --no-deps . \
    && /opt/tandem/venv/bin/python -m compileall -q /opt/tandem/venv/lib

# Hashed, compressed static files (WhiteNoise's manifest storage, used with debug off) are
# built once here, not by every container at start. The key only lets settings load.
RUN TANDEM_DEBUG=false \
    TANDEM_SECRET_KEY=collectstatic-at-build-time-only-never-used-to-sign-anything \
    TANDEM_VAR_DIR=/tmp/tandem-build \
    TANDEM_STATIC_ROOT=/opt/tandem/static \
    /opt/tandem/venv/bin/tandem collectstatic --no-input --verbosity 0

# --- Runtime: the virtualenv and static files, nothing to build with --------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="Tandem" \
      org.opencontainers.image.description="Self-hosted performance management" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"

# A user of its own, no login shell, no password: the processes never run as root.
RUN groupadd --system --gid 10001 tandem \
    && useradd --system --uid 10001 --gid tandem --home-dir /var/lib/tandem \
       --shell /usr/sbin/nologin tandem \
    && mkdir -p /var/lib/tandem \
    && chown tandem:tandem /var/lib/tandem

COPY --from=build /opt/tandem /opt/tandem
COPY deploy/healthcheck.py /opt/tandem/healthcheck.py

ENV PATH=/opt/tandem/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TANDEM_DEBUG=false \
    TANDEM_BIND=0.0.0.0:8000 \
    TANDEM_VAR_DIR=/var/lib/tandem \
    TANDEM_STATIC_ROOT=/opt/tandem/static

# Prepared exports, the generated anonymity key (when not given) and file e-mail live
# here: mount a volume, shared by web and workers (docs/deployment.md).
VOLUME ["/var/lib/tandem"]
WORKDIR /var/lib/tandem
USER tandem:tandem
EXPOSE 8000

# GET /healthz answers 200 once the process serves and the database answers. Workers run
# the same image with another command: compose switches this check off for them.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/opt/tandem/healthcheck.py"]

ENTRYPOINT ["tandem"]
CMD ["serve"]
