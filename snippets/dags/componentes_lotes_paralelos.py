"""Lotes em paralelo: uma task mapeada por loja, espalhada pelos workers.

Cada lote "trabalha" alguns segundos (no lugar de uma chamada de API ou de
uma consulta) e devolve o nome do worker que o executou, para que se veja a
distribuição da carga entre os workers do Celery.
"""

from __future__ import annotations

import socket
import time
from collections import Counter
from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task


# --8<-- [start:dag]
@dag(
    schedule=None,  # (1)!
    start_date=pendulum.datetime(2026, 11, 1, tz="America/Sao_Paulo"),
    catchup=False,
    default_args={  # (2)!
        "retries": 2,
        "retry_delay": timedelta(seconds=10),
    },
    params={
        "lotes": Param(8, type="integer", minimum=1, maximum=64),
        "segundos_por_lote": Param(
            5, type="integer", minimum=0, maximum=600
        ),
    },
    tags=["capitulo-4"],
)
def componentes_lotes_paralelos():
    @task
    def listar_lotes(params=None) -> list[str]:
        return [
            f"loja_{numero:02d}"
            for numero in range(1, params["lotes"] + 1)
        ]

    @task
    def processar(lote: str, params=None) -> dict:
        time.sleep(params["segundos_por_lote"])
        return {"lote": lote, "worker": socket.gethostname()}  # (3)!

    @task
    def consolidar(resultados: list[dict]) -> dict:
        por_worker = Counter(
            resultado["worker"] for resultado in resultados
        )
        return {
            "lotes": len(resultados),
            "por_worker": dict(sorted(por_worker.items())),
        }

    consolidar(processar.expand(lote=listar_lotes()))  # (4)!
# --8<-- [end:dag]


componentes_lotes_paralelos()
