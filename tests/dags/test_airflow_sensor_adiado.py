"""Chapter 2 (docs/02-airflow/conceitos.md, "Sensor"): a deferrable sensor hands its wait
to a trigger, and dag.test() runs that trigger in-process, as the triggerer would."""

from __future__ import annotations

import time
from datetime import timedelta

from conftest import Estrutura

DAG_ID = "airflow_sensor_adiado"


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset({"aguardar_janela", "conferir_espera"}),
        dependencias=frozenset({("aguardar_janela", "conferir_espera")}),
        agenda="None",  # the summary of schedule=None
        fuso="America/Sao_Paulo",
        tentativas_extras={"aguardar_janela": 0, "conferir_espera": 0},
    )


def test_sensor_e_adiavel_e_espera_cinco_segundos(dagbag):
    sensor = dagbag.dags[DAG_ID].get_task("aguardar_janela")
    assert type(sensor).__module__ == "airflow.providers.standard.sensors.time_delta"
    assert sensor.deferrable is True
    assert sensor.delta == timedelta(seconds=5)
    assert sensor.timeout == 600


def test_sensor_se_adia_e_o_trigger_o_acorda(executar, monkeypatch):
    # The real clock, on purpose: the sensor waits 5 s from the moment the run starts, and the test
    # checks that those seconds really passed (under faketime, the moved clock runs just the same).
    import airflow.sdk.definitions.dag as modulo_dag

    triggers = []
    rodar_trigger = modulo_dag._run_inline_trigger  # what dag.test() calls in place of the triggerer

    def registrar(trigger, ti):
        triggers.append((ti.task_id, type(trigger).__name__))
        return rodar_trigger(trigger, ti)

    monkeypatch.setattr(modulo_dag, "_run_inline_trigger", registrar)

    inicio = time.monotonic()
    resultado = executar(DAG_ID)
    assert resultado.estado == "success", resultado
    assert resultado.estados == {"aguardar_janela": "success", "conferir_espera": "success"}
    assert triggers == [("aguardar_janela", "DateTimeTrigger")]  # the task deferred exactly once
    assert resultado.tentativas["aguardar_janela"] == 1, "deferring is not a retry"
    assert time.monotonic() - inicio >= 5
    assert resultado.valores["conferir_espera"] == {"esperou_o_bastante": True}
