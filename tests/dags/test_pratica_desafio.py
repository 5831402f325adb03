"""Chapter 5, step 8 (docs/05-pratica/08-desafio.md): the weekly reload, the challenge's solution."""

from __future__ import annotations

import json
from statistics import mean

from conftest import RAIZ

DAG_ID = "pratica_desafio"
COTACOES = json.loads((RAIZ / "tests" / "dados" / "ptax_2026.json").read_text())


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
