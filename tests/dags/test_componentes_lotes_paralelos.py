"""Chapter 4 (docs/04-componentes/workers.md): one mapped task per batch, spread over the workers.

How the batches spread over two Celery workers, and a worker killed mid-batch, are proven in
tests/stack/test_workers.py; here, the DAG's shape and its result in one process.
"""

from __future__ import annotations

import socket

from conftest import Estrutura

DAG_ID = "componentes_lotes_paralelos"


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset({"listar_lotes", "processar", "consolidar"}),
        dependencias=frozenset({("listar_lotes", "processar"), ("processar", "consolidar")}),
        agenda="None",  # the timetable summary of schedule=None
        fuso="America/Sao_Paulo",
        tentativas_extras=dict.fromkeys(["listar_lotes", "processar", "consolidar"], 2),
    )


def test_uma_task_por_lote_e_o_consolidado(executar):
    resultado = executar(DAG_ID, lotes=3, segundos_por_lote=0)
    assert resultado.estado == "success", resultado
    assert resultado.valores["listar_lotes"] == ["loja_01", "loja_02", "loja_03"]
    assert [v["lote"] for v in resultado.valores["processar"]] == ["loja_01", "loja_02", "loja_03"]
    assert resultado.valores["consolidar"] == {"lotes": 3, "por_worker": {socket.gethostname(): 3}}
