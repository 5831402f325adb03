"""Testes da DAG `pratica_erros`: das regras em Python puro até a execução
inteira com `dag.test()`."""

from __future__ import annotations

import json
from datetime import timedelta

import pendulum
import pytest
from comum import ptax

DAG_ID = "pratica_erros"
DIA = "2026-11-17"
DATA_LOGICA = pendulum.datetime(2026, 11, 17, 14, tz="America/Sao_Paulo")


def resposta(
    compra: float, venda: float, publicada_em: str = f"{DIA} 13:08:12.345"
) -> str:
    """Uma resposta no formato da API do Banco Central."""
    item = {
        "cotacaoCompra": compra,
        "cotacaoVenda": venda,
        "dataHoraCotacao": publicada_em,
    }
    return json.dumps({"value": [item]})


# --8<-- [start:estrutura]
def test_as_dags_importam_sem_erro(dagbag):
    assert dagbag.import_errors == {}


def test_so_a_extracao_tenta_de_novo(dagbag):
    dag = dagbag.dags[DAG_ID]
    retries = {t.task_id: t.retries for t in dag.tasks if t.retries}
    assert retries == {"extrair": 4}
    carregar = dag.get_task("carregar")
    assert carregar.upstream_task_ids == {"conferir", "criar_tabela"}
# --8<-- [end:estrutura]


# --8<-- [start:regras]
def test_dia_sem_cotacao_nao_e_erro():
    assert ptax.validar_resposta('{"value": []}', DIA) is None


@pytest.mark.parametrize(
    ("corpo", "problema"),
    [
        ("<html>manutenção</html>", "não é JSON"),
        (resposta(5.33, 5.32), "compra 5.33 maior que venda 5.32"),
        (
            resposta(5.32, "5,33"),
            "cotacaoVenda não é um número positivo: '5,33'",
        ),
        (
            resposta(5.32, 5.33, "2026-11-16 13:08:12.345"),
            "não é do dia 2026-11-17",
        ),
    ],
)
def test_resposta_ruim_diz_o_que_esta_errado(corpo, problema):
    with pytest.raises(ptax.CotacaoInvalida, match=problema):
        ptax.validar_resposta(corpo, DIA)
# --8<-- [end:regras]


# --8<-- [start:execucao]
def test_dia_util_carrega_uma_linha(nova_dag, api_ptax, armazem):
    api_ptax.corpo = resposta(5.3265, 5.3271)

    execucao = nova_dag(DAG_ID).test(logical_date=DATA_LOGICA)

    assert execucao.state == "success"
    assert api_ptax.pedidos[0].endswith(
        "@dataCotacao='11-17-2026'&$format=json"
    )
    consulta = "SELECT data_cotacao, compra, venda FROM cotacao_dolar"
    assert armazem(consulta) == [(DIA, 5.3265, 5.3271)]


def test_resposta_malformada_nao_carrega_nada(nova_dag, api_ptax, armazem):
    api_ptax.corpo = "<html>manutenção</html>"

    execucao = nova_dag(DAG_ID).test(logical_date=DATA_LOGICA)

    instancias = execucao.get_task_instances()
    estados = {ti.task_id: ti.state for ti in instancias}
    assert execucao.state == "failed"
    assert (estados["validar"], estados["carregar"]) == (
        "failed", "upstream_failed"
    )
    assert armazem("SELECT count(*) FROM cotacao_dolar") == [(0,)]


def test_api_fora_do_ar_esgota_as_tentativas(nova_dag, api_ptax, armazem):
    api_ptax.status, api_ptax.corpo = 500, "erro interno"
    dag = nova_dag(DAG_ID)
    extrair = dag.get_task("extrair")
    # As tentativas, sem as esperas.
    extrair.retry_delay = timedelta(0)
    extrair.retry_exponential_backoff = 0

    execucao = dag.test(logical_date=DATA_LOGICA)

    assert execucao.state == "failed"
    assert len(api_ptax.pedidos) == 1 + extrair.retries
# --8<-- [end:execucao]
