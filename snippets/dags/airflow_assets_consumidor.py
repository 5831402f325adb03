"""Consumidor de asset: roda a cada novo resumo de vendas, não num horário.

A DAG não tem cron: `schedule=[RESUMO_VENDAS]` diz ao scheduler que crie
uma execução cada vez que o asset receber um evento. A task lê o evento
mais recente do asset, que aponta para o arquivo publicado, e calcula o
total do dia.
"""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
from airflow.sdk import Asset, dag, task

# O mesmo nome do produtor: é o mesmo asset.
RESUMO_VENDAS = Asset("resumo_vendas")


# --8<-- [start:consumidor]
@dag(
    schedule=[RESUMO_VENDAS],  # (1)!
    start_date=pendulum.datetime(2026, 11, 1, tz="America/Sao_Paulo"),
    catchup=False,
    tags=["capitulo-2", "assets"],
)
def airflow_assets_consumidor():
    @task(inlets=[RESUMO_VENDAS])
    def totalizar(inlet_events=None) -> dict:
        eventos = inlet_events[RESUMO_VENDAS]  # (2)!
        if not eventos:
            return {"dia": None, "total_centavos": 0}  # (3)!
        arquivo = Path(eventos[-1].extra["arquivo"])
        resumo = json.loads(arquivo.read_text(encoding="utf-8"))
        return {
            "dia": resumo["dia"],
            "total_centavos": sum(resumo["receita"].values()),
        }

    totalizar()


airflow_assets_consumidor()
# --8<-- [end:consumidor]
