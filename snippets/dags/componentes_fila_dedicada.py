"""Fila dedicada: a task pesada vai para uma fila que só um worker escuta.

As demais tasks ficam na fila padrão. No arquivo do Docker Compose do
curso, o worker da fila "pesada" é o serviço airflow-worker-pesado, ligado
pelo perfil "filas".
"""

from __future__ import annotations

import socket

import pendulum
from airflow.sdk import dag, task


# --8<-- [start:dag]
@dag(
    schedule=None,
    start_date=pendulum.datetime(2026, 11, 1, tz="America/Sao_Paulo"),
    catchup=False,
    tags=["capitulo-4"],
)
def componentes_fila_dedicada():
    @task
    def preparar() -> int:
        return 200_000

    @task(queue="pesada")  # (1)!
    def calcular(limite: int) -> dict:
        primos = [
            n for n in range(2, limite)
            if all(n % d for d in range(2, int(n**0.5) + 1))
        ]
        return {"primos": len(primos), "worker": socket.gethostname()}

    @task
    def publicar(resultado: dict) -> str:
        return (
            f"{resultado['primos']} primos calculados em "
            f"{resultado['worker']}"
        )

    publicar(calcular(preparar()))
# --8<-- [end:dag]


componentes_fila_dedicada()
