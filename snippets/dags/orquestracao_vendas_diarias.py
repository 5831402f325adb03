"""Vendas diárias: o pipeline do script de cron reescrito como DAG.

Lê o CSV de vendas do dia anterior, valida cada linha, soma a receita por
loja e grava o relatório de forma atômica. Cada etapa é uma task: o Airflow
sabe a ordem, tenta de novo o que pode dar certo mais tarde e para o que
não vai.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pendulum
from airflow.sdk import Param, dag, task
from airflow.sdk.exceptions import AirflowFailException
from comum.vendas import (
    LoteInvalido,
    dia_anterior,
    gravar_relatorio,
    ler_csv,
    receita_por_loja,
    validar_linhas,
)

DADOS = Path(__file__).resolve().parent.parent / "dados"
FUSO = "America/Sao_Paulo"


# --8<-- [start:dag]
@dag(
    schedule="0 6 * * *",  # (1)!
    start_date=pendulum.datetime(2026, 11, 1, tz=FUSO),
    catchup=False,
    default_args={  # (2)!
        "retries": 3,
        "retry_delay": timedelta(minutes=10),
    },
    params={
        "dia": Param(
            None, type=["null", "string"], format="date",
            description="Dia a processar (AAAA-MM-DD); vazio = ontem",
        ),
        "diretorio_entrada": Param(str(DADOS / "vendas"), type="string"),
        "diretorio_saida": Param(
            "/tmp/modulo10/relatorios", type="string"
        ),
    },
    tags=["capitulo-1"],
)
def orquestracao_vendas_diarias():
    @task
    def extrair(params=None, dag_run=None) -> dict:
        dia = params["dia"] or dia_anterior(dag_run.run_after, FUSO)
        caminho = Path(params["diretorio_entrada"]) / f"{dia}.csv"
        return {"dia": dia, "linhas": ler_csv(caminho)}  # (3)!

    @task
    def validar(lote: dict) -> dict:
        try:
            registros = validar_linhas(lote["linhas"], lote["dia"])
        except LoteInvalido as erro:
            mensagem = f"Lote rejeitado: {erro}"
            raise AirflowFailException(mensagem) from erro  # (4)!
        return {"dia": lote["dia"], "registros": registros}

    @task
    def transformar(lote: dict) -> dict:
        return {
            "dia": lote["dia"],
            "receita": receita_por_loja(lote["registros"]),
        }

    @task
    def carregar(resultado: dict, params=None) -> str:
        pasta = Path(params["diretorio_saida"])
        destino = pasta / f"relatorio_{resultado['dia']}.csv"
        return str(gravar_relatorio(resultado["receita"], destino))  # (5)!

    carregar(transformar(validar(extrair())))  # (6)!


orquestracao_vendas_diarias()
# --8<-- [end:dag]
