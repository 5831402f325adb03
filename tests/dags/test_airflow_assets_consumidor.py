"""Chapter 2 (docs/02-airflow/conceitos.md, "Assets"): the consumer is scheduled by the
asset, not by a clock, and reads the file its latest event points to."""

from __future__ import annotations

from conftest import PASTA_DADOS, Estrutura

DAG_ID = "airflow_assets_consumidor"
PRODUTOR = "airflow_assets_produtor"


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset({"totalizar"}),
        dependencias=frozenset(),
        agenda="Asset",
        fuso="America/Sao_Paulo",
        tentativas_extras={"totalizar": 0},
    )


def test_agendada_pelo_asset_do_produtor(dagbag):
    from airflow.sdk import Asset, AssetAll

    consumidor, produtor = dagbag.dags[DAG_ID], dagbag.dags[PRODUTOR]
    # a list in schedule= means "all of these assets were updated" (AssetAll)
    assert consumidor.timetable.asset_condition == AssetAll(Asset("resumo_vendas"))
    assert produtor.get_task("publicar_resumo").outlets == [Asset("resumo_vendas")]


def test_le_o_arquivo_do_evento_mais_recente(executar, tmp_path):
    entrada = str(PASTA_DADOS / "vendas")
    produtor = executar(PRODUTOR, dia="2026-11-24", diretorio_entrada=entrada, diretorio_saida=str(tmp_path))
    assert produtor.estado == "success", produtor

    resultado = executar(DAG_ID)
    assert resultado.estado == "success", resultado
    assert resultado.estados == {"totalizar": "success"}
    # 554.00 + 527.60 + 342.32, the three stores of chapter 1's report
    assert resultado.valores["totalizar"] == {"dia": "2026-11-24", "total_centavos": 142392}
