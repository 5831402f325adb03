"""Chapter 5, step 2 (docs/05-pratica/02-primeira-versao.md): the first version of the PTAX pipeline."""

from __future__ import annotations

import pytest
from comum import ptax as regras
from conftest import Estrutura, arestas_da_ptax
from servidor_ptax import VARIANTES

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
    assert armazem.consultar(
        "SELECT data_cotacao, compra, venda, media, spread, publicada_em FROM cotacao_dolar"
    ) == [("2026-11-24", 5.3091, 5.3097, 5.3094, 0.0006, "2026-11-24T13:10:36.948000-03:00")]
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


@pytest.mark.parametrize("variantes", [*[(v,) for v in VARIANTES], VARIANTES], ids="+".join)
def test_a_resposta_escrita_como_a_api_real_escreve_carrega_a_mesma_linha(executar, ptax, armazem, variantes):
    # The real API also writes the rates with five decimals (5.30910), the fraction of a second with
    # two digits (13:10:36.94), and @odata.context on another host: the same row comes out.
    ptax.variantes("2026-11-24", *variantes)

    resultado = executar(DAG_ID, dia="2026-11-24")

    assert resultado.estado == "success", resultado
    fracao = "940000" if "fracao_de_dois_digitos" in variantes else "948000"
    assert armazem.consultar(
        "SELECT data_cotacao, compra, venda, media, spread, publicada_em FROM cotacao_dolar"
    ) == [("2026-11-24", 5.3091, 5.3097, 5.3094, 0.0006, f"2026-11-24T13:10:36.{fracao}-03:00")]


def test_quatro_casas_como_o_numeric_do_postgres():
    # A fifth decimal is rounded half up, in decimal: a float's round() would give 5.3091 for 5.30915.
    linha = regras.transformar(
        {"dia": "2026-11-24", "compra": 5.30915, "venda": 5.31005, "publicada_em": "2026-11-24 13:10:36.94"}
    )
    taxas = [linha[coluna] for coluna in ("compra", "venda", "media", "spread")]
    assert taxas == [5.3092, 5.3101, 5.3097, 0.0009]
    assert round(5.30915, 4) == 5.3091
