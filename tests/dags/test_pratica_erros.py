"""Chapter 5, step 6 (docs/05-pratica/06-erros.md): retries, bad data stopped before the warehouse."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pendulum
import pytest
import saidas
from conftest import RAIZ, Estrutura, arestas_da_ptax

DAG_ID = "pratica_erros"
CADEIA = ["extrair", "validar", "transformar", "conferir", "carregar", "relatorio"]


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset([*CADEIA, "criar_tabela"]),
        dependencias=arestas_da_ptax(CADEIA),
        agenda="0 14 * * 1-5",
        fuso="America/Sao_Paulo",
        tentativas_extras={**dict.fromkeys([*CADEIA, "criar_tabela"], 0), "extrair": 4},
    )


def test_so_a_extracao_tenta_de_novo_com_esperas_que_dobram(dagbag):
    extrair = dagbag.dags[DAG_ID].get_task("extrair")
    assert (extrair.retry_delay, extrair.retry_exponential_backoff) == (timedelta(seconds=5), 2.0)
    assert extrair.max_retry_delay == extrair.execution_timeout == timedelta(minutes=2)
    assert dagbag.dags[DAG_ID].get_task("relatorio").trigger_rule == "none_failed_min_one_success"


def test_api_falha_duas_vezes_e_a_terceira_tentativa_carrega(executar, ptax, armazem):
    ptax.falhar("2026-11-17", vezes=2)

    resultado = executar(DAG_ID, data_logica="2026-11-17T14:00:00-03:00")

    assert resultado.estado == "success", resultado
    assert resultado.tentativas["extrair"] == 3
    assert resultado.erros["extrair"] == ["AirflowException: 500:Internal Server Error"] * 2
    assert ptax.chamadas()["2026-11-17"] == 3
    assert armazem.dias() == ["2026-11-17"]


def test_resposta_malformada_para_na_validacao_e_nada_e_carregado(executar, ptax, armazem):
    ptax.manutencao("2026-11-18")

    resultado = executar(DAG_ID, data_logica="2026-11-18T14:00:00-03:00")

    assert resultado.estado == "failed"
    assert resultado.estados == {
        "criar_tabela": "success", "extrair": "success", "validar": "failed",
        **dict.fromkeys(["transformar", "conferir", "carregar", "relatorio"], "upstream_failed"),
    }
    (erro,) = resultado.erros["validar"]
    assert erro.startswith("CotacaoInvalida: a resposta para 2026-11-18 não é JSON; começa com '<html>")
    saidas.confere("pratica_resposta_malformada", erro)
    assert resultado.tentativas["validar"] == 1  # tentar de novo não consertaria a resposta
    assert armazem.dias() == []
    assert armazem.consultar("SELECT task_id FROM alerta_pipeline") == [("validar",)]


def test_salto_implausivel_e_barrado_antes_da_carga(executar, ptax, armazem):
    assert executar(DAG_ID, data_logica="2026-11-16T14:00:00-03:00").estado == "success"
    armazem.consultar("UPDATE cotacao_dolar SET venda = 4.0")  # a previous day that makes 17/11 a jump

    resultado = executar(DAG_ID, data_logica="2026-11-17T14:00:00-03:00")

    assert resultado.estados["conferir"] == "failed"
    (erro,) = resultado.erros["conferir"]
    assert erro.startswith("CotacaoInvalida: venda de 5.3271 em 2026-11-17 varia +33.2% sobre 4.0000")
    saidas.confere("pratica_cotacao_implausivel", erro)
    assert armazem.dias() == ["2026-11-16"]


def test_feriado_carrega_nada_e_o_relatorio_sai_mesmo_assim(executar, ptax, armazem):
    assert executar(DAG_ID, data_logica="2026-11-19T14:00:00-03:00").estado == "success"

    resultado = executar(DAG_ID, data_logica="2026-11-20T14:00:00-03:00")

    assert resultado.estado == "success", resultado
    assert [resultado.estados[t] for t in CADEIA] == [
        "success", "skipped", "skipped", "skipped", "skipped", "success"
    ]
    assert resultado.valores["relatorio"].splitlines()[-1].startswith("2026-11-19")
    assert armazem.dias() == ["2026-11-19"]
    assert "2026-11-20" not in ptax.chamadas(), "the calendar knows the holiday: no request"
    assert armazem.alertas() == []


def test_fim_de_semana_nao_consulta_a_api_e_o_relatorio_sai(executar, ptax, armazem):
    resultado = executar(DAG_ID, data_logica="2026-11-21T14:00:00-03:00")  # a Saturday, triggered by hand

    assert resultado.estado == "success", resultado
    assert [resultado.estados[t] for t in CADEIA] == [
        "success", "skipped", "skipped", "skipped", "skipped", "success"
    ]
    assert resultado.valores["extrair"] == {
        "dia": "2026-11-21", "resposta": None, "sem_ptax": "fim de semana"}
    assert ptax.chamadas() == {}
    assert armazem.alertas() == []


def test_dia_fora_do_calendario_falha_sem_novas_tentativas(executar, ptax, armazem):
    resultado = executar(DAG_ID, data_logica="2036-01-02T14:00:00-03:00")

    assert resultado.estados["extrair"] == "failed"
    assert resultado.tentativas["extrair"] == 1
    assert resultado.erros["extrair"] == [
        "AirflowFailException: 2036-01-02 está fora do calendário de feriados (2026 a 2035); "
        "acrescente o ano a feriados.csv"
    ]
    assert ptax.chamadas() == {}


# "A PTAX que atrasa": a scheduled run of 17/11 (logical date and run_after at 14:00 in Brasília)
# finds no PTAX yet.
ATRASADA = "2026-11-17"
DATA_ATRASADA = f"{ATRASADA}T14:00:00-03:00"


@pytest.fixture
def triggerer(monkeypatch, request):
    """The clock at the run's scheduled moment, moved to each trigger's moment when dag.test() runs
    the trigger in place of the triggerer, so the wait takes no real time. `triggerer.despertares`
    lists each wake-up in Brasília's time; `triggerer.ao_acordar(n)` runs before the n-th (from 1)."""
    import airflow.sdk.definitions.dag as modulo_dag
    import time_machine

    def viajar(instante) -> None:
        viagem = time_machine.travel(instante, tick=True)
        viagem.start()
        request.addfinalizer(viagem.stop)

    viajar(pendulum.parse(DATA_ATRASADA))
    rodar_trigger = modulo_dag._run_inline_trigger
    estado = SimpleNamespace(despertares=[], ao_acordar=lambda n: None)

    def acordar(trigger, ti):
        estado.despertares.append(trigger.moment.in_timezone("America/Sao_Paulo").format("HH:mm"))
        viajar(trigger.moment)
        estado.ao_acordar(len(estado.despertares))
        return rodar_trigger(trigger, ti)

    monkeypatch.setattr(modulo_dag, "_run_inline_trigger", acordar)

    # dag.test() hands the deferral to the trigger in-process; a real worker sends it to its
    # supervisor over a socket, encoded with msgpack, which takes fewer types (no pendulum Duration).
    from airflow.sdk.execution_time import task_runner
    from airflow.sdk.execution_time.comms import _RequestFrame

    adiar = task_runner._defer_task

    def adiar_pelo_canal_do_worker(*args, **kwargs):
        mensagem, estado_da_ti = adiar(*args, **kwargs)
        _RequestFrame(id=0, body=mensagem.model_dump()).as_bytes()
        return mensagem, estado_da_ti

    monkeypatch.setattr(task_runner, "_defer_task", adiar_pelo_canal_do_worker)
    return estado


def test_publicacao_atrasada_e_esperada_e_carregada(executar, ptax, armazem, triggerer):
    ptax.atrasar(ATRASADA)
    triggerer.ao_acordar = lambda n: n == 2 and ptax.publicar(ATRASADA)  # out between 14:15 and 14:30

    resultado = executar(DAG_ID, data_logica=DATA_ATRASADA, run_after=DATA_ATRASADA)

    assert resultado.estado == "success", resultado
    assert triggerer.despertares == ["14:15", "14:30"]
    assert ptax.chamadas()[ATRASADA] == 3
    assert resultado.tentativas["extrair"] == 1, "waiting is not a retry"
    assert armazem.dias() == [ATRASADA]
    assert armazem.alertas() == []


def test_publicacao_que_nao_sai_ate_o_prazo_falha_com_alerta(executar, ptax, armazem, triggerer):
    ptax.atrasar(ATRASADA)

    resultado = executar(DAG_ID, data_logica=DATA_ATRASADA, run_after=DATA_ATRASADA)

    assert resultado.estado == "failed"
    assert resultado.estados == {"criar_tabela": "success", "extrair": "failed",
                                 **dict.fromkeys(CADEIA[1:], "upstream_failed")}
    # Every 15 minutes from 14:15 to 17:45, then the deadline itself, 240 minutes after 14:00: 16 waits,
    # 17 requests.
    assert triggerer.despertares == [f"{14 + q // 4}:{q % 4 * 15:02}" for q in range(1, 17)]
    assert ptax.chamadas()[ATRASADA] == 17
    assert resultado.tentativas["extrair"] == 1, "a late PTAX is not retried: the waiting was done"
    assert resultado.erros["extrair"] == [
        "PublicacaoAtrasada: a PTAX de 2026-11-17, dia útil, não foi publicada até o prazo desta execução, "
        "17/11 18:00 de Brasília: confira a API e o Banco Central, e limpe a execução quando ela sair"
    ]
    assert armazem.dias() == []
    assert armazem.alertas() == [("extrair", 1)]


def test_o_prazo_e_o_intervalo_vem_dos_params_da_execucao(executar, ptax, armazem, triggerer):
    ptax.atrasar(ATRASADA)

    resultado = executar(DAG_ID, data_logica=DATA_ATRASADA, run_after=DATA_ATRASADA,
                         minutos_de_prazo=20, minutos_entre_consultas=10)

    assert resultado.estados["extrair"] == "failed"
    assert triggerer.despertares == ["14:10", "14:20"]


def test_intervalo_zero_e_recusado_antes_da_execucao(executar, ptax):
    from airflow.sdk.exceptions import ParamValidationError

    with pytest.raises(ParamValidationError, match="param minutos_entre_consultas: 0 is less than"):
        executar(DAG_ID, data_logica=DATA_ATRASADA, minutos_entre_consultas=0)
    assert ptax.chamadas() == {}


def test_execucao_de_um_dia_passado_sem_ptax_falha_na_hora(executar, ptax, armazem):
    # A backfill's run, or a cleared one: its run_after, and so its deadline, long gone. No waiting.
    import time_machine

    ptax.atrasar(ATRASADA)

    with time_machine.travel(pendulum.parse(DATA_ATRASADA).add(weeks=1), tick=True):
        resultado = executar(DAG_ID, data_logica=DATA_ATRASADA, run_after=DATA_ATRASADA)

    assert resultado.estados["extrair"] == "failed"
    assert ptax.chamadas()[ATRASADA] == 1
    assert armazem.alertas() == [("extrair", 1)]


# "API fora do ar de vez", a new run and the same run cleared: the try numbers and the waits of the
# page's table (docs/05-pratica/06-erros.md, "A extração tenta de novo").
PAGINA = RAIZ / "docs" / "05-pratica" / "06-erros.md"
FORA_DO_AR = "2026-11-23"
DATA_FORA_DO_AR = f"{FORA_DO_AR}T14:00:00-03:00"


def tabela_de_esperas() -> tuple[list, list]:
    """The page's table, one list per column (a new run, the run cleared after it used its five tries):
    (try number, (least, most) seconds waited after that try fails, or None for a try that fails the task)."""
    colunas: tuple[list, list] = ([], [])
    for linha in PAGINA.read_text(encoding="utf-8").splitlines():
        if not re.match(r"\| \dª \|", linha):
            continue
        celulas = [celula.strip() for celula in linha.strip("| ").split("|")][1:]
        for coluna, celula in zip(colunas, celulas, strict=True):
            tentativa, espera = celula.split(": ", 1)
            if faixa := re.match(r"de (\d+) a (\d+) s\b", espera):
                coluna.append((int(tentativa), (int(faixa[1]), int(faixa[2]))))
            elif espera.startswith("2 min"):
                coluna.append((int(tentativa), (120, 120)))
            else:
                assert espera.startswith("nenhuma"), celula
                coluna.append((int(tentativa), None))
    return colunas


def test_a_tabela_tem_as_tentativas_de_uma_execucao_nova_e_de_uma_limpa():
    nova, limpa = tabela_de_esperas()
    assert [t for t, _ in nova] == [1, 2, 3, 4, 5] and [t for t, _ in limpa] == [6, 7, 8, 9, 10]
    assert nova[-1][1] is None and limpa[-1][1] is None


def test_as_esperas_da_tabela_sao_as_que_o_scheduler_calcula(dagbag):
    # The scheduler lets an up_for_retry task run again at TaskInstance.next_retry_datetime(): its
    # end plus a wait that depends on the try number and a hash of DAG, task, logical date and try.
    # The task as the scheduler has it (serialized), every try of the table, at 400 logical dates:
    # the least and the most it waits are the table's, not merely inside them.
    from airflow.models.dagrun import DagRun
    from airflow.models.taskinstance import TaskInstance
    from airflow.serialization.serialized_objects import DagSerialization

    serializada = DagSerialization.deserialize_dag(DagSerialization.serialize_dag(dagbag.dags[DAG_ID]))
    extrair = serializada.get_task("extrair")
    fim = pendulum.datetime(2026, 11, 23, 17, 0, 30)
    ti = TaskInstance(extrair, dag_version_id=None, run_id="r")
    ti.dag_run, ti.end_date = DagRun(dag_id=DAG_ID, run_id="r"), fim

    def esperas(tentativa: int) -> list[float]:
        ti.try_number, vistas = tentativa, []
        for dia in range(400):
            ti.dag_run.logical_date = fim.add(days=dia)
            vistas.append((ti.next_retry_datetime() - fim).total_seconds())
        return vistas

    nova, limpa = tabela_de_esperas()
    for tentativa, faixa in [*nova, *limpa]:
        if faixa is not None:
            vistas = esperas(tentativa)
            assert (min(vistas), max(vistas)) == faixa, tentativa

    # Without max_retry_delay, the wait after try 9 would be more than 21 minutes.
    extrair.max_retry_delay = None
    assert min(esperas(9)) > 21 * 60


def test_api_fora_do_ar_falha_na_tentativa_5_e_limpar_da_mais_cinco(executar, ptax, armazem, monkeypatch):
    from airflow.models import dagrun as modulo
    from airflow.models.taskinstance import TaskInstance
    from airflow.models.taskinstancehistory import TaskInstanceHistory
    from airflow.utils.session import create_session
    from sqlalchemy import select

    ptax.falhar(FORA_DO_AR, vezes=10)
    nova = executar(DAG_ID, data_logica=DATA_FORA_DO_AR)

    # The page's column "API fora do ar de vez".
    assert nova.estado == "failed"
    assert nova.estados == {"criar_tabela": "success", "extrair": "failed",
                            **dict.fromkeys(CADEIA[1:], "upstream_failed")}
    assert nova.tentativas["extrair"] == 5
    assert nova.erros["extrair"] == ["AirflowException: 500:Internal Server Error"] * 5
    assert armazem.dias() == []
    assert armazem.consultar("SELECT task_id, tentativa FROM alerta_pipeline") == [("extrair", 5)]

    # "Limpar" the run. Before running, dag.test() clears the task instances of its logical date with
    # the function the UI's Clear calls (clear_task_instances, which sets max_tries to try_number +
    # retries), then deletes the run and makes a new one. Here the cleared run is kept and run again.
    def a_mesma_execucao(*, dag, logical_date, session, **_):
        execucao = session.scalar(select(modulo.DagRun).where(
            modulo.DagRun.dag_id == dag.dag_id, modulo.DagRun.logical_date == logical_date))
        execucao.state, execucao.dag = "running", dag
        session.commit()
        return execucao

    monkeypatch.setattr(modulo, "get_or_create_dagrun", a_mesma_execucao)
    limpa = executar(DAG_ID, data_logica=DATA_FORA_DO_AR)

    assert limpa.estado == "failed"
    assert limpa.tentativas["extrair"] == 10
    assert ptax.chamadas()[FORA_DO_AR] == 10
    assert armazem.consultar("SELECT task_id, tentativa FROM alerta_pipeline ORDER BY tentativa") == [
        ("extrair", 5), ("extrair", 10)]
    with create_session() as sessao:
        run_id = sessao.scalar(select(modulo.DagRun.run_id).where(
            modulo.DagRun.dag_id == DAG_ID, modulo.DagRun.logical_date == pendulum.parse(DATA_FORA_DO_AR)))
        anteriores = sessao.scalars(
            select(TaskInstanceHistory.try_number)
            .where(TaskInstanceHistory.dag_id == DAG_ID, TaskInstanceHistory.task_id == "extrair",
                   TaskInstanceHistory.run_id == run_id)
            .order_by(TaskInstanceHistory.try_number)
        ).all()
        limite = sessao.scalar(select(TaskInstance.max_tries).where(
            TaskInstance.run_id == run_id, TaskInstance.task_id == "extrair"))
    assert limite == 5 + 4  # the try the run was at when cleared, plus retries
    # Every try of the page's table ran, in order; the ones it says end the task are the alerts' tries
    # (the callback runs only when the task fails for good), every other one was followed by a retry.
    tabela = [linha for coluna in tabela_de_esperas() for linha in coluna]
    assert [*anteriores, limpa.tentativas["extrair"]] == [tentativa for tentativa, _ in tabela]
    alertas = armazem.consultar("SELECT tentativa FROM alerta_pipeline ORDER BY tentativa")
    assert [t for (t,) in alertas] == [tentativa for tentativa, faixa in tabela if faixa is None]
