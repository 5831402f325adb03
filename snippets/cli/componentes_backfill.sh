#!/usr/bin/env bash
# Reprocessar um intervalo de dias: primeiro o ensaio (--dry-run), que
# só lista as execuções.
set -euo pipefail
docker compose exec airflow-scheduler airflow backfill create \
    --dag-id orquestracao_vendas_diarias \
    --from-date 2026-11-21 --to-date 2026-11-24 \
    --dry-run
