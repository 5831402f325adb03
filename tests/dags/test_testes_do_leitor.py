"""Chapter 5, step 7 (docs/05-pratica/07-testes.md): the test suite readers copy runs green, and goes red
when the DAG it guards loses what the chapter says it checks. It runs as readers run it: its own pytest."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from conftest import PASTA_DAGS, RAIZ

SUITE = RAIZ / "snippets" / "testes"


def rodar_suite(*args: str, pasta_dags=PASTA_DAGS) -> subprocess.CompletedProcess:
    ambiente = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    ambiente["PASTA_DAGS"] = str(pasta_dags)
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(SUITE), "-q", "-p", "no:cacheprovider", *args],
        cwd=RAIZ, env=ambiente, capture_output=True, text=True, timeout=300,
    )


def test_a_suite_do_leitor_passa():
    saida = rodar_suite()
    assert saida.returncode == 0, saida.stdout + saida.stderr
    numero_de_testes = len(re.findall(r"^def test_", (SUITE / "test_pratica_erros.py").read_text(), re.M))
    assert re.search(rf"^{numero_de_testes + 3} passed", saida.stdout, re.M), saida.stdout  # + 3 parametrized


def test_a_suite_do_leitor_pega_a_dag_que_perdeu_as_novas_tentativas(tmp_path):
    copia = shutil.copytree(PASTA_DAGS, tmp_path / "dags")
    dag = copia / "pratica_erros.py"
    dag.write_text(dag.read_text().replace("retries=4,", "retries=0,"))

    saida = rodar_suite("-k", "tenta_de_novo", pasta_dags=copia)

    assert saida.returncode == 1, saida.stdout
    assert "1 failed" in saida.stdout and "test_so_a_extracao_tenta_de_novo" in saida.stdout
