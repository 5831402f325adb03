"""PTAX, versão final: falhas tratadas, dado ruim barrado antes do armazém.

A extração tenta de novo, com esperas crescentes, quando a API falha; uma resposta
malformada ou uma cotação fora do plausível param a execução antes da carga, com uma
mensagem que diz o que veio errado, e viram um alerta. Em feriado, o relatório sai mesmo assim.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from airflow.providers.http.hooks.http import HttpHook
from airflow.sdk import TriggerRule, Variable, dag, task
from airflow.sdk.exceptions import AirflowSkipException
from comum import armazem, ptax


@dag(
    schedule="0 14 * * 1-5",
    start_date=pendulum.datetime(2026, 10, 1, tz=ptax.FUSO),
    catchup=False,
    max_active_runs=3,
    default_args={"on_failure_callback": armazem.AlertaNoArmazem()},
    doc_md=__doc__,
    tags=["capitulo-5", "ptax"],
)
def pratica_erros():
    criar_tabela = SQLExecuteQueryOperator(
        task_id="criar_tabela", conn_id="armazem", sql=ptax.CRIAR_TABELA
    )

    # --8<-- [start:extrair]
    @task(
        retries=4,  # (1)!
        retry_delay=timedelta(seconds=5),
        retry_exponential_backoff=2.0,  # (2)!
        max_retry_delay=timedelta(minutes=2),
        execution_timeout=timedelta(minutes=2),  # (3)!
    )
    def extrair(logical_date=None, dag_run=None) -> dict:
        dia = ptax.dia_local(logical_date or dag_run.run_after)
        resposta = HttpHook(method="GET", http_conn_id="bcb_ptax").run(
            ptax.endpoint_do_dia(dia), extra_options={"timeout": 30}  # (4)!
        )
        return {"dia": dia, "resposta": resposta.text}
    # --8<-- [end:extrair]

    @task
    def validar(extraido: dict) -> dict:
        cotacao = ptax.validar_resposta(extraido["resposta"], extraido["dia"])
        if cotacao is None:
            raise AirflowSkipException(f"sem PTAX em {extraido['dia']}: fim de semana ou feriado")
        return cotacao

    @task
    def transformar(cotacao: dict) -> dict:
        return ptax.transformar(cotacao)

    # --8<-- [start:conferir]
    @task
    def conferir(linha: dict) -> dict:
        """Barra a cotação que varia demais sobre a anterior: mais provável erro de dado que mercado."""
        with armazem.motor().connect() as conexao:
            anterior = ptax.cotacao_anterior(conexao, linha["data_cotacao"])
        variacao = ptax.conferir_variacao(linha, anterior, limite=0.05)
        print(f"variação sobre o dia anterior: {variacao}")
        return linha
    # --8<-- [end:conferir]

    @task
    def carregar(linha: dict) -> None:
        with armazem.motor().begin() as conexao:
            ptax.carregar(conexao, linha)

    # --8<-- [start:relatorio]
    @task(trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)  # (1)!
    def relatorio(dia: str) -> str:
        quantas = int(Variable.get("ptax_dias_no_relatorio", default=5))
        with armazem.motor().connect() as conexao:
            texto = ptax.relatorio(conexao, dia, quantas)
        print(texto)
        return texto
    # --8<-- [end:relatorio]

    extraido = extrair()
    carga = carregar(conferir(transformar(validar(extraido))))
    criar_tabela >> carga >> relatorio(extraido["dia"])


pratica_erros()
