FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# The pinned runtime set (requirements.lock, the `matrix` extra included: one image serves
# Slack, Matrix or both); the bot runs from /app with `python -m bot`.
COPY requirements.lock ./
RUN pip install --no-compile -r requirements.lock && useradd --create-home partage
COPY pyproject.toml README.md alembic.ini manifest.yml ./
COPY bot ./bot
COPY migrations ./migrations
RUN chown partage /app
USER partage
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"3000\")}/healthz')" || exit 1
CMD ["python", "-m", "bot"]
