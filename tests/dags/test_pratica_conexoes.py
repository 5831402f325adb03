"""Chapter 5, step 4 (docs/05-pratica/04-conexoes.md): connections and a variable, no secret in code."""

from __future__ import annotations

import json
import re

import saidas
import yaml
from comum.ptax import CRIAR_TABELA
from conftest import PASTA_DAGS, RAIZ

DAG_ID = "pratica_conexoes"
DIAS_ANTERIORES = ["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13"]


def semear(armazem, dias: list[str]) -> None:
    """Rows already in the warehouse before the run, as earlier runs would have left them."""
    armazem.consultar(CRIAR_TABELA)
    for dia in dias:
        armazem.consultar(
            "INSERT INTO cotacao_dolar (data_cotacao, compra, venda, media, spread, publicada_em) "
            "VALUES (?, 5.0, 5.0, 5.0, 0, ?)", dia, f"{dia}T13:00:00",
        )


def dias_do_relatorio(resultado) -> list[str]:
    return [linha.split()[0] for linha in resultado.valores["relatorio"].splitlines()[2:]]


def test_variavel_decide_o_tamanho_do_relatorio_sem_mudar_o_codigo(executar, ptax, armazem, monkeypatch):
    semear(armazem, DIAS_ANTERIORES)
    monkeypatch.setenv("AIRFLOW_VAR_PTAX_DIAS_NO_RELATORIO", "2")

    resultado = executar(DAG_ID, data_logica="2026-11-16T14:00:00-03:00")

    assert resultado.estado == "success", resultado
    assert dias_do_relatorio(resultado) == ["2026-11-16", "2026-11-13"]


def test_sem_a_variavel_vale_o_padrao_de_cinco_dias(executar, ptax, armazem, monkeypatch):
    semear(armazem, DIAS_ANTERIORES)
    monkeypatch.delenv("AIRFLOW_VAR_PTAX_DIAS_NO_RELATORIO", raising=False)

    resultado = executar(DAG_ID, data_logica="2026-11-16T14:00:00-03:00")

    assert resultado.estado == "success", resultado
    assert dias_do_relatorio(resultado) == ["2026-11-16", *reversed(DIAS_ANTERIORES[1:])]


def test_nenhum_arquivo_do_pipeline_traz_endereco_ou_senha():
    arquivos = [*PASTA_DAGS.glob("pratica_*.py"), *(PASTA_DAGS / "comum").glob("*.py")]
    for arquivo in arquivos:
        texto = arquivo.read_text()
        assert not re.search(r"https?://|olinda\.bcb|password|senha\s*=", texto, re.I), arquivo.name


def test_um_proxy_de_saida_vai_no_extra_proxies_ou_no_ambiente(ptax, monkeypatch):
    # A forward proxy is not the connection's host: the host stays the API's, and `requests` sends the
    # request to the proxy named in the `proxies` extra, or in HTTP_PROXY / HTTPS_PROXY (the HttpHook
    # leaves `trust_env` on). The API here is a name that never resolves: only the proxy can answer,
    # and the stand-in answers as one (it reads the path out of the absolute URL a proxy receives).
    from airflow.providers.http.hooks.http import HttpHook
    from comum import ptax as regras

    for variavel in ("NO_PROXY", "ALL_PROXY", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(variavel, raising=False)
        monkeypatch.delenv(variavel.lower(), raising=False)
    api = "http://api-da-ptax.invalid"

    def cotacao() -> float:
        resposta = HttpHook(method="GET", http_conn_id="bcb_ptax").run(regras.endpoint_do_dia("2026-11-24"))
        return regras.validar_resposta(resposta.text, "2026-11-24")["venda"]

    monkeypatch.setenv("AIRFLOW_CONN_BCB_PTAX", json.dumps(
        {"conn_type": "http", "host": api, "extra": {"proxies": {"http": ptax.url}}}))
    assert cotacao() == 5.3097

    monkeypatch.setenv("AIRFLOW_CONN_BCB_PTAX", json.dumps({"conn_type": "http", "host": api}))
    monkeypatch.setenv("HTTP_PROXY", ptax.url)
    assert cotacao() == 5.3097

    assert ptax.chamadas() == {"2026-11-24": 2}


def conexao_do_compose(nome: str) -> str:
    """The connection the stack defines in docker/compose.yaml, with its variables at their defaults,
    as a reader's stack has it when the .env leaves them unset."""
    compose = yaml.safe_load((RAIZ / "docker" / "compose.yaml").read_text(encoding="utf-8"))
    valor = compose["x-airflow-comum"]["environment"][f"AIRFLOW_CONN_{nome.upper()}"]
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", valor)


def test_a_consulta_de_um_dia_e_o_endereco_que_a_pagina_mostra(monkeypatch):
    # The chapter's opening page shows a day's query; this is the URL the DAGs' HttpHook requests with
    # the stack's connection, taken just before it would go out to the Banco Central.
    from airflow.providers.http.hooks.http import HttpHook
    from comum import ptax as regras

    monkeypatch.setenv("AIRFLOW_CONN_BCB_PTAX", conexao_do_compose("bcb_ptax"))
    monkeypatch.setattr(HttpHook, "run_and_check", lambda _hook, _sessao, pedido, _extras: pedido.url)

    endereco = HttpHook(method="GET", http_conn_id="bcb_ptax").run(regras.endpoint_do_dia("2026-11-24"))

    assert endereco.startswith("https://olinda.bcb.gov.br/")
    saidas.confere("pratica_consulta_de_um_dia", endereco)
