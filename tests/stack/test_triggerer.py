"""Deferred tasks without a triggerer (chapter 3, the glossary and the troubleshooting page): a
stopped triggerer ends its job at once and `airflow jobs check` finds no triggerer alive, while one
killed outright still counts as alive until its last heartbeat is older than the health threshold;
a deferred task waits, and yet its timeout is kept: the scheduler, not the triggerer, looks for
deferred tasks past their trigger's timeout and sends them back to a worker, which fails them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import solucao
from ferramentas import compose, conteineres, disparar, esperar, esperar_dags, esperar_fim, estado, instancias

pytestmark = pytest.mark.perfil("celery")

DAG_ID = "teste_prazo_do_trigger"


@pytest.fixture
def sem_triggerer(restaurar):
    restaurar.alterou("airflow-triggerer")
    compose("stop", "airflow-triggerer")


# [triggerer] triggerer_health_check_threshold, Airflow's default, which the course's stack keeps.
LIMIAR = 30


def jobs_check(*opcoes: str):
    return compose("exec", "-T", "airflow-scheduler", "airflow", "jobs", "check",
                   "--job-type", "TriggererJob", *opcoes, check=False)


@pytest.mark.entrada("nenhum-job-vivo")
def test_sem_triggerer_o_jobs_check_nao_acha_ninguem(restaurar):
    restaurar.alterou("airflow-triggerer")
    (conteiner,) = conteineres("airflow-triggerer")
    compose("stop", "airflow-triggerer")

    # A stopped service ends its own job: at once, the check finds no triggerer on that container.
    assert jobs_check("--hostname", conteiner[:12]).returncode == 1
    # The page's command asks for any triggerer, and a triggerer an earlier test killed outright (its
    # memory test) counts as alive for up to LIMIAR seconds: the reader's answer comes after those.
    checagem = esperar(lambda: (c := jobs_check()).returncode == 1 and c, ate=LIMIAR + 30, intervalo=0,
                       descricao="no triggerer alive")
    solucao.confere(solucao.citacoes("nenhum-job-vivo"), checagem.stdout + checagem.stderr)


def test_triggerer_morto_a_forca_conta_como_vivo_ate_o_limiar(restaurar):
    restaurar.alterou("airflow-triggerer")
    (conteiner,) = conteineres("airflow-triggerer")
    compose("kill", "--signal", "KILL", "airflow-triggerer")
    morto = time.monotonic()

    # SIGKILL leaves no chance to end the job: it stays "running" with its last heartbeat.
    assert jobs_check("--hostname", conteiner[:12]).stdout == "Found one alive job.\n"
    esperar(lambda: jobs_check("--hostname", conteiner[:12]).returncode == 1, ate=LIMIAR + 30, intervalo=0,
            descricao="the killed triggerer's job to age past the health threshold")
    # Each check takes seconds to start: the answer changed within one check of the threshold.
    assert time.monotonic() - morto < LIMIAR + 20


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
