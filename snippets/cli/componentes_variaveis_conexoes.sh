#!/usr/bin/env bash
# Variables e Connections pela CLI: configuração e credenciais fora do
# código das DAGs.
set -euo pipefail
docker compose exec airflow-scheduler airflow variables set ambiente curso
docker compose exec airflow-scheduler airflow variables get ambiente
docker compose exec airflow-scheduler \
    airflow connections add armazem_vendas \
    --conn-uri 'postgres://leitor:segredo@armazem:5432/vendas'
docker compose exec airflow-scheduler \
    airflow connections get armazem_vendas --output yaml
