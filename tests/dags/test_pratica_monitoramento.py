"""Chapter 5, step 5 (docs/05-pratica/05-monitoramento.md): failures become alerts, the DAG has docs."""

from __future__ import annotations

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
