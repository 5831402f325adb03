#!/usr/bin/env bash
# O ciclo de uma DAG pela CLI: listar, despausar, disparar com parâmetros
# e acompanhar.
set -euo pipefail
docker compose exec airflow-scheduler airflow dags list
docker compose exec airflow-scheduler \
    airflow dags unpause orquestracao_vendas_diarias
docker compose exec airflow-scheduler \
    airflow dags trigger orquestracao_vendas_diarias \
    --conf '{"dia": "2026-11-25"}'
docker compose exec airflow-scheduler \
    airflow dags list-runs orquestracao_vendas_diarias
