"""Chapter 5, step 2 (docs/05-pratica/02-primeira-versao.md): the first version of the PTAX pipeline."""

from __future__ import annotations

from conftest import Estrutura, arestas_da_ptax

DAG_ID = "pratica_primeira_versao"
CADEIA = ["extrair", "validar", "transformar", "carregar", "relatorio"]


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset([*CADEIA, "criar_tabela"]),
        dependencias=arestas_da_ptax(CADEIA),
        agenda="None",
        fuso="America/Sao_Paulo",
        tentativas_extras=dict.fromkeys([*CADEIA, "criar_tabela"], 0),
    )


def test_dia_util_carrega_uma_linha_e_o_relatorio_a_mostra(executar, ptax, armazem):
    resultado = executar(DAG_ID, dia="2026-11-24")

    assert resultado.estado == "success", resultado
    assert armazem.consultar("SELECT data_cotacao, compra, venda, media, spread FROM cotacao_dolar") == [
        ("2026-11-24", 5.3091, 5.3097, 5.3094, 0.0006)
    ]
    assert resultado.valores["relatorio"].splitlines() == [
        "PTAX do dólar, 1 dia(s) até 2026-11-24",
        "data        compra  venda",
        "2026-11-24  5.3091  5.3097",
    ]


def test_feriado_pula_a_carga_sem_falhar(executar, ptax, armazem):
    resultado = executar(DAG_ID, dia="2026-11-20")  # Dia da Consciência Negra: a API devolve lista vazia

    assert resultado.estado == "success", resultado
    assert resultado.estados == {
        "criar_tabela": "success", "extrair": "success", "validar": "skipped",
        "transformar": "skipped", "carregar": "skipped", "relatorio": "skipped",
    }
    assert armazem.dias() == []
