"""Produtor de asset: publica o resumo de vendas e avisa quem depende dele.

A task que grava o arquivo declara o asset em `outlets`; quando ela termina
com sucesso, o Airflow registra um evento de asset, e as DAGs agendadas por
esse asset entram na fila do scheduler.
"""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
from airflow.sdk import Asset, Param, dag, task
from comum.vendas import (
    dia_anterior,
    ler_csv,
    receita_por_loja,
    validar_linhas,
)

DADOS = Path(__file__).resolve().parent.parent / "dados"
FUSO = "America/Sao_Paulo"

# --8<-- [start:asset]
RESUMO_VENDAS = Asset("resumo_vendas")  # nome e URI ao mesmo tempo
# --8<-- [end:asset]


@dag(
    schedule="0 6 * * *",
    start_date=pendulum.datetime(2026, 11, 1, tz=FUSO),
    catchup=False,
    params={
        "dia": Param(None, type=["null", "string"], format="date"),
        "diretorio_entrada": Param(str(DADOS / "vendas"), type="string"),
        "diretorio_saida": Param("/tmp/modulo10/resumos", type="string"),
    },
    tags=["capitulo-2", "assets"],
)
def airflow_assets_produtor():
    @task
    def calcular_receita(params=None, dag_run=None) -> dict:
        dia = params["dia"] or dia_anterior(dag_run.run_after, FUSO)
        linhas = ler_csv(Path(params["diretorio_entrada"]) / f"{dia}.csv")
        return {
            "dia": dia,
            "receita": receita_por_loja(validar_linhas(linhas, dia)),
        }

    # --8<-- [start:produtor]
    @task(outlets=[RESUMO_VENDAS])  # (1)!
    def publicar_resumo(
        resumo: dict, params=None, outlet_events=None
    ) -> str:
        pasta = Path(params["diretorio_saida"])
        destino = pasta / f"resumo_{resumo['dia']}.json"
        destino.parent.mkdir(parents=True, exist_ok=True)
        texto = json.dumps(resumo, sort_keys=True)
        destino.write_text(texto, encoding="utf-8")
        outlet_events[RESUMO_VENDAS].extra = {  # (2)!
            "dia": resumo["dia"],
            "arquivo": str(destino),
        }
        return str(destino)
    # --8<-- [end:produtor]

    publicar_resumo(calcular_receita())


airflow_assets_produtor()
