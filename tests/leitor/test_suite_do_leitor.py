"""Chapter 5, step 7 (docs/05-pratica/07-testes.md): the test suite readers copy (snippets/testes)
runs green as readers run it, with its own pytest, and goes red when the DAG it guards loses what
the chapter says it checks. The two runs go side by side, one per core."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import PASTA_DAGS, RAIZ

SUITE = RAIZ / "snippets" / "testes"


def rodar_suite(*args: str, pasta_dags=PASTA_DAGS) -> subprocess.CompletedProcess:
    ambiente = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    ambiente["PASTA_DAGS"] = str(pasta_dags)
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(SUITE), "-q", "-p", "no:cacheprovider", *args],
        cwd=RAIZ, env=ambiente, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def execucoes(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    # The DAG that lost its retries: a copy of the DAG folder where `retries=4` became `retries=0`.
    copia = shutil.copytree(PASTA_DAGS, tmp_path_factory.mktemp("sem-novas-tentativas") / "dags")
    dag = copia / "pratica_erros.py"
    dag.write_text(dag.read_text().replace("retries=4,", "retries=0,"))
    with ThreadPoolExecutor(max_workers=2) as fila:
        inteira = fila.submit(rodar_suite)
        estragada = fila.submit(rodar_suite, "-k", "tenta_de_novo or esgota_as_tentativas", pasta_dags=copia)
    return {"inteira": inteira.result(), "estragada": estragada.result()}


def test_a_suite_do_leitor_passa(execucoes):
    saida = execucoes["inteira"]
    assert saida.returncode == 0, saida.stdout + saida.stderr
    numero_de_testes = sum(len(re.findall(r"^def test_", arquivo.read_text(), re.M))
                           for arquivo in SUITE.glob("test_*.py"))
    assert re.search(rf"^{numero_de_testes + 3} passed", saida.stdout, re.M), saida.stdout  # + 3 parametrized


def test_a_suite_do_leitor_pega_a_dag_que_perdeu_as_novas_tentativas(execucoes):
    # Against the broken copy run the test that guards the retries, which fails on the retries and not
    # on something else, and the one the page says would still pass (it counts `1 + retries` requests
    # with whatever `retries` the DAG has); the others are deselected.
    saida = execucoes["estragada"]
    assert saida.returncode == 1, saida.stdout
    assert re.search(r"^1 failed, 1 passed, \d+ deselected", saida.stdout, re.M), saida.stdout
    assert "FAILED snippets/testes/test_pratica_erros.py::test_so_a_extracao_tenta_de_novo" in saida.stdout
    assert "AssertionError: assert {} == {'extrair': 4}" in saida.stdout, saida.stdout
