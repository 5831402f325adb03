"""Workers as chapter 4 describes them: a dedicated queue, scaling out, and faults survived.

Each test that scales, kills or restarts a service does it through the `restaurar` fixture, which
puts the stack back afterwards: these tests run in any order, before or after the others.
"""

from __future__ import annotations

import subprocess
import time

import pytest
import solucao
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


def lotes_rodando(cliente, run_id: str) -> list:
    """The run's batch tasks already running on a worker (with the worker's hostname known)."""
    return [ti for ti in instancias(cliente, LOTES, run_id)
            if ti.task_id == "processar" and estado(ti) == "running" and ti.hostname]


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


@pytest.mark.entrada("task-sem-heartbeat")
def test_worker_morto_no_meio_da_task_e_a_execucao_termina(cliente, dois_workers):
    run_id = disparar(cliente, LOTES, {"lotes": 2, "segundos_por_lote": 45})

    vitima = esperar(lambda: lotes_rodando(cliente, run_id), ate=120,
                     descricao="a batch task to start running")[0]
    alvo = next(c for c in conteineres("airflow-worker") if c.startswith(vitima.hostname))
    subprocess.run(["docker", "kill", "--signal", "KILL", alvo], check=True, capture_output=True)

    # Noticed after the heartbeat timeout (60 s in the course's stack), then retried on the other worker.
    assert esperar_fim(cliente, LOTES, run_id, ate=360) == "success"
    tentativas = {ti.map_index: ti.try_number for ti in instancias(cliente, LOTES, run_id)
                  if ti.task_id == "processar"}
    assert tentativas[vitima.map_index] == 2, tentativas
    assert {estado(ti) for ti in instancias(cliente, LOTES, run_id)} == {"success"}
    agendador = compose("logs", "--no-color", "airflow-scheduler").stdout
    solucao.confere(solucao.citacoes("task-sem-heartbeat"), agendador,
                    {"'Map Index': 0": f"'Map Index': {vitima.map_index}"})


def test_scheduler_reiniciado_no_meio_da_execucao(cliente, restaurar):
    restaurar.alterou("airflow-scheduler")
    run_id = disparar(cliente, LOTES, {"lotes": 4, "segundos_por_lote": 20})
    esperar(lambda: any(estado(ti) == "running" for ti in instancias(cliente, LOTES, run_id)),
            ate=120, descricao="the run to start")
    compose("restart", "airflow-scheduler")

    assert esperar_fim(cliente, LOTES, run_id, ate=300) == "success"
    assert {ti.try_number for ti in instancias(cliente, LOTES, run_id)} == {1}, "nothing was re-run"


def test_worker_recriado_termina_a_task_em_curso(cliente, restaurar):
    # What `docker compose up -d` does to a worker after the reader edits the .env: it stops the old
    # container (SIGTERM, then up to stop_grace_period before a SIGKILL) and creates a new one.
    run_id = disparar(cliente, LOTES, {"lotes": 1, "segundos_por_lote": 40})

    (em_curso,) = esperar(lambda: lotes_rodando(cliente, run_id), ate=120,
                          descricao="the batch task to start running")
    antes = conteineres("airflow-worker")
    inicio = time.monotonic()
    mudanca = {"environment": {"AIRFLOW__CELERY__WORKER_CONCURRENCY": "3"}}
    recriado = restaurar.reconfigurar("airflow-worker", mudanca)
    assert recriado.returncode == 0, recriado.stderr
    assert conteineres("airflow-worker") != antes
    # The old worker waited for its task (a warm shutdown), so the `up` took about the task's time.
    assert time.monotonic() - inicio >= 20, "the old worker stopped without waiting for its task"

    assert esperar_fim(cliente, LOTES, run_id, ate=120) == "success"
    processar = next(ti for ti in instancias(cliente, LOTES, run_id) if ti.task_id == "processar")
    assert (processar.try_number, processar.hostname) == (1, em_curso.hostname), "the task was not re-run"
