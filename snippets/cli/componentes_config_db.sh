#!/usr/bin/env bash
# Qual executor está valendo, e o banco de metadados responde?
set -euo pipefail
docker compose exec airflow-scheduler \
    airflow config get-value core executor
docker compose exec airflow-scheduler airflow db check
