"""Chapter 5, step 3 (docs/05-pratica/03-agendamento.md): the schedule, the logical date, idempotency."""

from __future__ import annotations

from conftest import Estrutura, arestas_da_ptax

DAG_ID = "pratica_agendamento"
CADEIA = ["extrair", "validar", "transformar", "carregar", "relatorio"]


def test_estrutura(estrutura):
    assert estrutura(DAG_ID) == Estrutura(
        tarefas=frozenset([*CADEIA, "criar_tabela"]),
        dependencias=arestas_da_ptax(CADEIA),
        agenda="0 14 * * 1-5",
        fuso="America/Sao_Paulo",
        tentativas_extras=dict.fromkeys([*CADEIA, "criar_tabela"], 0),
    )


def test_cron_vira_um_timetable_de_disparo_com_as_execucoes_que_o_texto_lista(dagbag):
    from airflow.serialization.encoders import coerce_to_core_timetable
    from airflow.timetables.base import DataInterval, TimeRestriction

    dag = dagbag.dags[DAG_ID]
    tabela = coerce_to_core_timetable(dag.timetable)
    assert type(tabela).__name__ == "CronTriggerTimetable"
    assert dag.catchup is False

    restricao = TimeRestriction(earliest=dag.start_date, latest=None, catchup=True)
    anterior, disparos = None, []
    for _ in range(6):
        info = tabela.next_dagrun_info(last_automated_data_interval=anterior, restriction=restricao)
        disparos.append(info.logical_date.in_timezone("America/Sao_Paulo").format("ddd DD/MM HH:mm"))
        assert info.data_interval.start == info.data_interval.end == info.logical_date  # no interval
        anterior = DataInterval(info.data_interval.start, info.data_interval.end)
    assert disparos == [
        "Thu 01/10 14:00", "Fri 02/10 14:00", "Mon 05/10 14:00",
        "Tue 06/10 14:00", "Wed 07/10 14:00", "Thu 08/10 14:00",
    ]


def test_o_dia_vem_da_data_logica_no_fuso_de_brasilia(executar, ptax, armazem):
    # 23h30 de 17/11 em Brasília já é 18/11 em UTC: o dia carregado é o de Brasília.
    resultado = executar(DAG_ID, data_logica="2026-11-18T02:30:00+00:00")

    assert resultado.estado == "success", resultado
    assert armazem.dias() == ["2026-11-17"]


def test_reprocessar_o_dia_substitui_a_linha(executar, ptax, armazem):
    for _ in range(2):
        resultado = executar(DAG_ID, data_logica="2026-11-17T14:00:00-03:00")
        assert resultado.estado == "success", resultado
        assert resultado.estados["carregar"] == "success"

    assert armazem.dias() == ["2026-11-17"]


def test_ao_sair_da_pausa_vem_so_a_execucao_mais_recente(dagbag, monkeypatch):
    # What the scheduler creates when the DAG leaves the pause is the timetable's next run at that
    # moment: with catchup=False, the latest schedule already past (never the next one still ahead);
    # with catchup=True, the first one since start_date.
    import pendulum
    from airflow.serialization.encoders import coerce_to_core_timetable
    from airflow.timetables import trigger
    from airflow.timetables.base import TimeRestriction

    dag = dagbag.dags[DAG_ID]
    tabela = coerce_to_core_timetable(dag.timetable)

    def criada_ao_despausar(agora: str, *, catchup: bool = False) -> str:
        monkeypatch.setattr(trigger, "utcnow", lambda: pendulum.parse(agora).in_timezone("UTC"))
        restricao = TimeRestriction(earliest=dag.start_date, latest=None, catchup=catchup)
        info = tabela.next_dagrun_info(last_automated_data_interval=None, restriction=restricao)
        return info.logical_date.in_timezone("America/Sao_Paulo").format("ddd DD/MM HH:mm")

    assert criada_ao_despausar("2026-11-18T09:00:00-03:00") == "Tue 17/11 14:00"  # quarta às 9h
    assert criada_ao_despausar("2026-11-18T03:00:00-03:00") == "Tue 17/11 14:00"  # quarta às 3h
    assert criada_ao_despausar("2026-11-21T10:00:00-03:00") == "Fri 20/11 14:00"  # sábado
    assert criada_ao_despausar("2026-11-18T09:00:00-03:00", catchup=True) == "Thu 01/10 14:00"
