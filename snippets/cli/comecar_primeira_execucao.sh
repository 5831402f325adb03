#!/usr/bin/env bash
# A primeira DAG verde: a do capítulo 2 que lista os CSVs do curso. Sem
# agenda e sem rede, ela só roda quando disparada, e tirá-la da pausa não
# cria nenhuma outra execução.
# Despausa, dispara e acompanha a execução até o fim; sai com 0 só se ela
# terminar em "success".
set -euo pipefail
airflow() { docker compose exec airflow-scheduler airflow "$@"; }
execucao="primeira-execucao-$(date +%Y%m%d-%H%M%S)"
airflow dags unpause airflow_hook_conexao
airflow dags trigger airflow_hook_conexao --run-id "$execucao"
estado=queued
while [ "$estado" != success ] && [ "$estado" != failed ]; do
    sleep 5
    estado=$(airflow dags list-runs airflow_hook_conexao --output plain |
        awk -v id="$execucao" '$2 == id {print $3}')
    echo "$execucao: $estado"
done
[ "$estado" = success ]
