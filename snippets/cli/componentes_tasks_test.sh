#!/usr/bin/env bash
# Roda uma task isolada, sem scheduler e sem gravar estado: o jeito
# rápido de depurar uma task.
set -euo pipefail
docker compose exec airflow-scheduler \
    airflow tasks test orquestracao_vendas_diarias extrair \
    --task-params '{"dia": "2026-11-24"}'
