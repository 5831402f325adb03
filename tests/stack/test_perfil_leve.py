"""The lighter profile (docker/compose.yaml + docker/compose.leve.yaml): LocalExecutor, with no
Redis, Celery workers or Flower; tasks run inside the scheduler. Runs only in the second pass of
`nox -s stack`, MODULO10_PERFIL=leve, which also runs chapter 5's pipeline (test_pratica.py) on it."""

from __future__ import annotations

import pytest
from ferramentas import compose, disparar, esperar_dags, esperar_fim, instancias

pytestmark = pytest.mark.perfil("leve")


def test_so_sobem_os_servicos_do_perfil_leve(stack):
    no_ar = set(compose("ps", "--services", "--status", "running").stdout.split())
    assert no_ar == {"postgres", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                     "airflow-triggerer", "ptax-ficticia"}


def test_os_componentes_estao_saudaveis(cliente):
    from airflow_client.client import MonitorApi

    saude = MonitorApi(cliente).get_health()
    estados = {nome: getattr(saude, nome).status
               for nome in ("metadatabase", "scheduler", "triggerer", "dag_processor")}
    assert estados == dict.fromkeys(estados, "healthy")


def test_as_tasks_rodam_dentro_do_scheduler(cliente):
    dag_id = "pratica_primeira_versao"
    esperar_dags(cliente, {dag_id})
    run_id = disparar(cliente, dag_id, {"dia": "2026-11-03"})
    assert esperar_fim(cliente, dag_id, run_id, ate=240) == "success"
    anfitriao = compose("exec", "-T", "airflow-scheduler", "hostname").stdout.strip()
    assert {ti.hostname for ti in instancias(cliente, dag_id, run_id)} == {anfitriao}
