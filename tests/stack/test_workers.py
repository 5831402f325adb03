"""Workers as chapter 4 describes them: a dedicated queue, scaling out, and faults survived.

Each test that scales, kills or restarts a service does it through the `restaurar` fixture, which
puts the stack back afterwards: these tests run in any order, before or after the others.
"""

from __future__ import annotations

import subprocess

import pytest
from ferramentas import (
    compose,
    conteineres,
    disparar,
    esperar,
    esperar_fim,
    estado,
    instancias,
    workers_no_flower,
)

pytestmark = pytest.mark.perfil("celery")

LOTES = "componentes_lotes_paralelos"


@pytest.fixture
def dois_workers(restaurar) -> set[str]:
    """The default worker scaled to two containers, both seen by Flower; their hostnames."""
    restaurar.alterou("airflow-worker")
    compose("up", "--detach", "--wait", "--no-deps", "--scale", "airflow-worker=2", "airflow-worker")
    padrao = {c[:12] for c in conteineres("airflow-worker")}  # a container's hostname is its short id
    assert len(padrao) == 2
    nomes = {f"celery@{c[:12]}" for servico in ("airflow-worker", "airflow-worker-pesado")
             for c in conteineres(servico)}
    esperar(lambda: nomes <= set(workers_no_flower()), ate=60, descricao=f"Flower to list {sorted(nomes)}")
    return padrao


def test_fila_pesada_roda_so_no_worker_dedicado(cliente):
    run_id = disparar(cliente, "componentes_fila_dedicada", {})
    assert esperar_fim(cliente, "componentes_fila_dedicada", run_id, ate=180) == "success"
    por_tarefa = {ti.task_id: ti for ti in instancias(cliente, "componentes_fila_dedicada", run_id)}
    pesado = conteineres("airflow-worker-pesado")[0][:12]
    assert por_tarefa["calcular"].queue == "pesada"
    assert por_tarefa["calcular"].hostname == pesado
    assert pesado not in {por_tarefa["preparar"].hostname, por_tarefa["publicar"].hostname}


def test_dois_workers_dividem_os_lotes(cliente, dois_workers):
    run_id = disparar(cliente, LOTES, {"lotes": 8, "segundos_por_lote": 3})
    assert esperar_fim(cliente, LOTES, run_id, ate=180) == "success"
    hosts = {ti.hostname for ti in instancias(cliente, LOTES, run_id) if ti.task_id == "processar"}
    assert hosts == dois_workers, "the eight batches should have run on both default workers"


def test_worker_morto_no_meio_da_task_e_a_execucao_termina(cliente, dois_workers):
    run_id = disparar(cliente, LOTES, {"lotes": 2, "segundos_por_lote": 45})

    def rodando():
        return [ti for ti in instancias(cliente, LOTES, run_id)
                if ti.task_id == "processar" and estado(ti) == "running" and ti.hostname]

    vitima = esperar(rodando, ate=120, descricao="a batch task to start running")[0]
    alvo = next(c for c in conteineres("airflow-worker") if c.startswith(vitima.hostname))
    subprocess.run(["docker", "kill", "--signal", "KILL", alvo], check=True, capture_output=True)

    # Noticed after the heartbeat timeout (60 s in the course's stack), then retried on the other worker.
    assert esperar_fim(cliente, LOTES, run_id, ate=360) == "success"
    tentativas = {ti.map_index: ti.try_number for ti in instancias(cliente, LOTES, run_id)
                  if ti.task_id == "processar"}
    assert tentativas[vitima.map_index] == 2, tentativas
    assert {estado(ti) for ti in instancias(cliente, LOTES, run_id)} == {"success"}


def test_scheduler_reiniciado_no_meio_da_execucao(cliente, restaurar):
    restaurar.alterou("airflow-scheduler")
    run_id = disparar(cliente, LOTES, {"lotes": 4, "segundos_por_lote": 20})
    esperar(lambda: any(estado(ti) == "running" for ti in instancias(cliente, LOTES, run_id)),
            ate=120, descricao="the run to start")
    compose("restart", "airflow-scheduler")

    assert esperar_fim(cliente, LOTES, run_id, ate=300) == "success"
    assert {ti.try_number for ti in instancias(cliente, LOTES, run_id)} == {1}, "nothing was re-run"
