"""PTAX, primeira versão: extrair, validar, transformar, carregar, resumir.

Disparada à mão, com o dia como parâmetro. Os endereços da API e do armazém
vêm de duas connections do Airflow (`bcb_ptax` e `armazem`); as regras
ficam em `comum/ptax.py`.
"""

from __future__ import annotations

import pendulum
from airflow.providers.common.sql.operators.sql import (
    SQLExecuteQueryOperator,
)
from airflow.providers.http.hooks.http import HttpHook
from airflow.sdk import Param, dag, task
from airflow.sdk.exceptions import AirflowSkipException
from comum import armazem, ptax


# --8<-- [start:dag]
@dag(
    schedule=None,  # (1)!
    start_date=pendulum.datetime(2026, 10, 1, tz=ptax.FUSO),
    catchup=False,
    params={
        "dia": Param(
            "2026-11-24", type="string", format="date",
            description="Dia da cotação",
        ),
    },
    tags=["capitulo-5", "ptax"],
)
def pratica_primeira_versao():
    criar_tabela = SQLExecuteQueryOperator(  # (2)!
        task_id="criar_tabela", conn_id="armazem", sql=ptax.CRIAR_TABELA
    )

    @task
    def extrair(params=None) -> dict:
        dia = params["dia"]
        hook = HttpHook(method="GET", http_conn_id="bcb_ptax")
        resposta = hook.run(ptax.endpoint_do_dia(dia))  # (3)!
        return {"dia": dia, "resposta": resposta.text}

    @task
    def validar(extraido: dict) -> dict:
        dia = extraido["dia"]
        cotacao = ptax.validar_resposta(extraido["resposta"], dia)
        if cotacao is None:
            raise AirflowSkipException(  # (4)!
                f"sem PTAX em {dia}: fim de semana ou feriado"
            )
        return cotacao

    @task
    def transformar(cotacao: dict) -> dict:
        return ptax.transformar(cotacao)

    @task
    def carregar(linha: dict) -> None:
        with armazem.motor().begin() as conexao:  # (5)!
            ptax.carregar(conexao, linha)

    @task
    def relatorio(dia: str) -> str:
        with armazem.motor().connect() as conexao:
            texto = ptax.relatorio(conexao, dia)
        print(texto)  # vai para o log da task
        return texto

    extraido = extrair()
    carga = carregar(transformar(validar(extraido)))
    criar_tabela >> carga >> relatorio(extraido["dia"])  # (6)!


pratica_primeira_versao()
# --8<-- [end:dag]
