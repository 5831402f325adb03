"""Every DAG of snippets/dags, unpaused and triggered through the REST API of the course's stack,
all at once, ends as tests/stack/expectativas.py expects; the components the chapters name report
healthy, and Flower sees the Celery workers."""

from __future__ import annotations

from datetime import datetime

import pytest
from expectativas import EXECUCOES, dags_da_pasta
from ferramentas import FINAIS, armazem, compose, disparar, esperar, esperar_dags, workers_no_flower

pytestmark = pytest.mark.perfil("celery")


def test_componentes_saudaveis(cliente):
    from airflow_client.client import MonitorApi

    saude = MonitorApi(cliente).get_health()
    estados = {
        "metadatabase": saude.metadatabase.status,
        "scheduler": saude.scheduler.status,
        "triggerer": saude.triggerer.status,
        "dag_processor": saude.dag_processor.status,
    }
    assert estados == dict.fromkeys(estados, "healthy")


@pytest.fixture(scope="module")
def execucoes(cliente):
    """Unpause and trigger every DAG at once, then wait for all runs to finish."""
    from airflow_client.client import DagRunApi, ImportErrorApi

    esperadas = dags_da_pasta()
    esperar_dags(cliente, esperadas)
    assert ImportErrorApi(cliente).get_import_errors().total_entries == 0

    runs = DagRunApi(cliente)
    disparos = {}
    for dag_id in sorted(esperadas):
        execucao = EXECUCOES[dag_id]
        logica = datetime.fromisoformat(execucao.data_logica) if execucao.data_logica else None
        disparos[dag_id] = disparar(cliente, dag_id, execucao.conf, logica)

    def terminadas():
        atuais = {d: runs.get_dag_run(d, r) for d, r in disparos.items()}
        return atuais if all(str(r.state.value) in FINAIS for r in atuais.values()) else None

    return esperar(terminadas, ate=300, descricao="all triggered runs to finish")


@pytest.mark.parametrize("dag_id", sorted(EXECUCOES))
def test_execucao_termina_como_esperado(cliente, execucoes, dag_id):
    from airflow_client.client import TaskInstanceApi

    run = execucoes[dag_id]
    esperado = EXECUCOES[dag_id]
    instancias = TaskInstanceApi(cliente).get_task_instances(dag_id, run.dag_run_id).task_instances
    por_tarefa: dict[str, list[str]] = {}
    for ti in sorted(instancias, key=lambda ti: (ti.task_id, ti.map_index)):
        por_tarefa.setdefault(ti.task_id, []).append(str(ti.state.value))
    # A mapped task's instances: one state when they all agree, else the list by map index.
    estados = {tarefa: s[0] if len(set(s)) == 1 else s for tarefa, s in por_tarefa.items()}
    if estados != esperado.tarefas or str(run.state.value) != esperado.estado:
        logs = "\n".join(
            f"--- {ti.task_id} (try {ti.try_number}):\n"
            + str(TaskInstanceApi(cliente).get_log(dag_id, run.dag_run_id, ti.task_id, ti.try_number))
            for ti in instancias if str(ti.state.value) != "success"
        )
        pytest.fail(f"{dag_id}: run {run.state.value}, tasks {estados}; expected {esperado}\n{logs}")
    if esperado.arquivo:
        caminho, conteudo = esperado.arquivo
        assert compose("exec", "-T", "airflow-worker", "cat", caminho).stdout == conteudo
    if esperado.dias_no_armazem:
        inicio, fim, dias = esperado.dias_no_armazem
        consulta = f"SELECT data_cotacao FROM cotacao_dolar WHERE data_cotacao BETWEEN '{inicio}' AND '{fim}'"
        assert [dia for (dia,) in armazem(consulta + " ORDER BY 1")] == dias
    duracao = (run.end_date - run.start_date).total_seconds()
    print(f"{dag_id}: {duracao:.1f} s in the stack")


def test_flower_ve_os_workers(stack):
    workers = workers_no_flower()
    assert len(workers) == 2, workers  # the default worker and the "pesada" queue's
    assert all(nome.startswith("celery@") for nome in workers)
