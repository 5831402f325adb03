"""PTAX, quarta versão: pronta para ser acompanhada.

Toda falha de task vira um alerta (o notifier `AlertaNoArmazem`, em
`comum/armazem.py`), e esta documentação aparece na página da DAG na
interface, em Docs.
"""

from __future__ import annotations

import pendulum
from airflow.providers.common.sql.operators.sql import (
    SQLExecuteQueryOperator,
)
from airflow.providers.http.hooks.http import HttpHook
from airflow.sdk import Variable, dag, task
from airflow.sdk.exceptions import AirflowSkipException
from comum import armazem, ptax


# --8<-- [start:dag]
@dag(
    schedule="0 14 * * 1-5",
    start_date=pendulum.datetime(2026, 10, 1, tz=ptax.FUSO),
    catchup=False,
    max_active_runs=3,
    default_args={  # (1)!
        "on_failure_callback": armazem.AlertaNoArmazem(),
    },
    doc_md=__doc__,  # (2)!
    tags=["capitulo-5", "ptax"],
)
def pratica_monitoramento():
    # --8<-- [end:dag]
    criar_tabela = SQLExecuteQueryOperator(
        task_id="criar_tabela", conn_id="armazem", sql=ptax.CRIAR_TABELA
    )

    @task
    def extrair(logical_date=None, dag_run=None) -> dict:
        dia = ptax.dia_local(logical_date or dag_run.run_after)
        hook = HttpHook(method="GET", http_conn_id="bcb_ptax")
        resposta = hook.run(ptax.endpoint_do_dia(dia))
        return {"dia": dia, "resposta": resposta.text}

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

    @task
    def carregar(linha: dict) -> None:
        with armazem.motor().begin() as conexao:
            ptax.carregar(conexao, linha)

    @task
    def relatorio(dia: str) -> str:
        quantas = int(Variable.get("ptax_dias_no_relatorio", default=5))
        with armazem.motor().connect() as conexao:
            texto = ptax.relatorio(conexao, dia, quantas)
        print(texto)
        return texto

    extraido = extrair()
    carga = carregar(transformar(validar(extraido)))
    criar_tabela >> carga >> relatorio(extraido["dia"])


pratica_monitoramento()
