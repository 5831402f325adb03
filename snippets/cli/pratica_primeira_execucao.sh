#!/usr/bin/env bash
# A primeira DAG verde: a do capítulo 1, que lê os CSVs do próprio repositório e não depende de rede.
# Despausa, dispara e acompanha a execução até o fim; sai com 0 só se ela terminar em "success".
set -euo pipefail
airflow() { docker compose exec airflow-scheduler airflow "$@"; }
execucao="primeira-execucao-$(date +%Y%m%d-%H%M%S)"
airflow dags unpause orquestracao_vendas_diarias
airflow dags trigger orquestracao_vendas_diarias --run-id "$execucao" --conf '{"dia": "2026-11-24"}'
estado=queued
while [ "$estado" != success ] && [ "$estado" != failed ]; do
    sleep 5
    estado=$(airflow dags list-runs orquestracao_vendas_diarias --output plain |
        awk -v id="$execucao" '$2 == id {print $3}')
    echo "$execucao: $estado"
done
[ "$estado" = success ]
