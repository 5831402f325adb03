"""Chapter 5's "Sua vez", steps 2 to 5 (docs/05-pratica/02-primeira-versao.md to 05-monitoramento.md):
each step asks the reader for a small change to its DAG file, and snippets/solucoes/<dag_id>.diff is
the solution. Each test applies the diff to a copy of the file, with the `git apply` the reader can
run, and checks what the exercise asks of the changed DAG; the same check runs on the DAG as it is
and must come out otherwise, so it could fail. The outputs each "Confira" shows are captured here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest
import saidas
from conftest import PASTA_DAGS, RAIZ, dag_do_arquivo

SOLUCOES = RAIZ / "snippets" / "solucoes"
DIFFS = sorted(SOLUCOES.glob("*.diff"))
PAGINAS = RAIZ / "docs" / "05-pratica"
UPSTREAM = ["validar", "transformar", "carregar", "relatorio"]  # the tasks after `extrair`


def aplicar(diff: Path, raiz: Path, *opcoes: str) -> None:
    """`git apply` of `diff` in `raiz`, a folder laid out as the repository (snippets/dags/...), as the
    reader runs it at the repository's root."""
    # `raiz` is a plain folder: with the ceiling, git never takes a repository around it for its own.
    feito = subprocess.run(["git", "apply", *opcoes, str(diff)], cwd=raiz, capture_output=True, text=True,
                           env={**os.environ, "GIT_CEILING_DIRECTORIES": str(raiz.parent)})
    assert feito.returncode == 0, f"git apply {' '.join(opcoes)} {diff.name}:\n{feito.stderr}"


@pytest.fixture
def pasta_da(tmp_path, monkeypatch):
    """`pasta_da(dag_id, versao)`: the folder the DAG's file is read from, the DAG folder itself for
    "original", or for "solucao" a copy of the file, same name, with its solution applied (comum/ is
    still imported from the DAG folder, which is on sys.path)."""
    # Parsing a folder puts it on sys.path for good (BundleDagBag): one temporary folder per test
    # would pile up there. The original list comes back after the test.
    monkeypatch.setattr(sys, "path", list(sys.path))

    def _pasta_da(dag_id: str, versao: str) -> Path:
        if versao == "original":
            return PASTA_DAGS
        pasta = tmp_path / "snippets" / "dags"
        pasta.mkdir(parents=True, exist_ok=True)
        shutil.copy(PASTA_DAGS / f"{dag_id}.py", pasta)
        aplicar(SOLUCOES / f"{dag_id}.diff", tmp_path)
        return pasta

    return _pasta_da


@pytest.mark.parametrize("diff", DIFFS, ids=lambda p: p.name)
def test_a_solucao_muda_so_o_arquivo_da_dag_e_se_aplica_a_ele_como_esta_hoje(diff, tmp_path):
    # An edit to the DAG file that the diff no longer fits fails here, and not on the reader's machine;
    # `git apply -R`, the rollback the pages give, brings back the file as it was.
    arquivo = f"snippets/dags/{diff.stem}.py"
    texto = diff.read_text(encoding="utf-8")
    assert set(re.findall(r"^(?:---|\+\+\+) [ab]/(\S+)$", texto, re.M)) == {arquivo}
    copia = tmp_path / arquivo
    copia.parent.mkdir(parents=True)
    original = (RAIZ / arquivo).read_text(encoding="utf-8")
    copia.write_text(original, encoding="utf-8")

    aplicar(diff, tmp_path)
    assert copia.read_text(encoding="utf-8") != original
    aplicar(diff, tmp_path, "-R")
    assert copia.read_text(encoding="utf-8") == original


def test_cada_solucao_tem_o_seu_teste():
    testadas = {"pratica_primeira_versao", "pratica_agendamento", "pratica_conexoes", "pratica_monitoramento"}
    assert {diff.stem for diff in DIFFS} == testadas


# Step 2: a day in the future fails before asking the API, instead of being skipped as a holiday.

DIA_FUTURO = "2062-11-24"  # 2026 typed as 2062


@pytest.fixture
def hoje():
    """The solution compares `dia` with today in Brasília: the test says which day today is."""
    import time_machine

    with time_machine.travel("2026-12-01T15:00:00-03:00", tick=True):
        yield "2026-12-01"


@pytest.mark.parametrize(("versao", "estado", "estados", "chamadas"), [
    ("original", "success", {"extrair": "success", **dict.fromkeys(UPSTREAM, "skipped")}, {DIA_FUTURO: 1}),
    ("solucao", "failed", {"extrair": "failed", **dict.fromkeys(UPSTREAM, "upstream_failed")}, {}),
])
def test_passo_2_um_dia_futuro_falha_sem_consultar_a_api(executar, ptax, armazem, pasta_da, hoje, versao,
                                                        estado, estados, chamadas):
    dag_id = "pratica_primeira_versao"

    resultado = executar(dag_id, pasta=pasta_da(dag_id, versao), dia=DIA_FUTURO)

    assert (resultado.estado, resultado.estados) == (estado, {"criar_tabela": "success", **estados})
    assert ptax.chamadas() == chamadas
    assert armazem.dias() == []
    if versao == "solucao":
        (erro,) = resultado.erros["extrair"]
        assert erro.startswith(f"ValueError: {DIA_FUTURO} ainda não chegou")
        saidas.confere("pratica_solucao_primeira_versao", erro)


def test_passo_2_com_a_solucao_um_dia_passado_carrega_como_antes(executar, ptax, armazem, pasta_da, hoje):
    dag_id = "pratica_primeira_versao"

    resultado = executar(dag_id, pasta=pasta_da(dag_id, "solucao"), dia="2026-11-24")

    assert resultado.estado == "success", resultado
    assert armazem.dias() == ["2026-11-24"]


# Step 3: a second run at 18h, for the PTAX that comes out late.

def execucoes(dag, de: str, ate: str) -> list[str]:
    """The runs the DAG's schedule makes from `de` to `ate`: the logical date in Brasília and the
    run_id the scheduler gives it."""
    from airflow.serialization.encoders import coerce_to_core_timetable
    from airflow.timetables.base import DataInterval, TimeRestriction
    from airflow.utils.types import DagRunType

    tabela = coerce_to_core_timetable(dag.timetable)
    restricao = TimeRestriction(earliest=pendulum.parse(de), latest=pendulum.parse(ate), catchup=True)
    anterior, linhas = None, []
    while info := tabela.next_dagrun_info(last_automated_data_interval=anterior, restriction=restricao):
        run_id = tabela.generate_run_id(run_type=DagRunType.SCHEDULED, run_after=info.run_after,
                                        data_interval=info.data_interval)
        quando = info.logical_date.in_timezone("America/Sao_Paulo").format("ddd DD/MM HH:mm", locale="pt-br")
        linhas.append(f"{quando}  {run_id}")
        anterior = DataInterval(info.data_interval.start, info.data_interval.end)
    return linhas


@pytest.mark.parametrize(("versao", "agenda", "horas"), [
    ("original", "0 14 * * 1-5", ["14:00"]),
    ("solucao", "0 14,18 * * 1-5", ["14:00", "18:00"]),
])
def test_passo_3_a_agenda_ganha_uma_execucao_as_18h(dagbag, pasta_da, versao, agenda, horas):
    from airflow.serialization.encoders import coerce_to_core_timetable

    dag_id = "pratica_agendamento"
    dag = dag_do_arquivo(dag_id, pasta_da(dag_id, versao))

    assert coerce_to_core_timetable(dag.timetable).summary == agenda  # the "Agendamento" column
    # Thursday to Monday: the weekend has no run.
    linhas = execucoes(dag, "2026-11-19T00:00:00-03:00", "2026-11-23T23:59:59-03:00")
    assert [linha.split("  ")[0] for linha in linhas] == [
        f"{dia} {hora}" for dia in ("qui 19/11", "sex 20/11", "seg 23/11") for hora in horas
    ]
    if versao == "solucao":
        saidas.confere("pratica_solucao_agendamento", "\n".join(linhas))


def test_passo_3_a_das_18h_carrega_o_dia_que_a_das_14h_pulou_e_nao_duplica_os_outros(
        executar, ptax, armazem, pasta_da):
    dag_id = "pratica_agendamento"
    pasta = pasta_da(dag_id, "solucao")
    ptax.atrasar("2026-11-17")  # at 14h, the API still answers an empty list

    for dia in ("2026-11-17", "2026-11-18"):
        as_14h = executar(dag_id, pasta=pasta, data_logica=f"{dia}T14:00:00-03:00")
        if dia == "2026-11-17":
            assert as_14h.estados["validar"] == "skipped", as_14h
            assert armazem.dias() == []
            ptax.publicar(dia)
        as_18h = executar(dag_id, pasta=pasta, data_logica=f"{dia}T18:00:00-03:00")
        assert (as_14h.estado, as_18h.estado, as_18h.estados["carregar"]) == ("success",) * 3, as_18h

    assert armazem.dias() == ["2026-11-17", "2026-11-18"]


# Step 4: the widest spread `validar` accepts, in a variable, with a default.

@pytest.mark.parametrize(("versao", "maximo", "estado_de_validar", "dias"), [
    ("original", "0.0001", "success", ["2026-11-24"]),
    ("solucao", "0.0001", "failed", []),
    ("solucao", None, "success", ["2026-11-24"]),  # no variable: the default, 0.01
])
def test_passo_4_a_variable_decide_o_spread_aceito(executar, ptax, armazem, pasta_da, monkeypatch, versao,
                                                    maximo, estado_de_validar, dias):
    dag_id = "pratica_conexoes"
    if maximo is None:
        monkeypatch.delenv("AIRFLOW_VAR_PTAX_SPREAD_MAXIMO", raising=False)
    else:
        monkeypatch.setenv("AIRFLOW_VAR_PTAX_SPREAD_MAXIMO", maximo)

    # The stand-in's 24/11: buys at 5.3091 and sells at 5.3097, a spread of 0.0006.
    resultado = executar(dag_id, pasta=pasta_da(dag_id, versao), data_logica="2026-11-24T14:00:00-03:00")

    assert resultado.estados["validar"] == estado_de_validar, resultado
    assert armazem.dias() == dias
    if estado_de_validar == "failed":
        (erro,) = resultado.erros["validar"]
        assert erro.startswith("CotacaoInvalida: spread de 0.0006 em 2026-11-24")
        saidas.confere("pratica_solucao_conexoes", erro)


# Step 5: `extrair` tries again, and each failed try is an alert, also when the next one succeeds.

@pytest.mark.parametrize(("versao", "estado", "alertas"), [
    ("original", "failed", [("extrair", 1)]),
    ("solucao", "success", [("extrair", 1), ("extrair", 2)]),
])
def test_passo_5_cada_tentativa_que_falha_vira_um_alerta(executar, ptax, armazem, pasta_da, versao, estado,
                                                         alertas):
    dag_id = "pratica_monitoramento"
    ptax.falhar("2026-11-17", vezes=2)

    resultado = executar(dag_id, pasta=pasta_da(dag_id, versao), data_logica="2026-11-17T14:00:00-03:00")

    assert resultado.estado == estado, resultado
    assert armazem.alertas() == alertas


def test_passo_5_com_a_api_fora_do_ar_tres_tentativas_e_tres_alertas(executar, armazem, pasta_da,
                                                                      monkeypatch):
    # The reader's case on the stack, as the page sets it up: PTAX_ENDERECO at a port nothing
    # listens on. The alerts are read with the very query the page gives the reader.
    dag_id = "pratica_monitoramento"
    monkeypatch.setenv("AIRFLOW_CONN_BCB_PTAX", json.dumps({"conn_type": "http", "host": "http://127.0.0.1:9"}))
    pagina = (PAGINAS / "05-monitoramento.md").read_text(encoding="utf-8")
    (consulta,) = re.findall(r'psql -U airflow -d armazem -At -c "([^"]+)"', pagina)

    resultado = executar(dag_id, pasta=pasta_da(dag_id, "solucao"), data_logica="2026-11-17T14:00:00-03:00")

    assert (resultado.estado, resultado.tentativas["extrair"]) == ("failed", 3), resultado
    linhas = armazem.consultar(consulta)
    assert [(tarefa, tentativa) for tarefa, tentativa, _ in linhas] == [("extrair", 3), ("extrair", 2),
                                                                       ("extrair", 1)]
    assert all(erro.startswith("HTTPConnectionPool(host='127.0.0.1', port=9)") for _, _, erro in linhas)
    # psql's -A -t: each row's columns joined by "|", no header.
    saidas.confere("pratica_solucao_monitoramento", "\n".join("|".join(map(str, linha)) for linha in linhas))
