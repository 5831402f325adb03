"""Failures that do not go through the task's code (chapter 5, "Onde cada callback roda"): when the
worker dies, the scheduler fails the task after the heartbeat timeout and the failure callback runs in
the DAG processor, with no exception in its context; when only the task process is killed (as the
kernel does when memory runs out), the supervisor fails the try, logs why, and no callback runs."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from ferramentas import (
    FINAIS,
    alertas,
    compose,
    conteineres,
    disparar,
    esperar,
    esperar_dags,
    esperar_fim,
    estado,
    instancias,
    log_da_tarefa,
)

pytestmark = pytest.mark.perfil("celery")

DAG_ID = "teste_falha_fora_da_task"


@pytest.fixture
def tarefa_rodando(cliente, na_pasta_de_dags):
    """A run of the test DAG whose only task is running; (run_id, the task instance, its container)."""
    na_pasta_de_dags(f"{DAG_ID}.py", Path(__file__).parent / "dags" / f"{DAG_ID}.py")
    esperar_dags(cliente, {DAG_ID})
    run_id = disparar(cliente, DAG_ID, {})
    (ti,) = esperar(lambda: [ti for ti in instancias(cliente, DAG_ID, run_id)
                             if estado(ti) == "running" and ti.hostname], ate=120,
                    descricao="the task to start running")
    conteiner = next(c for c in conteineres("airflow-worker") if c.startswith(ti.hostname))
    yield run_id, ti, conteiner
    # A test that failed half-way must not leave the 10-minute task holding a worker slot.
    from airflow_client.client import DagRunApi, DagRunMutableStates, DAGRunPatchBody

    if DagRunApi(cliente).get_dag_run(DAG_ID, run_id).state.value not in FINAIS:
        DagRunApi(cliente).patch_dag_run(DAG_ID, run_id, DAGRunPatchBody(state=DagRunMutableStates.FAILED))


def linha_do_scheduler(texto: str, run_id: str) -> str | None:
    log = compose("logs", "--no-color", "airflow-scheduler").stdout
    return next((linha for linha in log.splitlines() if texto in linha and run_id in linha), None)


def chamadas_do_alerta(run_id: str) -> list[str]:
    """The lines the alert logged for a run in the DAG processor's own logs (a file per DAG file)."""
    logs = compose("exec", "-T", "airflow-dag-processor", "grep", "-rh", "--", run_id,
                   "/opt/airflow/logs/dag_processor", check=False).stdout
    return [linha for linha in logs.splitlines() if "alerta" in linha]


def test_worker_morto_o_alerta_roda_no_dag_processor_sem_excecao(cliente, restaurar, tarefa_rodando):
    run_id, ti, conteiner = tarefa_rodando
    restaurar.alterou("airflow-worker")
    subprocess.run(["docker", "kill", "--signal", "KILL", conteiner], check=True, capture_output=True)

    # The heartbeat timeout (60 s in the course's stack), then the scheduler fails the try: no retries.
    assert esperar_fim(cliente, DAG_ID, run_id, ate=240) == "failed"
    # Airflow 3.3 may run the callback twice: once when it finds no heartbeat, again if it processes the
    # executor's "failed" event while the task still shows as running (fixed after 3.3). Which one it
    # was this time is in the scheduler's log; the alert keeps one row per try either way.
    evento = esperar(lambda: linha_do_scheduler("Received executor event with state failed", run_id), ate=60,
                     descricao="the scheduler to process the executor's event")
    vezes = 2 if linha_do_scheduler("state attribute is running", run_id) else 1

    def todas_as_chamadas():
        chamadas = chamadas_do_alerta(run_id)
        return chamadas if len(chamadas) == vezes else None

    chamadas = esperar(todas_as_chamadas, ate=60,
                       descricao=f"the DAG processor to run the callback {vezes} time(s) after {evento}")
    assert sum("alerta registrado" in c for c in chamadas) == 1, chamadas
    linhas = alertas(run_id)
    assert len(linhas) == 1, linhas
    ((task_id, tentativa, erro),) = linhas
    assert (task_id, tentativa) == ("esperar", "1")
    assert erro.startswith("sem exceção: quem deu a tentativa 1 como falha foi o scheduler, não o código "
                           f"da task, que rodava em {ti.hostname}"), erro


def test_so_o_processo_da_task_morto_falha_sem_alerta(cliente, tarefa_rodando):
    run_id, _, conteiner = tarefa_rodando

    def log():
        return log_da_tarefa(DAG_ID, run_id, "esperar")

    processo = esperar(lambda: re.search(r"processo da task: (\d+)", log()), ate=60,
                       descricao="the task to log its process id").group(1)
    subprocess.run(["docker", "exec", conteiner, "kill", "-KILL", processo], check=True, capture_output=True)

    assert esperar_fim(cliente, DAG_ID, run_id, ate=60) == "failed"
    (ti,) = instancias(cliente, DAG_ID, run_id)
    assert (estado(ti), ti.try_number) == ("failed", 1)
    assert "Process terminated by signal. Likely out of memory error (OOM)." in log()
    # The other test sees the DAG processor's alert within seconds of the failure; here none comes.
    time.sleep(30)
    assert alertas(run_id) == []
    assert chamadas_do_alerta(run_id) == []
    assert compose("ps", "--status", "running", "--quiet", "airflow-worker").stdout.strip(), \
        "the worker itself should have survived"
