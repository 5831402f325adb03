"""The troubleshooting page's Airflow 2 DAG (snippets/migracao/): each error its table quotes, in
the order a reader meets them while fixing the file line by line, and the migrated file, which
parses into one DAG. Parsed as the DAG processor parses; the stack tier shows the same first
error in the UI's import errors."""

from __future__ import annotations

import warnings
from pathlib import Path

from conftest import RAIZ

MIGRACAO = RAIZ / "snippets" / "migracao"
ANTIGA = (MIGRACAO / "ola_airflow2.py").read_text(encoding="utf-8")


def importar(pasta: Path, texto: str):
    from airflow.dag_processing.dagbag import BundleDagBag

    (pasta / "ola_migracao.py").write_text(texto, encoding="utf-8")
    return BundleDagBag(dag_folder=pasta, bundle_path=pasta, bundle_name="migracao")


def ultima_linha(dagbag) -> str:
    (erro,) = dagbag.import_errors.values()
    return erro.strip().splitlines()[-1]


def test_primeiro_erro_e_o_days_ago(dagbag, tmp_path):
    assert ultima_linha(importar(tmp_path, ANTIGA)).startswith(
        "ImportError: cannot import name 'days_ago' from 'airflow.utils.dates' ("
    )


def test_sem_o_days_ago_o_erro_e_o_schedule_interval(dagbag, tmp_path):
    texto = ANTIGA.replace("from airflow.utils.dates import days_ago\n", "").replace(
        "start_date=days_ago(1)", "start_date=None"
    )
    assert ultima_linha(importar(tmp_path, texto)) == (
        "TypeError: DAG.__init__() got an unexpected keyword argument 'schedule_interval'"
    )


def test_o_import_antigo_do_operator_ainda_funciona_com_aviso():
    from airflow.providers.standard.operators.python import PythonOperator

    with warnings.catch_warnings(record=True) as avisos:
        warnings.simplefilter("always")
        from airflow.operators.python import PythonOperator as Antigo
    assert Antigo is PythonOperator  # noqa: AIR312 (the old path is the point)
    assert any("The `airflow.operators.python.PythonOperator` attribute is deprecated" in str(a.message)
               for a in avisos)


def test_a_versao_migrada_importa(dagbag, tmp_path):
    migrada = importar(tmp_path, (MIGRACAO / "ola_airflow3.py").read_text(encoding="utf-8"))
    assert not migrada.import_errors
    assert list(migrada.dag_ids) == ["ola_migracao"]
    dag = migrada.dags["ola_migracao"]
    assert dag.start_date.tzinfo is not None and dag.catchup is False
