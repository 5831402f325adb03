"""Desafio do capítulo 5, resolvido: a semana inteira da PTAX, às sextas.

Uma task mapeada por dia da semana da data lógica busca, valida e carrega o
dia com as regras de comum/ptax.py. Feriado, pelo calendário, é pulado sem
consultar a API; resposta malformada, ou um dia útil sem cotação, falha sem
novas tentativas; o resumo diz quantos dias entraram e a mínima, a máxima e
a média da venda na semana.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import mean

import pendulum
from airflow.providers.common.sql.operators.sql import (
    SQLExecuteQueryOperator,
)
from airflow.providers.http.hooks.http import HttpHook
from airflow.sdk import TriggerRule, dag, task
from airflow.sdk.exceptions import (
    AirflowFailException,
    AirflowSkipException,
)
from comum import armazem, calendario, ptax


def dias_uteis_da_semana(dia: str) -> list[str]:
    """De segunda a sexta da semana de `dia`; os feriados, o calendário os
    diz na hora de carregar."""
    data = date.fromisoformat(dia)
    segunda = data - timedelta(days=data.weekday())
    return [(segunda + timedelta(days=n)).isoformat() for n in range(5)]


# --8<-- [start:dag]
@dag(
    schedule="0 15 * * 5",  # sexta-feira, 15h de Brasília
    start_date=pendulum.datetime(2026, 10, 2, tz=ptax.FUSO),
    catchup=False,
    default_args={"on_failure_callback": armazem.AlertaNoArmazem()},
    tags=["capitulo-5", "ptax", "desafio"],
)
def pratica_desafio():
    criar_tabela = SQLExecuteQueryOperator(
        task_id="criar_tabela", conn_id="armazem", sql=ptax.CRIAR_TABELA
    )

    @task
    def dias_da_semana(logical_date=None, dag_run=None) -> list[str]:
        dia = ptax.dia_local(logical_date or dag_run.run_after)
        return dias_uteis_da_semana(dia)

    @task(
        retries=4,
        retry_delay=timedelta(seconds=5),
        retry_exponential_backoff=2.0,
    )
    def carregar_dia(dia: str) -> dict:
        try:
            motivo = calendario.sem_ptax(dia)
        except calendario.CalendarioDesatualizado as erro:
            # Tentar de novo não atualiza o arquivo.
            raise AirflowFailException(str(erro)) from None
        if motivo:
            raise AirflowSkipException(f"sem PTAX em {dia}: {motivo}")
        hook = HttpHook(method="GET", http_conn_id="bcb_ptax")
        endpoint = ptax.endpoint_do_dia(dia)
        resposta = hook.run(endpoint, extra_options={"timeout": 30})
        try:
            cotacao = ptax.validar_resposta(resposta.text, dia)
        except ptax.CotacaoInvalida as erro:
            # Falha já, sem gastar tentativas.
            raise AirflowFailException(str(erro)) from erro
        # Às 15h de sexta, todo dia útil da semana já devia ter PTAX.
        if cotacao is None:
            raise AirflowFailException(
                f"a PTAX de {dia}, dia útil, não foi publicada"
            )
        linha = ptax.transformar(cotacao)
        with armazem.motor().begin() as conexao:
            ptax.carregar(conexao, linha)
        return linha

    @task(trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
    def resumir(linhas) -> dict:
        # Só os dias carregados: os pulados não têm XCom.
        vendas = [linha["venda"] for linha in linhas]
        resumo = {
            "dias": len(vendas),
            "minima": min(vendas),
            "maxima": max(vendas),
            "media": round(mean(vendas), 4),
        }
        print(f"semana: {resumo}")
        return resumo

    dias = dias_da_semana()
    linhas = carregar_dia.expand(dia=dias)
    criar_tabela >> linhas
    resumir(linhas)


pratica_desafio()
# --8<-- [end:dag]
