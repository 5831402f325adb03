"""Um sensor adiável: espera sem ocupar um worker.

O sensor calcula o instante que precisa esperar, entrega essa espera a um
trigger e sai do worker; o triggerer acompanha o trigger e, quando o
instante chega, a task volta a um worker só para terminar. Depois dela, uma
task TaskFlow confere a espera.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.sdk import dag, task

ESPERA = timedelta(seconds=30)


# --8<-- [start:dag]
@dag(
    schedule=None,  # (1)!
    start_date=pendulum.datetime(2026, 11, 1, tz="America/Sao_Paulo"),
    catchup=False,
    tags=["capitulo-2"],
)
def airflow_sensor_adiado():
    aguardar = TimeDeltaSensor(
        task_id="aguardar_janela",
        delta=ESPERA,  # (2)!
        deferrable=True,  # (3)!
        timeout=timedelta(minutes=10),  # (4)!
    )

    @task
    def conferir_espera(dag_run=None, data_interval_end=None) -> dict:
        base = data_interval_end or dag_run.run_after  # (5)!
        decorrido = pendulum.now("UTC") - base
        return {"esperou_o_bastante": decorrido >= ESPERA}

    aguardar >> conferir_espera()


airflow_sensor_adiado()
# --8<-- [end:dag]
