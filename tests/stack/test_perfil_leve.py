"""The lighter profile (docker/compose.yaml + docker/compose.leve.yaml): LocalExecutor, with no
Redis, Celery workers or Flower; tasks run inside the scheduler. Collected only with
MODULO10_PERFIL=leve, the second pass of `nox -s stack`, which also runs chapter 5's pipeline
(test_pratica.py) on it."""

from __future__ import annotations

from conftest import compose, esperar


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
    from airflow_client.client import DAGApi, DAGPatchBody, DagRunApi, TaskInstanceApi, TriggerDAGRunPostBody

    dag_id = "pratica_primeira_versao"
    dags = DAGApi(cliente)
    esperar(lambda: dag_id in {d.dag_id for d in dags.get_dags(limit=100).dags},
            ate=120, descricao=f"the DAG processor to parse {dag_id}")
    dags.patch_dag(dag_id, DAGPatchBody(is_paused=False))
    runs = DagRunApi(cliente)
    corpo = TriggerDAGRunPostBody(logical_date=None, conf={"dia": "2026-11-03"})
    run_id = runs.trigger_dag_run(dag_id, corpo).dag_run_id

    def terminada():
        run = runs.get_dag_run(dag_id, run_id)
        return run if str(run.state.value) in {"success", "failed"} else None

    final = esperar(terminada, ate=240, descricao=f"{dag_id} {run_id} to finish")
    assert str(final.state.value) == "success"
    anfitriao = compose("exec", "-T", "airflow-scheduler", "hostname").stdout.strip()
    instancias = TaskInstanceApi(cliente).get_task_instances(dag_id, run_id).task_instances
    assert {ti.hostname for ti in instancias} == {anfitriao}
