"""Chapter 5, step 6 (docs/05-pratica/06-erros.md): retries, bad data stopped before the warehouse."""

from __future__ import annotations

from datetime import timedelta

from conftest import Estrutura, arestas_da_ptax

DAG_ID = "pratica_erros"
CADEIA = ["extrair", "validar", "transformar", "conferir", "carregar", "relatorio"]


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset([*CADEIA, "criar_tabela"]),
        dependencias=arestas_da_ptax(CADEIA),
        agenda="0 14 * * 1-5",
        fuso="America/Sao_Paulo",
        tentativas_extras={**dict.fromkeys([*CADEIA, "criar_tabela"], 0), "extrair": 4},
    )


def test_so_a_extracao_tenta_de_novo_com_esperas_que_dobram(dagbag):
    extrair = dagbag.dags[DAG_ID].get_task("extrair")
    assert (extrair.retry_delay, extrair.retry_exponential_backoff) == (timedelta(seconds=5), 2.0)
    assert extrair.max_retry_delay == extrair.execution_timeout == timedelta(minutes=2)
    assert dagbag.dags[DAG_ID].get_task("relatorio").trigger_rule == "none_failed_min_one_success"


def test_api_falha_duas_vezes_e_a_terceira_tentativa_carrega(executar, ptax, armazem):
    ptax.falhar("2026-11-17", vezes=2)

    resultado = executar(DAG_ID, data_logica="2026-11-17T14:00:00-03:00")

    assert resultado.estado == "success", resultado
    assert resultado.tentativas["extrair"] == 3
    assert resultado.erros["extrair"] == ["AirflowException: 500:Internal Server Error"] * 2
    assert ptax.chamadas()["2026-11-17"] == 3
    assert armazem.dias() == ["2026-11-17"]


def test_resposta_malformada_para_na_validacao_e_nada_e_carregado(executar, ptax, armazem):
    ptax.manutencao("2026-11-18")

    resultado = executar(DAG_ID, data_logica="2026-11-18T14:00:00-03:00")

    assert resultado.estado == "failed"
    assert resultado.estados == {
        "criar_tabela": "success", "extrair": "success", "validar": "failed",
        **dict.fromkeys(["transformar", "conferir", "carregar", "relatorio"], "upstream_failed"),
    }
    assert resultado.erros["validar"] == [
        "CotacaoInvalida: a resposta para 2026-11-18 não é JSON; "
        "começa com '<html><body><h1>Sistema em manutenção</h'"
    ]
    assert resultado.tentativas["validar"] == 1  # tentar de novo não consertaria a resposta
    assert armazem.dias() == []
    assert armazem.consultar("SELECT task_id FROM alerta_pipeline") == [("validar",)]


def test_salto_implausivel_e_barrado_antes_da_carga(executar, ptax, armazem):
    assert executar(DAG_ID, data_logica="2026-11-16T14:00:00-03:00").estado == "success"
    armazem.consultar("UPDATE cotacao_dolar SET venda = 4.0")  # a previous day that makes 17/11 a jump

    resultado = executar(DAG_ID, data_logica="2026-11-17T14:00:00-03:00")

    assert resultado.estados["conferir"] == "failed"
    assert resultado.erros["conferir"] == [
        "CotacaoInvalida: venda de 5.3271 em 2026-11-17 varia +33.2% sobre 4.0000 de 2026-11-16; "
        "o limite é 5%"
    ]
    assert armazem.dias() == ["2026-11-16"]


def test_feriado_carrega_nada_e_o_relatorio_sai_mesmo_assim(executar, ptax, armazem):
    assert executar(DAG_ID, data_logica="2026-11-19T14:00:00-03:00").estado == "success"

    resultado = executar(DAG_ID, data_logica="2026-11-20T14:00:00-03:00")

    assert resultado.estado == "success", resultado
    assert [resultado.estados[t] for t in CADEIA] == [
        "success", "skipped", "skipped", "skipped", "skipped", "success"
    ]
    assert resultado.valores["relatorio"].splitlines()[-1].startswith("2026-11-19")
    assert armazem.dias() == ["2026-11-19"]
