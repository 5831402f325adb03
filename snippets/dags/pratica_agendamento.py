"""PTAX, segunda versão: dias úteis, um dia por execução, reprocessável.

O dia da cotação vem da data lógica da execução, e a carga substitui o dia
em vez de duplicá-lo: rodar de novo, ou fazer um backfill, deixa uma linha
por dia.
"""

from __future__ import annotations

import pendulum
from airflow.providers.common.sql.operators.sql import (
    SQLExecuteQueryOperator,
)
from airflow.providers.http.hooks.http import HttpHook
from airflow.sdk import dag, task
from airflow.sdk.exceptions import AirflowSkipException
from comum import armazem, ptax


# --8<-- [start:dag]
@dag(
    schedule="0 14 * * 1-5",  # (1)!
    start_date=pendulum.datetime(2026, 10, 1, tz=ptax.FUSO),  # (2)!
    catchup=False,  # (3)!
    max_active_runs=3,
    tags=["capitulo-5", "ptax"],
)
def pratica_agendamento():
    criar_tabela = SQLExecuteQueryOperator(
        task_id="criar_tabela", conn_id="armazem", sql=ptax.CRIAR_TABELA
    )

    @task
    def extrair(logical_date=None, dag_run=None) -> dict:
        dia = ptax.dia_local(logical_date or dag_run.run_after)  # (4)!
        hook = HttpHook(method="GET", http_conn_id="bcb_ptax")
        resposta = hook.run(ptax.endpoint_do_dia(dia))
        return {"dia": dia, "resposta": resposta.text}
    # --8<-- [end:dag]

    @task
    def validar(extraido: dict) -> dict:
        dia = extraido["dia"]
        cotacao = ptax.validar_resposta(extraido["resposta"], dia)
        if cotacao is None:
            raise AirflowSkipException(
                f"sem PTAX em {dia}: fim de semana ou feriado"
            )
        return cotacao

    @task
    def transformar(cotacao: dict) -> dict:
        return ptax.transformar(cotacao)

    # --8<-- [start:carregar]
    @task
    def carregar(linha: dict) -> None:
        with armazem.motor().begin() as conexao:  # (1)!
            # `INSERT ... ON CONFLICT`: o dia é substituído.
            ptax.carregar(conexao, linha)
    # --8<-- [end:carregar]

    @task
    def relatorio(dia: str) -> str:
        with armazem.motor().connect() as conexao:
            texto = ptax.relatorio(conexao, dia)
        print(texto)
        return texto

    extraido = extrair()
    carga = carregar(transformar(validar(extraido)))
    criar_tabela >> carga >> relatorio(extraido["dia"])


pratica_agendamento()
