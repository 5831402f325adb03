"""Chapter 2 (docs/02-airflow/conceitos.md, "Sensor"): a deferrable sensor hands its wait
to a trigger, and dag.test() runs that trigger in-process, as the triggerer would."""

from __future__ import annotations

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


def test_sensor_e_adiavel_e_espera_trinta_segundos(dagbag):
    sensor = dagbag.dags[DAG_ID].get_task("aguardar_janela")
    assert type(sensor).__module__ == "airflow.providers.standard.sensors.time_delta"
    assert sensor.deferrable is True
    assert sensor.delta == timedelta(seconds=30)
    assert sensor.timeout == 600


def test_sensor_se_adia_e_o_trigger_o_acorda(executar, monkeypatch, request):
    # The trigger asks to wake 30 s after the run's start; rather than sleep those 30 s, the test moves
    # the clock to that instant (time-machine, ticking on from there) before running the trigger, so
    # the task after the sensor sees the whole wait on the clock, as it would in the stack.
    import airflow.sdk.definitions.dag as modulo_dag
    import time_machine
    from airflow.sdk import timezone

    triggers = []
    rodar_trigger = modulo_dag._run_inline_trigger  # what dag.test() calls in place of the triggerer

    def registrar(trigger, ti):
        triggers.append((ti.task_id, type(trigger).__name__, trigger.moment - timezone.utcnow()))
        viagem = time_machine.travel(trigger.moment, tick=True)
        viagem.start()
        request.addfinalizer(viagem.stop)
        return rodar_trigger(trigger, ti)

    monkeypatch.setattr(modulo_dag, "_run_inline_trigger", registrar)

    resultado = executar(DAG_ID)
    assert resultado.estado == "success", resultado
    assert resultado.estados == {"aguardar_janela": "success", "conferir_espera": "success"}
    ((tarefa, tipo, falta),) = triggers  # the task deferred exactly once
    assert (tarefa, tipo) == ("aguardar_janela", "DateTimeTrigger")
    assert timedelta(seconds=25) < falta <= timedelta(seconds=30), "not 30 s after the run's start"
    assert resultado.tentativas["aguardar_janela"] == 1, "deferring is not a retry"
    assert resultado.valores["conferir_espera"] == {"esperou_o_bastante": True}
