"""Task logs as the interface's Log tab reads them, through the REST API, while the task is still
running and while it is deferred. Then the lines are not in the shared log volume alone: the API
server also asks the log server of whoever holds the task (the worker on 8793, the triggerer on
8794), signing the request with `[api] secret_key`. The stack gives every service the same key,
from the .env; with different keys, the answer is a 403 and the log opens with Airflow's warning
(docs/solucao-de-problemas.md#log-recusado-pelo-worker, reproduced in test_solucao_de_problemas.py)."""

from __future__ import annotations

import time

from ferramentas import disparar, esperar, esperar_fim, estado, instancias, log_da_tarefa

AVISO = "have the same 'secret_key' configured in '[api]' section"
LOTES = "componentes_lotes_paralelos"
SENSOR = "airflow_sensor_adiado"


def instancia(cliente, dag_id: str, run_id: str, task_id: str):
    return next(ti for ti in instancias(cliente, dag_id, run_id) if ti.task_id == task_id)


def test_log_de_uma_task_em_execucao(cliente):
    run_id = disparar(cliente, LOTES, {"lotes": 1, "segundos_por_lote": 40})
    esperar(lambda: estado(instancia(cliente, LOTES, run_id, "processar")) == "running", ate=120,
            descricao="the batch to start running")

    log = log_da_tarefa(LOTES, run_id, "processar", map_index=0)
    assert estado(instancia(cliente, LOTES, run_id, "processar")) == "running", "read after the task ended"
    assert ":8793/log/" in log, f"the API server did not ask the log server: {log[:2000]}"
    assert AVISO not in log, log[:2000]
    assert esperar_fim(cliente, LOTES, run_id, ate=180) == "success"


def test_log_de_uma_task_adiada(cliente):
    run_id = disparar(cliente, SENSOR, {})
    esperar(lambda: estado(instancia(cliente, SENSOR, run_id, "aguardar_janela")) == "deferred", ate=120,
            descricao="the sensor to defer")
    adiada_em = time.monotonic()

    def do_triggerer():
        # Once the triggerer has taken the trigger, the API server asks the triggerer's log server.
        texto = log_da_tarefa(SENSOR, run_id, "aguardar_janela")
        return texto if ":8794/log/" in texto else None

    log = esperar(do_triggerer, ate=20, descricao="the log to come from the triggerer's log server")
    assert AVISO not in log, log[:2000]
    # Long enough for a reader to see it "Deferido" in the grid, as chapter 2 asks.
    esperar(lambda: estado(instancia(cliente, SENSOR, run_id, "aguardar_janela")) != "deferred", ate=120,
            descricao="the trigger to fire")
    assert time.monotonic() - adiada_em >= 15
    assert esperar_fim(cliente, SENSOR, run_id, ate=120) == "success"
