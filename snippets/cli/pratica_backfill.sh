#!/usr/bin/env bash
# Backfill da semana de 9 a 13/11 do pipeline da PTAX (passo 3): uma
# execução por dia útil. As datas levam o fuso de Brasília; sem fuso, a
# CLI as lê como meia-noite em UTC.
set -euo pipefail
docker compose exec airflow-scheduler \
    airflow dags unpause pratica_agendamento
docker compose exec airflow-scheduler \
    airflow backfill create --dag-id pratica_agendamento \
    --from-date 2026-11-09T00:00-03:00 --to-date 2026-11-13T23:59-03:00 \
    --reprocess-behavior completed
docker compose exec airflow-scheduler \
    airflow dags list-runs pratica_agendamento \
    --start-date 2026-11-09T00:00-03:00 --end-date 2026-11-13T23:59-03:00
