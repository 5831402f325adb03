"""Dropped in the stack's DAG folder by tests/stack/test_triggerer.py: a deferrable sensor that
would wait an hour, with a 20-second timeout."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.sdk import dag


@dag(schedule=None, start_date=pendulum.datetime(2026, 11, 1, tz="UTC"), catchup=False, tags=["testes"])
def teste_prazo_do_trigger():
    TimeDeltaSensor(task_id="esperar_uma_hora", delta=timedelta(hours=1), deferrable=True,
                    timeout=timedelta(seconds=20))


teste_prazo_do_trigger()
