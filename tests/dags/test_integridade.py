"""Rules every DAG sample obeys, found without anyone registering it: a new file in snippets/dags is
checked as soon as it exists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ARQUIVOS_DAG, PASTA_DAGS
from do_leitor import do_leitor

# Each rule below has one test case per DAG file, named by it, as Airflow's tests of its example DAGs.
ARQUIVOS = ARQUIVOS_DAG

AQUI = Path(__file__).parent

# Airflow 2 idioms that must not appear in samples (the chapters compare them in prose).
IDIOMAS_AIRFLOW_2 = {
    r"\bschedule_interval\b": "use schedule=",
    r"\bexecution_date\b": "use logical_date (None for manual runs)",
    r"\bairflow\.operators\.": "operators live in airflow.providers.standard",
    r"\bdays_ago\b": "use a fixed, timezone-aware start_date",
    r"\bfrom airflow import DAG\b|\bfrom airflow\.models import DAG\b": "import from airflow.sdk",
    r"\bfrom airflow\.decorators\b": "import from airflow.sdk",
}


@dataclass
class Leitura:
    """What parsing one DAG file did, the way the DAG processor parses it."""

    dag_ids: list[str]
    erros: dict[str, str]
    consultas: list[str]  # SQL statements sent to the metadata DB while parsing
    acessos: list[str]  # connections and variables read while parsing


@pytest.fixture(scope="module")
def leituras(dagbag) -> dict[str, Leitura]:
    """Each DAG file parsed alone, with the metadata DB's statements and every connection or variable
    read recorded: the spies call the real functions, they only take note."""
    from airflow import settings
    from airflow.dag_processing.dagbag import BundleDagBag
    from airflow.sdk.execution_time import context
    from sqlalchemy import event

    consultas: list[str] = []
    acessos: list[str] = []

    def anotar(nome: str):
        original = getattr(context, nome)

        def anotado(*args, **kwargs):
            acessos.append(f"{nome}{args}")
            return original(*args, **kwargs)

        return anotado

    def consulta(_conexao, _cursor, sql, *_):
        consultas.append(sql)

    resultado = {}
    event.listen(settings.engine, "before_cursor_execute", consulta)
    with pytest.MonkeyPatch.context() as espiar:
        for nome in ("_get_connection", "_get_variable"):
            espiar.setattr(context, nome, anotar(nome))
        for arquivo in ARQUIVOS:
            consultas.clear()
            acessos.clear()
            bag = BundleDagBag(dag_folder=arquivo, bundle_path=PASTA_DAGS, bundle_name="dags-folder")
            resultado[arquivo.name] = Leitura(sorted(bag.dag_ids), dict(bag.import_errors), list(consultas),
                                              list(acessos))
    event.remove(settings.engine, "before_cursor_execute", consulta)
    return resultado


def test_os_arquivos_sao_os_que_o_airflow_le(dagbag):
    from airflow.utils.file import list_py_file_paths

    lidos = sorted(Path(p) for p in list_py_file_paths(PASTA_DAGS, safe_mode=False)  # .airflowignore too
                   if not do_leitor(p))
    assert ARQUIVOS, f"no DAG file found under {PASTA_DAGS}"
    assert lidos == ARQUIVOS, "a DAG file outside the top level would escape the rules below"


@pytest.mark.parametrize("arquivo", ARQUIVOS, ids=lambda p: p.name)
def test_importa_sem_erro_e_define_a_dag_com_o_seu_nome(leituras, arquivo):
    leitura = leituras[arquivo.name]
    assert leitura.erros == {}, "\n\n".join(leitura.erros.values())
    assert leitura.dag_ids == [arquivo.stem]


@pytest.mark.parametrize("arquivo", ARQUIVOS, ids=lambda p: p.name)
def test_ler_o_arquivo_nao_consulta_o_banco_de_metadados(leituras, arquivo):
    # As Airflow's own example DAGs: at most the one statement parsing itself makes. The DAG processor
    # parses every file every 30 s in the course's stack; a query at the top of a file runs each time.
    assert len(leituras[arquivo.name].consultas) <= 1, leituras[arquivo.name].consultas


@pytest.mark.parametrize("arquivo", ARQUIVOS, ids=lambda p: p.name)
def test_ler_o_arquivo_nao_le_connections_nem_variables(leituras, arquivo):
    # Connections and variables are read inside tasks, at run time, never at the top of the file.
    assert leituras[arquivo.name].acessos == []


def test_a_pasta_inteira_importa_sem_erro(dagbag):
    erros = "\n\n".join(f"{arquivo}:\n{erro}" for arquivo, erro in dagbag.import_errors.items())
    assert not dagbag.import_errors, f"DAG files that fail to import:\n\n{erros}"


def test_cada_dag_tem_suas_expectativas_em_tests(dagbag):
    sem_teste = sorted(d for d in dagbag.dag_ids if not (AQUI / f"test_{d}.py").exists())
    assert not sem_teste, f"DAGs with no tests/dags/test_<dag_id>.py stating what they must do: {sem_teste}"


def test_start_date_fixa_e_com_fuso(dagbag):
    for dag in dagbag.dags.values():
        assert dag.start_date is not None and dag.start_date.tzinfo is not None, dag.dag_id


@pytest.mark.parametrize("padrao", IDIOMAS_AIRFLOW_2)
def test_sem_idiomas_do_airflow_2(padrao):
    for arquivo in (a for a in PASTA_DAGS.rglob("*.py") if not do_leitor(a)):  # DAGs and their modules
        achado = re.search(padrao, arquivo.read_text(encoding="utf-8"))
        assert not achado, f"{arquivo}: {achado.group(0)!r} is Airflow 2; {IDIOMAS_AIRFLOW_2[padrao]}"
