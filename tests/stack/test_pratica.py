"""Chapter 5 in the stack: the final PTAX DAG (pratica_erros) against the PTAX API stand-in, loading
into the stack's own Postgres warehouse. Each test uses October days that nothing else loads."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import armazem, esperar

DAG_ID = "pratica_erros"
BRASILIA = ZoneInfo("America/Sao_Paulo")
FINAIS = {"success", "failed"}


def as_14h(dia: str) -> datetime:
    return datetime.fromisoformat(dia).replace(hour=14, tzinfo=BRASILIA)


@pytest.fixture(scope="module")
def runs(cliente):
    from airflow_client.client import DAGApi, DAGPatchBody, DagRunApi

    dags = DAGApi(cliente)
    esperar(lambda: DAG_ID in {d.dag_id for d in dags.get_dags(limit=100).dags},
            ate=120, descricao=f"the DAG processor to parse {DAG_ID}")
    dags.patch_dag(DAG_ID, DAGPatchBody(is_paused=False))
    return DagRunApi(cliente)


def disparar(runs, dia: str) -> str:
    from airflow_client.client import TriggerDAGRunPostBody

    return runs.trigger_dag_run(DAG_ID, TriggerDAGRunPostBody(logical_date=as_14h(dia), conf={})).dag_run_id


def ate_terminar(runs, run_id: str, depois_de: datetime | None = None):
    def terminada():
        run = runs.get_dag_run(DAG_ID, run_id)
        novo = depois_de is None or (run.end_date and run.end_date > depois_de)
        return run if str(run.state.value) in FINAIS and novo else None

    return esperar(terminada, ate=240, descricao=f"{DAG_ID} run {run_id} to finish")


def estados(cliente, run_id: str) -> dict[str, tuple[str, int]]:
    from airflow_client.client import TaskInstanceApi

    instancias = TaskInstanceApi(cliente).get_task_instances(DAG_ID, run_id).task_instances
    return {ti.task_id: (str(ti.state.value), ti.try_number) for ti in instancias}


def linhas_por_dia(inicio: str, fim: str) -> dict[str, int]:
    contagem = armazem(
        "SELECT data_cotacao, count(*) FROM cotacao_dolar "
        f"WHERE data_cotacao BETWEEN '{inicio}' AND '{fim}' GROUP BY 1 ORDER BY 1"
    )
    return {dia: int(n) for dia, n in contagem}


def test_backfill_carrega_um_dia_por_dia_util_e_reprocessar_nao_duplica(runs):
    from airflow_client.client import BackfillApi, BackfillPostBody, DAGRunClearBody

    semana = [(date(2026, 10, 5) + timedelta(days=n)).isoformat() for n in range(5)]
    inicio, fim = as_14h(semana[0]).replace(hour=0), as_14h(semana[-1]).replace(hour=23)
    BackfillApi(runs.api_client).create_backfill(
        BackfillPostBody(dag_id=DAG_ID, from_date=inicio, to_date=fim)
    )

    def backfill_terminado():
        lista = runs.get_dag_runs(
            DAG_ID, run_type=["backfill"], logical_date_gte=inicio, logical_date_lte=fim
        ).dag_runs
        return lista if len(lista) == 5 and all(str(r.state.value) in FINAIS for r in lista) else None

    feitas = esperar(backfill_terminado, ate=300, descricao="the 5 backfill runs to finish")
    assert {str(r.state.value) for r in feitas} == {"success"}
    assert linhas_por_dia(semana[0], semana[-1]) == dict.fromkeys(semana, 1)

    # Re-running a day (Clear, in the UI) loads it again into the same row.
    quarta = next(r for r in feitas if r.logical_date.astimezone(BRASILIA).date().isoformat() == semana[2])
    carregada_antes = armazem(f"SELECT carregada_em FROM cotacao_dolar WHERE data_cotacao = '{semana[2]}'")
    runs.clear_dag_run(DAG_ID, quarta.dag_run_id, DAGRunClearBody(dry_run=False))
    assert str(ate_terminar(runs, quarta.dag_run_id, depois_de=quarta.end_date).state.value) == "success"
    assert linhas_por_dia(semana[0], semana[-1]) == dict.fromkeys(semana, 1)
    assert armazem(f"SELECT carregada_em FROM cotacao_dolar WHERE data_cotacao = '{semana[2]}'") \
        != carregada_antes


def test_api_falha_duas_vezes_e_a_terceira_tentativa_carrega(cliente, runs, ptax):
    dia = "2026-10-20"
    ptax.falhar(dia, vezes=2)

    run = ate_terminar(runs, disparar(runs, dia))

    assert str(run.state.value) == "success"
    assert estados(cliente, run.dag_run_id)["extrair"] == ("success", 3)
    assert ptax.chamadas()[dia] == 3
    assert linhas_por_dia(dia, dia) == {dia: 1}


def test_resposta_malformada_falha_na_validacao_sem_carregar_e_gera_alerta(cliente, runs, ptax):
    from airflow_client.client import TaskInstanceApi

    dia = "2026-10-21"
    ptax.manutencao(dia)

    run = ate_terminar(runs, disparar(runs, dia))

    assert str(run.state.value) == "failed"
    tarefas = estados(cliente, run.dag_run_id)
    assert tarefas["validar"] == ("failed", 1)
    assert tarefas["carregar"][0] == "upstream_failed"
    log = str(TaskInstanceApi(cliente).get_log(DAG_ID, run.dag_run_id, "validar", 1))
    assert f"CotacaoInvalida: a resposta para {dia} não é JSON" in log
    assert linhas_por_dia(dia, dia) == {}
    assert armazem(f"SELECT task_id, tentativa FROM alerta_pipeline WHERE run_id = '{run.dag_run_id}'") \
        == [["validar", "1"]]
