"""Dropped in the stack's DAG folder by tests/stack/test_falha_fora_da_task.py: a task with chapter 5's
failure alert and no retries that logs its process id and waits, so a test can kill its worker, or
only its process, and see who fails it and whether the alert runs."""

from __future__ import annotations

import logging
import os
import time

import pendulum
from airflow.sdk import dag, task
from comum import armazem


@dag(schedule=None, start_date=pendulum.datetime(2026, 11, 1, tz="UTC"), catchup=False, tags=["testes"],
     default_args={"retries": 0, "on_failure_callback": armazem.AlertaNoArmazem()})
def teste_falha_fora_da_task():
    @task
    def esperar():
        logging.getLogger(__name__).info("processo da task: %d", os.getpid())
        time.sleep(600)

    esperar()


teste_falha_fora_da_task()
