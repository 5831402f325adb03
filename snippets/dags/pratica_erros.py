"""PTAX, versão final: falhas tratadas, dado ruim barrado antes do armazém.

A extração tenta de novo, com esperas crescentes, quando a API falha, e
espera a PTAX que atrasa, até um prazo; uma resposta malformada, uma
cotação fora do plausível ou uma PTAX que não sai no prazo param a execução
antes da carga, com uma mensagem que diz o que veio errado, e viram um
alerta. Em feriado, sem consulta à API, o relatório sai mesmo assim.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.providers.common.sql.operators.sql import (
    SQLExecuteQueryOperator,
)
from airflow.sdk import Param, TriggerRule, Variable, dag, task
from airflow.sdk.exceptions import AirflowSkipException
from comum import armazem, ptax
from comum.extracao import ExtrairPtax


@dag(
    schedule="0 14 * * 1-5",
    start_date=pendulum.datetime(2026, 10, 1, tz=ptax.FUSO),
    catchup=False,
    max_active_runs=3,
    default_args={"on_failure_callback": armazem.AlertaNoArmazem()},
    params={
        "minutos_de_prazo": Param(
            240, type="integer", minimum=0,
            description=(
                "Quanto esperar pela PTAX, "
                "contado do horário da execução."
            ),
        ),
        "minutos_entre_consultas": Param(
            15, type="integer", minimum=1,
            description="Quanto esperar entre uma consulta e a próxima.",
        ),
    },
    doc_md=__doc__,
    tags=["capitulo-5", "ptax"],
)
def pratica_erros():
    criar_tabela = SQLExecuteQueryOperator(
        task_id="criar_tabela", conn_id="armazem", sql=ptax.CRIAR_TABELA
    )

    # --8<-- [start:extrair]
    extrair = ExtrairPtax(
        task_id="extrair",
        minutos_de_prazo="{{ params.minutos_de_prazo }}",  # (1)!
        minutos_entre_consultas="{{ params.minutos_entre_consultas }}",
        retries=4,  # (2)!
        retry_delay=timedelta(seconds=5),
        retry_exponential_backoff=2.0,  # (3)!
        max_retry_delay=timedelta(minutes=2),
        execution_timeout=timedelta(minutes=2),  # (4)!
    )
    # --8<-- [end:extrair]

    # --8<-- [start:validar]
    @task
    def validar(extraido: dict) -> dict:
        if extraido["sem_ptax"]:
            raise AirflowSkipException(
                f"sem PTAX em {extraido['dia']}: {extraido['sem_ptax']}"
            )
        return ptax.validar_resposta(extraido["resposta"], extraido["dia"])
    # --8<-- [end:validar]

    @task
    def transformar(cotacao: dict) -> dict:
        return ptax.transformar(cotacao)

    # --8<-- [start:conferir]
    @task
    def conferir(linha: dict) -> dict:
        """Barra a cotação que varia demais sobre a anterior: mais provável
        erro de dado que mercado."""
        with armazem.motor().connect() as conexao:
            anterior = ptax.cotacao_anterior(
                conexao, linha["data_cotacao"]
            )
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
    def relatorio(extraido: dict) -> str:
        quantas = int(Variable.get("ptax_dias_no_relatorio", default=5))
        with armazem.motor().connect() as conexao:
            texto = ptax.relatorio(conexao, extraido["dia"], quantas)
        print(texto)
        return texto
    # --8<-- [end:relatorio]

    carga = carregar(conferir(transformar(validar(extrair.output))))
    criar_tabela >> carga >> relatorio(extrair.output)


pratica_erros()
