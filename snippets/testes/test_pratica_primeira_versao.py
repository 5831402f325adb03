"""Testes da DAG `pratica_primeira_versao`: a `run_conf` de uma execução
não vale para a seguinte."""

from __future__ import annotations

DAG_ID = "pratica_primeira_versao"


# --8<-- [start:conf]
def test_sem_conf_vale_o_padrao_mesmo_depois_de_uma_execucao_com_conf(
    nova_dag, api_ptax, armazem
):
    # A API falsa responde "nenhuma cotação" (um feriado): as duas
    # execuções terminam sem carregar.
    nova_dag(DAG_ID).test(run_conf={"dia": "2026-11-17"})
    # Sem conf: o dia é o padrão do Param, 2026-11-24.
    nova_dag(DAG_ID).test()

    dias = [
        pedido.split("dataCotacao='")[1][:10]
        for pedido in api_ptax.pedidos
    ]
    assert dias == ["11-17-2026", "11-24-2026"]
# --8<-- [end:conf]
