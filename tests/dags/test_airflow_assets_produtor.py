"""Chapter 2 (docs/02-airflow/conceitos.md, "Assets"): the producer's outlet task writes
the summary and records an asset event that queues a run of every unpaused consumer."""

from __future__ import annotations

import json

import pytest
from conftest import PASTA_DADOS, Estrutura, eventos_do_asset

DAG_ID = "airflow_assets_produtor"
CONSUMIDOR = "airflow_assets_consumidor"
DIA = "2026-11-24"
RECEITA_DIA = {"centro": 55400, "pampulha": 52760, "savassi": 34232}  # chapter 1's report, in cents


def fila_de_execucoes(dag_id: str) -> int:
    """Rows of the queue the scheduler reads to create asset-triggered runs (AssetDagRunQueue)."""
    from airflow.models.asset import AssetDagRunQueue
    from airflow.utils.session import create_session
    from sqlalchemy import func, select

    with create_session() as sessao:
        return sessao.scalar(
            select(func.count()).select_from(AssetDagRunQueue).where(AssetDagRunQueue.target_dag_id == dag_id)
        )


@pytest.fixture
def consumidor_ativo(dagbag):
    """The consumer DAG unpaused, as a reader does in the UI: paused DAGs get no queued runs."""
    from airflow.models.dag import DagModel
    from airflow.utils.session import create_session

    with create_session() as sessao:  # the `dagbag` fixture wrote every DAG's row

        sessao.get(DagModel, CONSUMIDOR).is_paused = False
    yield
    with create_session() as sessao:
        sessao.get(DagModel, CONSUMIDOR).is_paused = True


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset({"calcular_receita", "publicar_resumo"}),
        dependencias=frozenset({("calcular_receita", "publicar_resumo")}),
        agenda="0 6 * * *",
        fuso="America/Sao_Paulo",
        tentativas_extras={"calcular_receita": 0, "publicar_resumo": 0},
    )


def test_so_a_task_que_grava_declara_o_asset(dagbag):
    dag = dagbag.dags[DAG_ID]
    assert [a.name for a in dag.get_task("publicar_resumo").outlets] == ["resumo_vendas"]
    assert dag.get_task("calcular_receita").outlets == []


def test_publicar_gera_evento_e_enfileira_o_consumidor(executar, consumidor_ativo, tmp_path):
    antes = len(eventos_do_asset("resumo_vendas"))
    resultado = executar(
        DAG_ID, dia=DIA, diretorio_entrada=str(PASTA_DADOS / "vendas"), diretorio_saida=str(tmp_path)
    )
    assert resultado.estado == "success", resultado
    assert resultado.estados == {"calcular_receita": "success", "publicar_resumo": "success"}

    arquivo = tmp_path / f"resumo_{DIA}.json"
    assert json.loads(arquivo.read_text()) == {"dia": DIA, "receita": RECEITA_DIA}

    eventos = eventos_do_asset("resumo_vendas")
    assert len(eventos) == antes + 1, "one successful outlet task, one asset event"
    assert eventos[-1] == {
        "dag": DAG_ID, "task": "publicar_resumo", "extra": {"dia": DIA, "arquivo": str(arquivo)},
    }
    assert fila_de_execucoes(CONSUMIDOR) >= 1, "the scheduler would now create a consumer run"
