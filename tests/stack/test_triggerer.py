"""Deferred tasks without a triggerer (chapter 3 and the glossary): with the triggerer stopped,
`airflow jobs check` finds no triggerer alive, a deferred task waits, and yet its timeout is kept:
the scheduler, not the triggerer, looks for deferred tasks past their trigger's timeout and sends
them back to a worker, which fails them."""

from __future__ import annotations

from pathlib import Path

import pytest
import solucao
from ferramentas import compose, disparar, esperar, esperar_dags, esperar_fim, estado, instancias

pytestmark = pytest.mark.perfil("celery")

DAG_ID = "teste_prazo_do_trigger"


@pytest.fixture
def sem_triggerer(restaurar):
    restaurar.alterou("airflow-triggerer")
    compose("stop", "airflow-triggerer")


@pytest.mark.entrada("nenhum-job-vivo")
def test_sem_triggerer_o_jobs_check_nao_acha_ninguem(sem_triggerer):
    checagem = compose("exec", "-T", "airflow-scheduler", "airflow", "jobs", "check",
                       "--job-type", "TriggererJob", check=False)
    assert checagem.returncode == 1
    solucao.confere(solucao.citacoes("nenhum-job-vivo"), checagem.stdout + checagem.stderr)


def test_sem_triggerer_o_prazo_do_trigger_ainda_vale(cliente, sem_triggerer, na_pasta_de_dags):
    na_pasta_de_dags(f"{DAG_ID}.py", Path(__file__).parent / "dags" / f"{DAG_ID}.py")
    esperar_dags(cliente, {DAG_ID})
    run_id = disparar(cliente, DAG_ID, {})
    esperar(lambda: [estado(ti) for ti in instancias(cliente, DAG_ID, run_id)] == ["deferred"], ate=120,
            descricao="the sensor to defer")

    # 20 s of timeout, then the scheduler's check (every 15 s by default) and a worker to fail it.
    assert esperar_fim(cliente, DAG_ID, run_id, ate=120) == "failed"
    (sensor,) = instancias(cliente, DAG_ID, run_id)
    assert (estado(sensor), sensor.try_number) == ("failed", 1)
    agendador = compose("logs", "--no-color", "airflow-scheduler").stdout
    assert "deferred tasks without fired triggers" in agendador
