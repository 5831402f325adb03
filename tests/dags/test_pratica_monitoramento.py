"""Chapter 5, step 5 (docs/05-pratica/05-monitoramento.md): failures become alerts, the DAG has docs."""

from __future__ import annotations

from types import SimpleNamespace

DAG_ID = "pratica_monitoramento"


def test_a_documentacao_da_dag_e_o_docstring_do_arquivo(dagbag):
    dag = dagbag.dags[DAG_ID]
    assert dag.doc_md.startswith("PTAX, quarta versão")


def test_toda_task_avisa_quando_falha(dagbag):
    from comum.armazem import AlertaNoArmazem  # after the DagBag: it imports Airflow

    dag = dagbag.dags[DAG_ID]
    for tarefa in dag.tasks:
        assert [type(c) for c in tarefa.on_failure_callback] == [AlertaNoArmazem], tarefa.task_id


def test_falha_vira_um_alerta_no_armazem(executar, ptax, armazem):
    ptax.manutencao("2026-11-18")

    resultado = executar(DAG_ID, data_logica="2026-11-18T14:00:00-03:00")

    assert resultado.estado == "failed"
    assert resultado.estados["validar"] == "failed"
    alertas = armazem.consultar("SELECT dag_id, task_id, tentativa, erro FROM alerta_pipeline")
    assert len(alertas) == 1, alertas
    dag_id, task_id, tentativa, erro = alertas[0]
    assert (dag_id, task_id, tentativa) == (DAG_ID, "validar", 1)
    assert erro.startswith("a resposta para 2026-11-18 não é JSON; começa com '<html>")


def test_execucao_sem_falha_nao_gera_alerta(executar, ptax, armazem):
    assert executar(DAG_ID, data_logica="2026-11-19T14:00:00-03:00").estado == "success"
    assert armazem.consultar(
        "SELECT count(*) FROM sqlite_master WHERE name = 'alerta_pipeline'"
    ) == [(0,)]


def test_sem_excecao_no_contexto_o_alerta_diz_quem_deu_a_falha(executar, ptax, armazem):
    # When a task's process dies without telling (a lost worker: no heartbeat; a worker killed while
    # the task was queued or running), the scheduler fails the task and sends the DAG processor a
    # TaskCallbackRequest, which runs the task's on_failure_callback with a context that has no
    # `exception`. Here a real task instance goes through the DAG processor's own function for it, with
    # the request built as the scheduler builds it for a heartbeat timeout.
    import structlog
    from airflow.api_fastapi.execution_api.datamodels.taskinstance import DagRun, TIRunContext
    from airflow.callbacks.callback_requests import TaskCallbackRequest
    from airflow.dag_processing.dagbag import BundleDagBag
    from airflow.dag_processing.processor import _execute_task_callbacks
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from airflow.utils.state import TaskInstanceState
    from comum.armazem import sem_excecao
    from conftest import PASTA_DAGS
    from sqlalchemy import select

    assert executar(DAG_ID, data_logica="2026-11-19T14:00:00-03:00").estado == "success"
    with create_session() as sessao:
        ti = sessao.scalars(select(TaskInstance).where(TaskInstance.dag_id == DAG_ID,
                                                        TaskInstance.task_id == "extrair")
                            .order_by(TaskInstance.start_date.desc())).first()
        pedido = TaskCallbackRequest(
            filepath=f"{DAG_ID}.py", bundle_name="dags-folder", bundle_version=None, ti=ti,
            msg="Task did not emit heartbeat within time limit",
            task_callback_type=TaskInstanceState.FAILED,
            context_from_server=TIRunContext(
                dag_run=DagRun.model_validate(ti.dag_run, from_attributes=True), max_tries=ti.max_tries,
            ),
        )
    arquivo = PASTA_DAGS / f"{DAG_ID}.py"
    bag = BundleDagBag(dag_folder=arquivo, bundle_path=PASTA_DAGS, bundle_name="dags-folder")

    # Airflow 3.3 may send the same heartbeat failure twice (see the page): still one alert.
    for _ in range(2):
        _execute_task_callbacks(bag, pedido, structlog.get_logger())

    alertas = armazem.consultar("SELECT dag_id, task_id, tentativa, erro FROM alerta_pipeline")
    assert pedido.ti.hostname
    assert alertas == [(DAG_ID, "extrair", 1, (
        "sem exceção: quem deu a tentativa 1 como falha foi o scheduler, não o código da task, "
        f"que rodava em {pedido.ti.hostname} (worker perdido ou morto, task presa na fila); "
        "este alerta rodou no DAG processor. Veja o log da tentativa e o do scheduler."
    ))]
    # A task that never left the queue never had a host.
    assert sem_excecao(SimpleNamespace(try_number=2, hostname=None)).startswith(
        "sem exceção: quem deu a tentativa 2 como falha foi o scheduler, não o código da task (worker")
