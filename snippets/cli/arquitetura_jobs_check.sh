#!/usr/bin/env bash
# Cada componente de longa duração registra um "job" no banco de
# metadados e o mantém vivo com heartbeats; `jobs check` confirma que há
# um job vivo de cada tipo.
set -euo pipefail
docker compose exec airflow-scheduler \
    airflow jobs check --job-type SchedulerJob
docker compose exec airflow-triggerer \
    airflow jobs check --job-type TriggererJob
docker compose exec airflow-dag-processor \
    airflow jobs check --job-type DagProcessorJob
