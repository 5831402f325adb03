"""Dropped in the stack's DAG folder by tests/stack/test_ambiente_da_task.py: what the process of a
task finds in its environment and on the disk of whoever runs it."""

from __future__ import annotations

import os

import pendulum
from airflow.sdk import dag, task


@dag(schedule=None, start_date=pendulum.datetime(2026, 11, 1, tz="UTC"), catchup=False, tags=["testes"])
def teste_ambiente_da_task():
    @task
    def ambiente() -> dict:
        return {"variaveis": dict(os.environ),
                "senhas_do_login": os.path.exists("/opt/airflow/config/senhas.json")}

    ambiente()


teste_ambiente_da_task()
