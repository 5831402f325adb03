"""Chapter 1 exercise (docs/01-orquestracao/exercicios.md): net revenue from two sources in parallel."""

from __future__ import annotations

import saidas
from conftest import PASTA_DADOS, Estrutura

DAG_ID = "orquestracao_exercicio_devolucoes"


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset({"extrair_vendas", "extrair_devolucoes", "calcular_liquida", "carregar"}),
        dependencias=frozenset(
            {
                ("extrair_vendas", "calcular_liquida"),
                ("extrair_devolucoes", "calcular_liquida"),
                ("calcular_liquida", "carregar"),
            }
        ),
        agenda="0 6 * * *",
        fuso="America/Sao_Paulo",
        tentativas_extras=dict.fromkeys(
            ["extrair_vendas", "extrair_devolucoes", "calcular_liquida", "carregar"], 3
        ),
    )


def test_receita_liquida_do_dia(executar, tmp_path):
    resultado = executar(
        DAG_ID, dia="2026-11-24", diretorio_dados=str(PASTA_DADOS), diretorio_saida=str(tmp_path)
    )
    assert resultado.estado == "success", resultado
    relatorio = (tmp_path / "liquida_2026-11-24.csv").read_text()
    assert relatorio == "loja,receita\ncentro,543.02\npampulha,495.10\nsavassi,342.32\n"
    saidas.confere("orquestracao_liquida_2026-11-24", relatorio)  # the exercise's expected result
