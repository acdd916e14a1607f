# yjplan production image: one image for every role (web, worker, beat, migrate); compose picks the command.
#   docker build -t yjplan .
# See docs/operations.md for deploying, scaling, backups and upgrades.

# --- Stage 1: front-end assets (GOV.UK Frontend, MOJ Frontend, htmx) compiled into build/static -------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
# The Sass entry files are all the build reads from the project (load paths: node_modules and .).
COPY static/scss ./static/scss
# The build also strips the bundles' sourceMappingURL lines (the maps are not copied; WhiteNoise's
# manifest storage would fail on them).
RUN npm run build

# --- Stage 2: the Django application -----------------------------------------------------------------
FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's runtime (Pango, HarfBuzz subsetting), poppler-utils (pdftotext/pdftoppm), and the fonts the
# print stylesheet names (Liberation Sans, then DejaVu Sans): the slim image ships no fonts at all.
# postgresql-client (pg_dump, pg_restore, psql) for scripts/backup and scripts/restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils \
        fonts-liberation fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# An unprivileged user with a real home directory (fontconfig keeps its cache there).
RUN groupadd --system --gid 1000 yjplan \
    && useradd --system --uid 1000 --gid yjplan --create-home --home-dir /home/yjplan \
        --shell /usr/sbin/nologin yjplan

WORKDIR /app

# Runtime dependencies only (requirements-dev.txt stays out of the image).
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# The application: named one by one, so nothing local (.venv, node_modules, db.sqlite3, .env, media)
# reaches the image even without a .dockerignore.
COPY manage.py ./
COPY yjplan ./yjplan
COPY budgets ./budgets
COPY performance ./performance
COPY actions ./actions
COPY boards ./boards
COPY templates ./templates
COPY static ./static
COPY fixtures ./fixtures
COPY scripts/backup scripts/restore ./scripts/
COPY scripts/sql ./scripts/sql

# Built CSS/JS, and the two npm asset folders that settings.STATICFILES_DIRS maps under "assets/".
COPY --from=assets /src/build/static ./build/static
COPY --from=assets /src/node_modules/govuk-frontend/dist/govuk/assets ./node_modules/govuk-frontend/dist/govuk/assets
COPY --from=assets /src/node_modules/@ministryofjustice/frontend/moj/assets ./node_modules/@ministryofjustice/frontend/moj/assets

# collectstatic runs once, at build time, with production settings (DEBUG=0 selects WhiteNoise's
# compressed manifest storage). These build arguments are placeholders that exist only for this step:
# the running containers get the real SECRET_KEY and ALLOWED_HOSTS from the environment (.env).
ARG BUILD_SECRET_KEY=collectstatic-only-placeholder-not-used-at-runtime
ARG BUILD_ALLOWED_HOSTS=localhost
RUN DEBUG=0 SECRET_KEY="$BUILD_SECRET_KEY" ALLOWED_HOSTS="$BUILD_ALLOWED_HOSTS" \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown yjplan:yjplan /app/media

USER yjplan
EXPOSE 8000

# Web (the default). Worker: celery -A yjplan worker --loglevel=INFO
#                    Beat:   celery -A yjplan beat --loglevel=INFO --schedule /tmp/celerybeat-schedule
CMD ["gunicorn", "yjplan.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
