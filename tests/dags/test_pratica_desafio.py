"""Chapter 5, step 8 (docs/05-pratica/08-desafio.md): the weekly reload, the challenge's solution."""

from __future__ import annotations

import json
from statistics import mean

from conftest import RAIZ

DAG_ID = "pratica_desafio"
COTACOES = json.loads((RAIZ / "docker" / "ptax-ficticia" / "ptax_2026.json").read_text())


def test_semana_com_feriado_carrega_quatro_dias_e_resume_a_semana(executar, ptax, armazem):
    resultado = executar(DAG_ID, data_logica="2026-11-20T15:00:00-03:00")

    assert resultado.estado == "success", resultado
    assert resultado.valores["dias_da_semana"] == [f"2026-11-{d}" for d in range(16, 21)]
    dias = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"]  # 20/11 é feriado
    assert armazem.dias() == dias
    vendas = [COTACOES[dia]["cotacaoVenda"] for dia in dias]
    assert resultado.valores["resumir"] == {
        "dias": 4, "minima": min(vendas), "maxima": max(vendas), "media": round(mean(vendas), 4)
    }


def test_dia_malformado_falha_sem_novas_tentativas_e_os_outros_dias_entram(executar, ptax, armazem):
    ptax.manutencao("2026-11-11")

    resultado = executar(DAG_ID, data_logica="2026-11-13T15:00:00-03:00")

    assert resultado.estado == "failed"
    assert resultado.estados["resumir"] == "upstream_failed"
    assert ptax.chamadas()["2026-11-11"] == 1
    assert armazem.dias() == ["2026-11-09", "2026-11-10", "2026-11-12", "2026-11-13"]
    assert armazem.alertas() == [("carregar_dia", 1)]


def test_o_feriado_nao_consulta_a_api_e_um_dia_util_sem_cotacao_falha(executar, ptax, armazem):
    # The calendar, not an empty answer, says which days have no PTAX: a business day the API still
    # answers empty for at Friday 15h is a missing publication, and fails on its one try.
    ptax.atrasar("2026-11-18")

    resultado = executar(DAG_ID, data_logica="2026-11-20T15:00:00-03:00")

    assert resultado.estado == "failed"
    assert "2026-11-20" not in ptax.chamadas()
    assert ptax.chamadas()["2026-11-18"] == 1
    assert resultado.erros["carregar_dia"] == [
        "AirflowFailException: a PTAX de 2026-11-18, dia útil, não foi publicada"]
    assert armazem.dias() == ["2026-11-16", "2026-11-17", "2026-11-19"]
    assert armazem.alertas() == [("carregar_dia", 1)]


def test_dois_dias_que_falham_na_mesma_tentativa_sao_dois_alertas(executar, ptax, armazem):
    ptax.manutencao("2026-11-11")
    ptax.manutencao("2026-11-12")

    resultado = executar(DAG_ID, data_logica="2026-11-13T15:00:00-03:00")

    assert resultado.estado == "failed"
    assert armazem.consultar("SELECT task_id, map_index, tentativa FROM alerta_pipeline ORDER BY map_index") \
        == [("carregar_dia", 2, 1), ("carregar_dia", 3, 1)]


def test_a_tabela_de_alertas_de_uma_versao_anterior_ganha_o_map_index(executar, ptax, armazem):
    # The table and the unique index an earlier version of the course created, with one alert in it.
    armazem.consultar("CREATE TABLE alerta_pipeline (dag_id TEXT NOT NULL, run_id TEXT NOT NULL, "
                      "task_id TEXT NOT NULL, tentativa INTEGER NOT NULL, erro TEXT NOT NULL, "
                      "registrado_em TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP)")
    armazem.consultar("CREATE UNIQUE INDEX alerta_pipeline_uma_por_tentativa "
                      "ON alerta_pipeline (dag_id, run_id, task_id, tentativa)")
    armazem.consultar("INSERT INTO alerta_pipeline (dag_id, run_id, task_id, tentativa, erro) "
                      "VALUES ('pratica_erros', 'antiga', 'extrair', 5, 'um alerta antigo')")
    ptax.manutencao("2026-11-11")
    ptax.manutencao("2026-11-12")

    executar(DAG_ID, data_logica="2026-11-13T15:00:00-03:00")

    assert armazem.consultar("SELECT task_id, map_index, tentativa FROM alerta_pipeline ORDER BY map_index") \
        == [("extrair", -1, 5), ("carregar_dia", 2, 1), ("carregar_dia", 3, 1)]
    assert [nome for (nome,) in armazem.consultar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'alerta_pipeline'")] \
        == ["alerta_pipeline_uma_por_instancia_e_tentativa"]
