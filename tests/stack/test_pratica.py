"""Chapter 5 in the stack: the final PTAX DAG (pratica_erros) against the PTAX API stand-in, loading
into the stack's own Postgres warehouse. Each scenario uses its own days, which nothing else loads:
October for the backfill and the faulty days the `runs` fixture starts together, November for step
6's exercises, done as the page tells the reader."""

from __future__ import annotations

import json
import os
import re
import shlex
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import saidas
from ferramentas import (
    FINAIS,
    PERFIL,
    RAIZ,
    SENHA,
    URL_API,
    URL_FLOWER,
    USUARIO,
    alertas,
    api,
    armazem,
    como_o_leitor,
    disparar,
    esperar,
    esperar_dags,
    esperar_fim,
    estado,
    log_da_tarefa,
)

DAG_ID = "pratica_erros"
PASSO_6 = RAIZ / "docs" / "05-pratica" / "06-erros.md"
CADEIA_DEPOIS_DE_VALIDAR = ("transformar", "conferir", "carregar", "relatorio")
BRASILIA = ZoneInfo("America/Sao_Paulo")
SEMANA = [(date(2026, 10, 5) + timedelta(days=n)).isoformat() for n in range(5)]  # Monday to Friday
DIA_INSTAVEL = "2026-10-20"  # the stand-in fails twice, then answers
DIA_MALFORMADO = "2026-10-21"  # the stand-in answers its HTML maintenance page
DIA_SEM_PTAX = "2026-10-22"  # the stand-in holds its quote back: never published


def as_14h(dia: str) -> datetime:
    return datetime.fromisoformat(dia).replace(hour=14, tzinfo=BRASILIA)


def linhas_por_dia(inicio: str, fim: str) -> dict[str, int]:
    contagem = armazem(
        "SELECT data_cotacao, count(*) FROM cotacao_dolar "
        f"WHERE data_cotacao BETWEEN '{inicio}' AND '{fim}' GROUP BY 1 ORDER BY 1"
    )
    return {dia: int(n) for dia, n in contagem}


@pytest.fixture(scope="module")
def runs(cliente, ptax):
    """Start the backfill of SEMANA and the two faulty days at once; wait until all have finished.

    Returns the DagRunApi and the finished runs by day.
    """
    from airflow_client.client import (
        BackfillApi,
        BackfillPostBody,
        DAGApi,
        DAGPatchBody,
        DagRunApi,
        TriggerDAGRunPostBody,
    )

    esperar_dags(cliente, {DAG_ID})
    DAGApi(cliente).patch_dag(DAG_ID, DAGPatchBody(is_paused=False))
    api = DagRunApi(cliente)

    ptax.falhar(DIA_INSTAVEL, vezes=2)
    ptax.manutencao(DIA_MALFORMADO)
    for dia in (DIA_INSTAVEL, DIA_MALFORMADO):
        api.trigger_dag_run(DAG_ID, TriggerDAGRunPostBody(logical_date=as_14h(dia), conf={}))
    inicio, fim = as_14h(SEMANA[0]).replace(hour=0), as_14h(SEMANA[-1]).replace(hour=23)
    BackfillApi(cliente).create_backfill(BackfillPostBody(dag_id=DAG_ID, from_date=inicio, to_date=fim))

    def terminadas():
        lista = api.get_dag_runs(DAG_ID, logical_date_gte=as_14h(SEMANA[0]),
                                 logical_date_lte=as_14h(DIA_MALFORMADO)).dag_runs
        prontas = len(lista) == len(SEMANA) + 2 and all(str(r.state.value) in FINAIS for r in lista)
        return {r.logical_date.astimezone(BRASILIA).date().isoformat(): r for r in lista} if prontas else None

    return api, esperar(terminadas, ate=420, descricao="the backfill and the two faulty days to finish")


def ate_terminar(execucoes, run, depois_de: datetime):
    def terminada():
        atual = execucoes.get_dag_run(DAG_ID, run.dag_run_id)
        novo = atual.end_date is not None and atual.end_date > depois_de
        return atual if str(atual.state.value) in FINAIS and novo else None

    return esperar(terminada, ate=240, descricao=f"{DAG_ID} run {run.dag_run_id} to finish again")


def erros_do_log(run_id: str, task_id: str, tentativa: int = 1) -> list[str]:
    """The exceptions of a try's log as the interface shows them (its structured lines), "Type: message"."""
    caminho = (f"/api/v2/dags/{DAG_ID}/dagRuns/{quote(run_id, safe='')}/taskInstances/{task_id}"
               f"/logs/{tentativa}?full_content=true")
    return [f"{e['exc_type']}: {e['exc_value']}" for linha in api(caminho)["content"]
            for e in linha.get("error_detail", [])]


def sem_backfill_em_curso(cliente, dag_id: str) -> None:
    """Wait until every backfill of the DAG is complete: one at a time per DAG, and the scheduler marks
    one complete a moment after its last run ends."""
    from airflow_client.client import BackfillApi

    esperar(lambda: all(b.completed_at for b in BackfillApi(cliente).list_backfills(dag_id).backfills),
            ate=120, descricao=f"the backfills of {dag_id} to complete")


def estados(cliente, run_id: str) -> dict[str, tuple[str, int]]:
    from airflow_client.client import TaskInstanceApi

    instancias = TaskInstanceApi(cliente).get_task_instances(DAG_ID, run_id).task_instances
    return {ti.task_id: (estado(ti), ti.try_number) for ti in instancias}


def test_backfill_carrega_um_dia_por_dia_util_e_reprocessar_nao_duplica(runs):
    from airflow_client.client import DAGRunClearBody

    api, por_dia = runs
    assert {dia: str(por_dia[dia].run_type.value) for dia in SEMANA} == dict.fromkeys(SEMANA, "backfill")
    assert {dia: str(por_dia[dia].state.value) for dia in SEMANA} == dict.fromkeys(SEMANA, "success")
    assert linhas_por_dia(SEMANA[0], SEMANA[-1]) == dict.fromkeys(SEMANA, 1)

    # Re-running a day (Clear, in the UI) loads it again into the same row.
    quarta = por_dia[SEMANA[2]]
    carregada_antes = armazem(f"SELECT carregada_em FROM cotacao_dolar WHERE data_cotacao = '{SEMANA[2]}'")
    api.clear_dag_run(DAG_ID, quarta.dag_run_id, DAGRunClearBody(dry_run=False))
    refeita = ate_terminar(api, quarta, depois_de=quarta.end_date)
    # Still the backfill's run: cleared, it keeps its type.
    assert (str(refeita.state.value), str(refeita.run_type.value)) == ("success", "backfill")
    assert linhas_por_dia(SEMANA[0], SEMANA[-1]) == dict.fromkeys(SEMANA, 1)
    assert armazem(f"SELECT carregada_em FROM cotacao_dolar WHERE data_cotacao = '{SEMANA[2]}'") \
        != carregada_antes


def test_api_falha_duas_vezes_e_a_terceira_tentativa_carrega(cliente, runs, ptax):
    _, por_dia = runs
    run = por_dia[DIA_INSTAVEL]

    assert str(run.state.value) == "success"
    assert estados(cliente, run.dag_run_id)["extrair"] == ("success", 3)
    assert ptax.chamadas()[DIA_INSTAVEL] == 3
    assert linhas_por_dia(DIA_INSTAVEL, DIA_INSTAVEL) == {DIA_INSTAVEL: 1}


def test_resposta_malformada_falha_na_validacao_sem_carregar_e_gera_alerta(cliente, runs):
    _, por_dia = runs
    run = por_dia[DIA_MALFORMADO]

    assert str(run.state.value) == "failed"
    tarefas = estados(cliente, run.dag_run_id)
    assert tarefas["validar"] == ("failed", 1)
    assert tarefas["carregar"][0] == "upstream_failed"
    (erro,) = erros_do_log(run.dag_run_id, "validar")
    assert erro.startswith(f"CotacaoInvalida: a resposta para {DIA_MALFORMADO} não é JSON; começa com '<")
    assert linhas_por_dia(DIA_MALFORMADO, DIA_MALFORMADO) == {}
    assert armazem(f"SELECT task_id, tentativa FROM alerta_pipeline WHERE run_id = '{run.dag_run_id}'") \
        == [["validar", "1"]]


def digitar(ordem: str, dia: str = "") -> str:
    """Run the stand-in command that docs/05-pratica/06-erros.md has the reader type for `ordem` (and
    `dia`), exactly as written there, from docker/; what it printed."""
    inicio = f"docker compose exec ptax-ficticia python servidor_ptax.py {ordem}"
    # A command the page wraps to fit its code column (a "\" at the end of the line) is one line.
    pagina = re.sub(r"\s*\\\n\s*", " ", PASSO_6.read_text(encoding="utf-8"))
    linhas = {linha.strip() for linha in pagina.splitlines()
              if linha.strip().startswith(inicio) and dia in linha}
    assert len(linhas) == 1, f"the page should have one command {inicio!r} for {dia!r}: {linhas}"
    execucao = como_o_leitor(*shlex.split(linhas.pop()))
    assert execucao.returncode == 0, execucao.stdout
    return execucao.stdout.splitlines()[-1]  # the command's own answer, after any Compose warning


def acionar(cliente, dia: str, conf: dict | None = None) -> str:
    """What the page has the reader do in the interface: "Acionar", the logical date at 14:00 of `dia`."""
    return disparar(cliente, DAG_ID, conf or {}, logical_date=as_14h(dia))


def test_os_exercicios_do_passo_6_como_a_pagina_manda(cliente):
    # The reader's stand-in, its orders typed as the page writes them, each run triggered as the page
    # has the reader trigger it, and what each "Confira" says.
    digitar("limpar")

    # 1. Two HTTP 500s: retried after the page's waits, loaded on try 3.
    digitar("falhar", "2026-11-16")
    run_id = acionar(cliente, "2026-11-16")
    assert esperar_fim(cliente, DAG_ID, run_id, ate=240) == "success"
    assert estados(cliente, run_id)["extrair"] == ("success", 3)
    tentativas = api(f"/api/v2/dags/{DAG_ID}/dagRuns/{quote(run_id, safe='')}/taskInstances/extrair/tries")
    inicio_e_fim = sorted((t["try_number"], datetime.fromisoformat(t["start_date"]),
                           datetime.fromisoformat(t["end_date"])) for t in tentativas["task_instances"])
    assert [numero for numero, _, _ in inicio_e_fim] == [1, 2, 3]
    esperas = [(depois[1] - antes[2]).total_seconds() for antes, depois in pairwise(inicio_e_fim)]
    assert esperas[0] >= 5 and esperas[1] >= 10, esperas
    for tentativa in (1, 2):
        assert "500:Internal Server Error" in log_da_tarefa(DAG_ID, run_id, "extrair", tentativa)
    assert json.loads(digitar("chamadas"))["2026-11-16"] == 3
    assert linhas_por_dia("2026-11-16", "2026-11-16") == {"2026-11-16": 1}

    # 2. The maintenance page: validar fails on its only try, with the message the page shows.
    digitar("manutencao", "2026-11-18")
    run_id = acionar(cliente, "2026-11-18")
    assert esperar_fim(cliente, DAG_ID, run_id, ate=180) == "failed"
    tarefas = estados(cliente, run_id)
    assert (tarefas["extrair"], tarefas["validar"]) == (("success", 1), ("failed", 1))
    assert {tarefas[t][0] for t in CADEIA_DEPOIS_DE_VALIDAR} == {"upstream_failed"}
    (erro_do_log,) = erros_do_log(run_id, "validar")
    saidas.confere("pratica_resposta_malformada", erro_do_log)
    assert alertas(run_id) == [["validar", "1", erro_do_log.removeprefix("CotacaoInvalida: ")]]

    # 3. A quote ten times too high: stopped by conferir; fixed at the source, the run cleared, loaded.
    from airflow_client.client import DagRunApi, DAGRunClearBody

    digitar("publicar", "2026-11-19")
    run_id = acionar(cliente, "2026-11-19")
    assert esperar_fim(cliente, DAG_ID, run_id, ate=180) == "failed"
    assert estados(cliente, run_id)["conferir"] == ("failed", 1)
    ((task, _, erro),) = alertas(run_id)
    assert task == "conferir" and erro.startswith("venda de 53.3100 em 2026-11-19 varia +"), erro
    assert erro.endswith(" de 2026-11-16; o limite é 5%"), erro
    assert linhas_por_dia("2026-11-19", "2026-11-19") == {}
    digitar("limpar")
    falha = DagRunApi(cliente).get_dag_run(DAG_ID, run_id)
    DagRunApi(cliente).clear_dag_run(DAG_ID, run_id, DAGRunClearBody(dry_run=False))  # the dialog's default
    assert str(ate_terminar(DagRunApi(cliente), falha, depois_de=falha.end_date).state.value) == "success"
    assert estados(cliente, run_id)["extrair"] == ("success", 2)
    assert json.loads(digitar("chamadas"))["2026-11-19"] == 1
    assert linhas_por_dia("2026-11-19", "2026-11-19") == {"2026-11-19": 1}

    # 4. A late quote: deferred, one request a minute, loaded on try 1 once published. Published after
    # the fourth request, three minutes in: longer than extrair's execution_timeout, which in Airflow
    # 3.3 bounds each stretch on a worker, not the time spent deferred.
    digitar("atrasar", "2026-11-23")
    run_id = acionar(cliente, "2026-11-23", {"minutos_entre_consultas": 1})

    def adiada_ou_terminada():
        atual = estados(cliente, run_id).get("extrair", ("none", 0))[0]
        return None if atual in ("none", "scheduled", "queued", "running") else atual

    assert esperar(adiada_ou_terminada, ate=180, descricao="extrair to defer") == "deferred", \
        log_da_tarefa(DAG_ID, run_id, "extrair")
    esperar(lambda: json.loads(digitar("chamadas")).get("2026-11-23", 0) >= 4
            and estados(cliente, run_id)["extrair"] == ("deferred", 1),
            ate=300, intervalo=10, descricao="the fourth request for 2026-11-23, deferred again")
    assert linhas_por_dia("2026-11-23", "2026-11-23") == {}
    digitar("publicar", "2026-11-23")
    assert esperar_fim(cliente, DAG_ID, run_id, ate=240) == "success"
    assert estados(cliente, run_id)["extrair"] == ("success", 1), "waiting is not a retry"
    assert linhas_por_dia("2026-11-23", "2026-11-23") == {"2026-11-23": 1}


def test_dias_do_desafio_que_falham_juntos_sao_um_alerta_cada(cliente, ptax):
    # Two mapped days failing at the same moment: on Postgres each callback waits for the other's
    # transaction (an advisory lock), and neither alert is lost to a deadlock.
    dag_id = "pratica_desafio"
    for dia in ("2026-11-25", "2026-11-26"):
        ptax.manutencao(dia)
    esperar_dags(cliente, {dag_id})
    run_id = disparar(cliente, dag_id, {}, logical_date=as_14h("2026-11-27").replace(hour=15))

    assert esperar_fim(cliente, dag_id, run_id, ate=240) == "failed"
    assert armazem(f"SELECT map_index, tentativa FROM alerta_pipeline WHERE run_id = '{run_id}' "
                   "ORDER BY map_index") == [["2", "1"], ["3", "1"]]


def test_backfill_de_um_dia_sem_ptax_falha_na_hora_com_alerta(cliente, ptax):
    # A backfill's run is due at its own 14:00 (its run_after), so its deadline is long gone: one
    # request, no waiting, an alert, nothing loaded.
    from airflow_client.client import BackfillApi, BackfillPostBody, DAGApi, DAGPatchBody, DagRunApi

    ptax.atrasar(DIA_SEM_PTAX)
    esperar_dags(cliente, {DAG_ID})
    DAGApi(cliente).patch_dag(DAG_ID, DAGPatchBody(is_paused=False))
    sem_backfill_em_curso(cliente, DAG_ID)
    as_14 = as_14h(DIA_SEM_PTAX)
    BackfillApi(cliente).create_backfill(BackfillPostBody(
        dag_id=DAG_ID, from_date=as_14.replace(hour=0), to_date=as_14.replace(hour=23)))
    (run,) = esperar(lambda: DagRunApi(cliente).get_dag_runs(
        DAG_ID, logical_date_gte=as_14, logical_date_lte=as_14).dag_runs or None,
        ate=60, descricao=f"the backfill's run of {DIA_SEM_PTAX}")

    assert esperar_fim(cliente, DAG_ID, run.dag_run_id, ate=180) == "failed"
    assert estados(cliente, run.dag_run_id)["extrair"] == ("failed", 1)
    assert ptax.chamadas()[DIA_SEM_PTAX] == 1
    assert linhas_por_dia(DIA_SEM_PTAX, DIA_SEM_PTAX) == {}
    ((erro,),) = armazem(f"SELECT erro FROM alerta_pipeline WHERE run_id = '{run.dag_run_id}'")
    assert erro.startswith(f"a PTAX de {DIA_SEM_PTAX}, dia útil, não foi publicada até o prazo")
    sem_backfill_em_curso(cliente, DAG_ID)


def test_capturas_da_interface(cliente, runs, tmp_path):
    """The views chapter 5 shows, from this stack: saved in docs/ by `./curso nox -s capturas`."""
    from airflow_client.client import DAGApi, DAGPatchBody
    from capturas import capturar

    _, por_dia = runs
    # The trigger and backfill dialogs are a newcomer's, on paused DAGs (the dialogs then offer to
    # unpause them), whichever test unpaused them before; every test that runs one unpauses it first.
    for dag_id in ("pratica_primeira_versao", "pratica_agendamento"):
        DAGApi(cliente).patch_dag(dag_id, DAGPatchBody(is_paused=True))
    destino = Path(os.environ.get("MODULO10_CAPTURAS") or tmp_path)
    flower = URL_FLOWER if PERFIL == "celery" else None
    salvas = capturar(destino, url_api=URL_API, url_flower=flower, usuario=USUARIO, senha=SENHA,
                      dag_id=DAG_ID,
                      run_falho=por_dia[DIA_MALFORMADO].dag_run_id)
    for arquivo in salvas.values():
        assert arquivo.read_bytes().startswith(b"\x89PNG") and arquivo.stat().st_size > 20_000, arquivo


def execucoes_ao_mesmo_tempo(cliente, dag_id: str, dias: list[str]) -> int:
    """Follow the runs of `dias` until all have finished; the most seen running at the same time."""
    from airflow_client.client import DagRunApi

    maximo = 0

    def terminadas():
        nonlocal maximo
        lista = DagRunApi(cliente).get_dag_runs(dag_id, logical_date_gte=as_14h(dias[0]),
                                                logical_date_lte=as_14h(dias[-1])).dag_runs
        maximo = max(maximo, sum(str(r.state.value) == "running" for r in lista))
        return len(lista) == len(dias) and all(str(r.state.value) in FINAIS for r in lista)

    esperar(terminadas, ate=420, intervalo=0.5, descricao=f"the backfill of {dias[0]}..{dias[-1]} to finish")
    return maximo


@pytest.mark.parametrize(("limite", "semana"), [
    (None, [f"2026-09-{d:02d}" for d in range(14, 18)]),  # Monday to Thursday
    (2, [f"2026-09-{d:02d}" for d in range(21, 25)]),
])
def test_o_que_limita_as_execucoes_de_um_backfill(cliente, limite, semana):
    # pratica_agendamento has max_active_runs=3, which counts only the runs the scheduler creates:
    # a backfill's runs count against the backfill's own max_active_runs, 10 unless asked.
    from airflow_client.client import BackfillApi, BackfillPostBody, DAGApi, DAGPatchBody

    dag_id = "pratica_agendamento"
    esperar_dags(cliente, {dag_id})
    DAGApi(cliente).patch_dag(dag_id, DAGPatchBody(is_paused=False))

    sem_backfill_em_curso(cliente, dag_id)
    pedido = BackfillPostBody(dag_id=dag_id, from_date=as_14h(semana[0]).replace(hour=0),
                              to_date=as_14h(semana[-1]).replace(hour=23),
                              **({"max_active_runs": limite} if limite else {}))
    assert BackfillApi(cliente).create_backfill(pedido).max_active_runs == (limite or 10)

    assert execucoes_ao_mesmo_tempo(cliente, dag_id, semana) == (limite or len(semana))
    sem_backfill_em_curso(cliente, dag_id)


def test_tabela_de_uma_versao_anterior_ganha_fuso_na_proxima_carga(cliente):
    # The warehouse as an earlier version of the course left it: both times without a zone,
    # `publicada_em` in Brasília's wall time, `carregada_em` in the server's. The next load converts
    # them (comum/ptax.py, horarios_com_fuso) and every instant stays what it was.
    from airflow_client.client import DAGApi, DAGPatchBody

    dag_id = "pratica_primeira_versao"
    esperar_dags(cliente, {dag_id})
    DAGApi(cliente).patch_dag(dag_id, DAGPatchBody(is_paused=False))

    def carregar(dia: str) -> None:
        assert esperar_fim(cliente, dag_id, disparar(cliente, dag_id, {"dia": dia}), ate=180) == "success"

    def tipos() -> dict[str, str]:
        return dict(armazem("SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'cotacao_dolar' AND column_name LIKE '%_em'"))

    instantes = ("SELECT extract(epoch FROM publicada_em), extract(epoch FROM carregada_em) "
                 "FROM cotacao_dolar WHERE data_cotacao = '2026-10-27'")
    carregar("2026-10-27")  # October days the stand-in has quotes for, which no other test loads
    antes = armazem(instantes)
    assert len(antes) == 1, "the day was not loaded"
    armazem("ALTER TABLE cotacao_dolar"
            " ALTER COLUMN publicada_em TYPE TIMESTAMP USING publicada_em AT TIME ZONE 'America/Sao_Paulo',"
            " ALTER COLUMN carregada_em TYPE TIMESTAMP"
            " USING carregada_em AT TIME ZONE current_setting('TimeZone')")
    assert set(tipos().values()) == {"timestamp without time zone"}

    carregar("2026-10-28")
    assert set(tipos().values()) == {"timestamp with time zone"}
    assert armazem(instantes) == antes
