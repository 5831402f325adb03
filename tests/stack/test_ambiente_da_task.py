"""What the code of a task can read from its environment, in each profile: which of the stack's
secrets reach it. Chapter 3 says it (docs/03-arquitetura/index.md#o-que-o-codigo-de-uma-task-enxerga).

A task process inherits the environment of whoever runs it: a Celery worker, which the compose
file gives neither the metadata database nor the JWT secret; or, in the lighter profile, the
scheduler, which needs both. Airflow itself swaps the database address for a blocked one before the
task's code runs."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from ferramentas import PERFIL, api, disparar, esperar_dags, esperar_fim

DAG_ID = "teste_ambiente_da_task"
SEGREDOS = ["POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_SECRET_KEY", "AIRFLOW_SENHA", "ARMAZEM_SENHA"]
# The variables whose value holds one of the stack's secrets, and which secret, as a task sees them.
VISTOS = {
    "celery": {"AIRFLOW__API__SECRET_KEY": "AIRFLOW_SECRET_KEY", "AIRFLOW_CONN_ARMAZEM": "ARMAZEM_SENHA"},
    "leve": {"AIRFLOW__API__SECRET_KEY": "AIRFLOW_SECRET_KEY", "AIRFLOW_CONN_ARMAZEM": "ARMAZEM_SENHA",
             "AIRFLOW__API_AUTH__JWT_SECRET": "AIRFLOW_JWT_SECRET"},
}


def test_o_que_o_codigo_de_uma_task_le_do_ambiente(cliente, na_pasta_de_dags):
    na_pasta_de_dags(f"{DAG_ID}.py", Path(__file__).parent / "dags" / f"{DAG_ID}.py")
    esperar_dags(cliente, {DAG_ID})
    run_id = disparar(cliente, DAG_ID, {})
    assert esperar_fim(cliente, DAG_ID, run_id, ate=180) == "success"
    visto = api(f"/api/v2/dags/{DAG_ID}/dagRuns/{quote(run_id, safe='')}/taskInstances/ambiente"
                "/xcomEntries/return_value")["value"]
    variaveis = visto["variaveis"]

    com_segredo = {nome: segredo for nome, valor in variaveis.items() for segredo in SEGREDOS
                   if os.environ[segredo] in valor}
    assert com_segredo == VISTOS[PERFIL]
    # The metadata database: Airflow hands the task a blocked address, whatever its parent had.
    assert variaveis.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN") == "airflow-db-not-allowed:///"
    assert visto["senhas_do_login"] is False, "the login's password file is mounted where tasks run"
