#!/usr/bin/env bash
# Saúde de cada componente, perguntada à API do Airflow (este endpoint
# não pede login).
set -euo pipefail
curl --silent --fail \
    "http://127.0.0.1:${AIRFLOW_PORTA:-8080}/api/v2/monitor/health" |
    python3 -m json.tool
