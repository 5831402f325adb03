"""Rules every DAG sample obeys, found without anyone registering it (DESIGN.md, "Layout")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PASTA_DAGS

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


def test_nenhum_erro_de_importacao(dagbag):
    erros = "\n\n".join(f"{arquivo}:\n{erro}" for arquivo, erro in dagbag.import_errors.items())
    assert not dagbag.import_errors, f"DAG files that fail to import:\n\n{erros}"


def test_cada_arquivo_define_uma_dag_com_o_seu_nome(dagbag, arquivos_de_dag):
    assert arquivos_de_dag, f"no DAG file found under {PASTA_DAGS}"
    for arquivo in arquivos_de_dag:
        ids = {d.dag_id for d in dagbag.dags.values() if Path(d.fileloc) == arquivo}
        assert ids == {arquivo.stem}, f"{arquivo} defines {ids or 'no DAG'}; expected {arquivo.stem!r}"


def test_cada_dag_tem_suas_expectativas_em_tests(dagbag):
    sem_teste = sorted(d for d in dagbag.dag_ids if not (AQUI / f"test_{d}.py").exists())
    assert not sem_teste, f"DAGs with no tests/dags/test_<dag_id>.py stating what they must do: {sem_teste}"


def test_start_date_fixa_e_com_fuso(dagbag):
    for dag in dagbag.dags.values():
        assert dag.start_date is not None and dag.start_date.tzinfo is not None, dag.dag_id


@pytest.mark.parametrize("padrao", IDIOMAS_AIRFLOW_2)
def test_sem_idiomas_do_airflow_2(padrao):
    for arquivo in PASTA_DAGS.rglob("*.py"):  # DAG files and the helper modules beside them
        achado = re.search(padrao, arquivo.read_text(encoding="utf-8"))
        assert not achado, f"{arquivo}: {achado.group(0)!r} is Airflow 2; {IDIOMAS_AIRFLOW_2[padrao]}"
