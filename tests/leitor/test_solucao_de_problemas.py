"""The troubleshooting entries met when running the course's DAGs with an Airflow installed on the
reader's own computer (docs/solucao-de-problemas.md, "DAGs do curso fora da stack"): each mistake
made for real in a subprocess, the quoted message checked, then the page's fix.

Every command runs in an AIRFLOW_HOME of its own, with a copy of a migrated metadata DB (conftest.py).
They run two at a time, one per core, before the tests read what they printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import solucao
from conftest import AIRFLOW, PASTA_DAGS, RAIZ

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


def rodar(pasta: Path, banco: Path, comando: tuple[str, ...], pasta_de_dags: Path, ambiente: dict[str, str]):
    """Run a command as a reader would, from the repository's root, with `pasta` as its AIRFLOW_HOME."""
    pasta.mkdir()
    shutil.copy(banco, pasta / "airflow.db")
    env = {**os.environ, "AIRFLOW_HOME": str(pasta), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "AIRFLOW__CORE__DAGS_FOLDER": str(pasta_de_dags), "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
           **ambiente}
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
def saidas(banco_migrado, base) -> dict[str, subprocess.CompletedProcess]:
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
        futuros = {nome: fila.submit(rodar, base / nome, banco_migrado, *comando)
                   for nome, comando in comandos.items()}
    return {nome: futuro.result() for nome, futuro in futuros.items()}


@pytest.mark.entrada("modulo-comum-nao-encontrado")
def test_modulo_comum_nao_encontrado_num_dagbag_feito_a_mao(saidas):
    erro = saidas["dagbag"]
    traceback, log = solucao.blocos("modulo-comum-nao-encontrado")
    # The page's traceback starts in a reader's own virtualenv; this one, in the tier's.
    lib = Path(sys.executable).parents[1] / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    solucao.confere(traceback, erro.texto, {"/home/voce/.venv/lib/python3.11": str(lib)})
    solucao.confere(log, erro.texto)
    assert "ERROS 1 DAGS []" in erro.stdout
    # The page's fix for one's own script: the DAG folder on sys.path.
    assert "ERROS 0 DAGS ['orquestracao_vendas_diarias']" in saidas["dagbag_com_pythonpath"].stdout


@pytest.mark.entrada("modulo-comum-nao-encontrado")
def test_dag_do_curso_pelo_airflow_dags_test(saidas, base):
    # The same entry's fix to run a course DAG end to end: the DAG folder is snippets/dags.
    execucao = saidas["dags_test_do_curso"]
    assert "state=success" in execucao.texto, execucao.texto[-3000:]
    assert (base / "relatorios" / "relatorio_2026-11-24.csv").is_file()


@pytest.mark.entrada("dagfile-fora-do-bundle")
def test_dagfile_fora_do_bundle(saidas, base):
    # -f names a file outside the configured DAG folder.
    erro = saidas["dagfile_fora_do_bundle"]
    assert erro.returncode != 0
    trocas = {"/tmp/outra-pasta/minha_dag.py": str(base / "outra-pasta" / "minha_dag.py"),
              "/tmp/tmp.IfwLYVXa2w/dags": str(base / "dags")}
    if sys.version_info >= (3, 12):  # as the page says, the sentence ends at the second path there
        trocas[" OR one path is relative and the other is absolute."] = ""
    solucao.confere(solucao.citacoes("dagfile-fora-do-bundle"), erro.texto, trocas)
    assert "state=success" in saidas["dags_test_na_pasta_certa"].texto  # the fix


@pytest.mark.entrada("dag-nao-serializada")
def test_dag_nao_serializada(saidas, base):
    # dag.test() in a file outside the configured (and missing) DAG folder.
    erro = saidas["dag_test_fora_da_pasta"]
    assert erro.returncode != 0
    solucao.confere(solucao.citacoes("dag-nao-serializada"), erro.texto,
                    {"/tmp/tmp.A6MjnheCVF/dags": str(base / "nao-existe")})
    certo = saidas["dag_test_na_pasta_certa"]  # the fix
    assert certo.returncode == 0 and "state=success" in certo.texto, certo.texto[-3000:]
