"""Chapter 2 (docs/02-airflow/conceitos.md): a hook reads where the data is from a connection."""

from __future__ import annotations

import json

from conftest import PASTA_DADOS, Estrutura

DAG_ID = "airflow_hook_conexao"
CSVS = [
    "devolucoes/2026-11-24.csv", "devolucoes/2026-11-25.csv",
    "vendas/2026-11-24.csv", "vendas/2026-11-25.csv",
]


def conexao(pasta) -> str:
    return json.dumps({"conn_type": "fs", "extra": {"path": str(pasta)}})


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset({"inventariar"}), dependencias=frozenset(), agenda="None",
        fuso="America/Sao_Paulo", tentativas_extras={"inventariar": 0},
    )


def test_a_pasta_vem_da_connection(executar, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_DADOS_DO_CURSO", conexao(PASTA_DADOS))
    resultado = executar(DAG_ID)
    assert resultado.estado == "success", resultado
    assert resultado.valores["inventariar"] == {"pasta": str(PASTA_DADOS), "arquivos": CSVS}


def test_connection_apontando_para_pasta_vazia_falha_dizendo_o_que_conferir(executar, monkeypatch, tmp_path):
    monkeypatch.setenv("AIRFLOW_CONN_DADOS_DO_CURSO", conexao(tmp_path))
    resultado = executar(DAG_ID)
    assert resultado.estado == "failed"
    assert resultado.erros["inventariar"] == [
        f"FileNotFoundError: nenhum CSV em {tmp_path}: confira a connection dados_do_curso"
    ]
