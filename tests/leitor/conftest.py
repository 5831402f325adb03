"""The `leitor` tier: what a reader runs with an Airflow installed on their own computer, outside the
stack, each command a fresh process as theirs is: the chapter 5 test suite (snippets/testes), the
troubleshooting entries of "DAGs do curso fora da stack", and Airflow 2's commands chapter 3 quotes.

Every such process pays Airflow's own start, about 6 s to import it and 10 s more before its first
task runs, so these tests live apart from the `dags` tier, the authors' quick loop.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
PASTA_DAGS = RAIZ / "snippets" / "dags"
AIRFLOW = str(Path(sys.executable).with_name("airflow"))


@pytest.fixture(scope="session")
def banco_migrado(tmp_path_factory) -> Path:
    """A metadata DB made once by `airflow db migrate`, as a reader makes theirs; each command gets a
    copy of its own, so none pays for a migration and none sees what another one wrote."""
    casa = tmp_path_factory.mktemp("airflow-migrado")
    ambiente = {**os.environ, "AIRFLOW_HOME": str(casa), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    migracao = subprocess.run([AIRFLOW, "db", "migrate"], capture_output=True, text=True, timeout=300,
                              env=ambiente)
    assert migracao.returncode == 0, migracao.stdout + migracao.stderr
    return casa / "airflow.db"
