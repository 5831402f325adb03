"""Solução do exercício: receita líquida = vendas - devoluções.

As duas fontes são extraídas em paralelo.
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


@dag(
    schedule="0 6 * * *",
    start_date=pendulum.datetime(2026, 11, 1, tz=FUSO),
    catchup=False,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=10)},
    params={
        "dia": Param(None, type=["null", "string"], format="date"),
        "diretorio_dados": Param(str(DADOS), type="string"),
        "diretorio_saida": Param(
            "/tmp/modulo10/relatorios", type="string"
        ),
    },
    tags=["capitulo-1", "exercicio"],
)
def orquestracao_exercicio_devolucoes():
    # --8<-- [start:tarefas]
    @task
    def extrair(fonte: str, params=None, dag_run=None) -> dict:  # (1)!
        dia = params["dia"] or dia_anterior(dag_run.run_after, FUSO)
        caminho = Path(params["diretorio_dados"]) / fonte / f"{dia}.csv"
        try:
            registros = validar_linhas(ler_csv(caminho), dia)
        except LoteInvalido as erro:
            mensagem = f"Lote de {fonte} rejeitado: {erro}"
            raise AirflowFailException(mensagem) from erro
        return {"dia": dia, "receita": receita_por_loja(registros)}

    @task
    def calcular_liquida(vendas: dict, devolucoes: dict) -> dict:  # (2)!
        vendido, devolvido = vendas["receita"], devolucoes["receita"]
        lojas = vendido.keys() | devolvido.keys()
        liquida = {
            loja: vendido.get(loja, 0) - devolvido.get(loja, 0)
            for loja in sorted(lojas)
        }
        return {"dia": vendas["dia"], "receita": liquida}

    @task
    def carregar(resultado: dict, params=None) -> str:
        pasta = Path(params["diretorio_saida"])
        destino = pasta / f"liquida_{resultado['dia']}.csv"
        return str(gravar_relatorio(resultado["receita"], destino))

    extrair_vendas = extrair.override(task_id="extrair_vendas")
    extrair_devolucoes = extrair.override(task_id="extrair_devolucoes")
    vendas = extrair_vendas("vendas")
    devolucoes = extrair_devolucoes("devolucoes")
    carregar(calcular_liquida(vendas, devolucoes))  # (3)!
    # --8<-- [end:tarefas]


orquestracao_exercicio_devolucoes()
