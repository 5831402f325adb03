"""The troubleshooting entries met when running the course's DAGs with an Airflow installed on the
reader's own computer (docs/solucao-de-problemas.md, "DAGs do curso fora da stack"): each mistake
made for real in a subprocess, the quoted message checked, then the page's fix.

Every command gets its own copy of this tier's metadata DB (set by conftest.py and migrated by the
`dagbag` fixture): none pays for a migration, and none sees a DAG another one serialized. They run
two at a time, one per core, before the tests read what they printed.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
from conftest import PASTA_DAGS, RAIZ

AIRFLOW = str(Path(sys.executable).with_name("airflow"))

MINHA_DAG = """\
import pendulum
from airflow.sdk import dag, task


@dag(schedule=None, start_date=pendulum.datetime(2026, 11, 1, tz="America/Sao_Paulo"))
def minha_dag():
    @task
    def ola():
        return "olá"

    ola()


dag = minha_dag()
if __name__ == "__main__":
    dag.test()
"""


SCRIPT_COM_DAGBAG = (
    "from airflow.models import DagBag\n"
    "bag = DagBag('snippets/dags/orquestracao_vendas_diarias.py')\n"
    "print('ERROS', len(bag.import_errors), 'DAGS', sorted(bag.dag_ids))\n"
)


def rodar(pasta: Path, comando: tuple[str, ...], pasta_de_dags: Path, ambiente: dict[str, str]):
    """Run a command as a reader would, from the repository's root, on a copy of the metadata DB."""
    pasta.mkdir()
    banco = pasta / "airflow.db"
    with closing(sqlite3.connect(Path(os.environ["AIRFLOW_HOME"]) / "airflow.db")) as origem, \
            closing(sqlite3.connect(banco)) as copia:
        origem.backup(copia)  # SQLite's own copy: it includes what is still in the write-ahead log
    env = {**os.environ, "AIRFLOW__CORE__DAGS_FOLDER": str(pasta_de_dags),
           "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{banco}",
           "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO", **ambiente}
    if "PYTHONPATH" not in ambiente:
        env.pop("PYTHONPATH", None)  # a plain interpreter, as a reader runs one
    execucao = subprocess.run(comando, cwd=RAIZ, env=env, capture_output=True, text=True, timeout=300,
                              check=False)
    execucao.texto = execucao.stdout + execucao.stderr
    return execucao


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("reproducoes")
    (base / "outra-pasta").mkdir()
    (base / "outra-pasta" / "minha_dag.py").write_text(MINHA_DAG, encoding="utf-8")
    (base / "dags").mkdir()
    return base


@pytest.fixture(scope="module")
def saidas(dagbag, base) -> dict[str, subprocess.CompletedProcess]:
    outra, minha_dag = base / "outra-pasta", str(base / "outra-pasta" / "minha_dag.py")
    conf = f'{{"dia": "2026-11-24", "diretorio_saida": "{base / "relatorios"}"}}'
    comandos = {
        "dagbag": ((sys.executable, "-c", SCRIPT_COM_DAGBAG), PASTA_DAGS, {}),
        "dagbag_com_pythonpath": ((sys.executable, "-c", SCRIPT_COM_DAGBAG), PASTA_DAGS,
                                  {"PYTHONPATH": "snippets/dags"}),
        "dags_test_do_curso": ((AIRFLOW, "dags", "test", "orquestracao_vendas_diarias", "-c", conf),
                               PASTA_DAGS, {}),
        "dagfile_fora_do_bundle": ((AIRFLOW, "dags", "test", "minha_dag", "-f", minha_dag), base / "dags",
                                   {}),
        "dags_test_na_pasta_certa": ((AIRFLOW, "dags", "test", "minha_dag"), outra, {}),
        "dag_test_fora_da_pasta": ((sys.executable, minha_dag), base / "nao-existe", {}),
        "dag_test_na_pasta_certa": ((sys.executable, minha_dag), outra, {}),
    }
    with ThreadPoolExecutor(max_workers=2) as fila:
        futuros = {nome: fila.submit(rodar, base / nome, *comando) for nome, comando in comandos.items()}
    return {nome: futuro.result() for nome, futuro in futuros.items()}


def test_modulo_comum_nao_encontrado_num_dagbag_feito_a_mao(saidas):
    # Entry modulo-comum-nao-encontrado.
    erro = saidas["dagbag"]
    for linha in ['  File "snippets/dags/orquestracao_vendas_diarias.py", line 16, in <module>',
                  "    from comum.vendas import (", "ModuleNotFoundError: No module named 'comum'",
                  "[error    ] Error loading DAG from snippets/dags/orquestracao_vendas_diarias.py: "
                  "No module named 'comum' [airflow.dag_processing.dagbag.DagBag] loc=dagbag.py:319"]:
        assert linha in erro.texto, erro.texto[-3000:]
    assert "ERROS 1 DAGS []" in erro.stdout
    # The page's fix for one's own script: the DAG folder on sys.path.
    assert "ERROS 0 DAGS ['orquestracao_vendas_diarias']" in saidas["dagbag_com_pythonpath"].stdout


def test_dag_do_curso_pelo_airflow_dags_test(saidas, base):
    # The same entry's fix to run a course DAG end to end: the DAG folder is snippets/dags.
    execucao = saidas["dags_test_do_curso"]
    assert "state=success" in execucao.texto, execucao.texto[-3000:]
    assert (base / "relatorios" / "relatorio_2026-11-24.csv").is_file()


def test_dagfile_fora_do_bundle(saidas, base):
    # Entry dagfile-fora-do-bundle: -f names a file outside the configured DAG folder.
    erro = saidas["dagfile_fora_do_bundle"]
    assert erro.returncode != 0
    arquivo, configurada = base / "outra-pasta" / "minha_dag.py", base / "dags"
    esperado = f"ValueError: '{arquivo}' is not in the subpath of '{configurada}'"
    assert esperado in erro.texto, erro.texto[-3000:]
    assert "state=success" in saidas["dags_test_na_pasta_certa"].texto


def test_dag_nao_serializada(saidas, base):
    # Entry dag-nao-serializada: dag.test() in a file outside the configured (and missing) DAG folder.
    erro = saidas["dag_test_fora_da_pasta"]
    assert erro.returncode != 0
    assert ("airflow.sdk.exceptions.AirflowException: Cannot create DagRun for DAG minha_dag "
            "because the dag is not serialized") in erro.texto
    aviso = (f"Bundle 'dags-folder' path does not exist: {base / 'nao-existe'}. "
             "This may cause DAG loading issues.")
    assert aviso in erro.texto
    certo = saidas["dag_test_na_pasta_certa"]
    assert certo.returncode == 0 and "state=success" in certo.texto, certo.texto[-3000:]
