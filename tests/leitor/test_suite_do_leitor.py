"""Chapter 5, steps 7 and 8 (docs/05-pratica/07-testes.md, 08-desafio.md): the test suite readers copy
(snippets/testes) runs green as readers run it, with its own pytest, and goes red when the DAG it guards
loses what the chapter says it checks. Its challenge tests (test_desafio.py) pass on the course's
solution, on that solution saved as the reader's own file, and fail, naming the requirement, on a
reader's solution that gets one wrong. The runs go two at a time, one per core.

Every run gets a copy of the DAG folder: the reader's own file never lands in snippets/dags, and one
an author's checkout may hold there stays out of the course's runs (tests/do_leitor.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import saidas
from conftest import PASTA_DAGS, RAIZ
from do_leitor import DESAFIO, do_leitor

SUITE = RAIZ / "snippets" / "testes"
TESTES_DO_DESAFIO = SUITE / "test_desafio.py"
SOLUCAO = PASTA_DAGS / "pratica_desafio.py"
# The flaw: a malformed answer re-raised as any exception, which spends the task's retries, instead of
# the one that fails the task at once.
SEM_NOVAS_TENTATIVAS = "raise AirflowFailException(str(erro)) from erro"
COM_NOVAS_TENTATIVAS = "raise ValueError(str(erro)) from erro"
# The reader's tasks need not bear the solution's names: the tests find them by what they are.
OUTROS_NOMES = {"carregar_dia": "buscar_o_dia", "resumir": "fechar_a_semana"}
DURACAO = r"\d+\.\d+s(?: \(\d+:\d\d:\d\d\))?"  # pytest's "in 31.98s", "in 65.20s (0:01:05)" past a minute


def rodar_suite(pasta_dags: Path, *args: str, desafio: str | None = None,
                alvo: Path = SUITE) -> subprocess.CompletedProcess:
    # The captured output must not depend on where the tier runs: pytest fits its summary lines to
    # the terminal's width (COLUMNS; a non-interactive run's is 80), and when CI or BUILD_NUMBER is
    # set it prints each failure's whole message instead, as a reader's terminal never does.
    ambiente = {k: v for k, v in os.environ.items()
                if not k.startswith("AIRFLOW") and k not in {"DESAFIO", "CI", "BUILD_NUMBER"}}
    ambiente["PASTA_DAGS"] = str(pasta_dags)
    ambiente["COLUMNS"] = "80"
    if desafio:
        ambiente["DESAFIO"] = desafio
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(alvo.relative_to(RAIZ)), "-q", "-p", "no:cacheprovider", *args],
        cwd=RAIZ, env=ambiente, capture_output=True, text=True, timeout=600,
    )


def pasta_do_curso(destino: Path) -> Path:
    """A copy of snippets/dags as the course ships it."""
    def de_fora(pasta: str, nomes: list[str]) -> list[str]:
        return [n for n in nomes if n == "__pycache__" or do_leitor(Path(pasta, n))]

    return shutil.copytree(PASTA_DAGS, destino / "dags", ignore=de_fora)


def com_o_arquivo_do_leitor(destino: Path, trocas: dict[str, str] | None = None) -> Path:
    """The course's DAG folder plus the reader's file: the solution with their DAG id, and `trocas`."""
    pasta = pasta_do_curso(destino)
    texto = SOLUCAO.read_text().replace("pratica_desafio", DESAFIO)
    for antes, depois in (trocas or {}).items():
        assert antes in texto, f"{SOLUCAO.name} no longer has {antes!r}"
        texto = texto.replace(antes, depois)
    (pasta / f"{DESAFIO}.py").write_text(texto)
    return pasta


@pytest.fixture(scope="module")
def execucoes(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    pasta = tmp_path_factory.mktemp
    # The DAG that lost its retries: a copy of the DAG folder where `retries=4` became `retries=0`.
    estragada = pasta_do_curso(pasta("sem-novas-tentativas"))
    dag = estragada / "pratica_erros.py"
    dag.write_text(dag.read_text().replace("retries=4,", "retries=0,"))
    meu_desafio = com_o_arquivo_do_leitor(pasta("meu-desafio"), OUTROS_NOMES)
    com_defeito = com_o_arquivo_do_leitor(pasta("com-defeito"), {SEM_NOVAS_TENTATIVAS: COM_NOVAS_TENTATIVAS})
    do_desafio = {"desafio": DESAFIO, "alvo": TESTES_DO_DESAFIO}
    with ThreadPoolExecutor(max_workers=2) as fila:
        futuros = {
            "inteira": fila.submit(rodar_suite, pasta_do_curso(pasta("curso"))),
            "estragada": fila.submit(rodar_suite, estragada,
                                     "-k", "so_a_extracao_tenta_de_novo or esgota_as_tentativas"),
            "meu_desafio": fila.submit(rodar_suite, meu_desafio, "-rA", **do_desafio),
            "desafio_com_defeito": fila.submit(rodar_suite, com_defeito, **do_desafio),
        }
    return {nome: futuro.result() for nome, futuro in futuros.items()}


def contar_testes(*arquivos: Path) -> int:
    return sum(len(re.findall(r"^def test_", arquivo.read_text(), re.M)) for arquivo in arquivos)


def test_a_suite_do_leitor_passa(execucoes):
    saida = execucoes["inteira"]
    assert saida.returncode == 0, saida.stdout + saida.stderr
    numero_de_testes = contar_testes(*SUITE.glob("test_*.py"))
    (resumo,) = re.findall(rf"^{numero_de_testes + 3} passed.*", saida.stdout, re.M)  # + 3 parametrized
    saidas.confere("pratica_suite_do_leitor", resumo, variaveis=(DURACAO,))  # step 7's last line


def test_a_suite_do_leitor_pega_a_dag_que_perdeu_as_novas_tentativas(execucoes):
    # Against the broken copy run the test that guards the retries, which fails on the retries and not
    # on something else, and the one the page says would still pass (it counts `1 + retries` requests
    # with whatever `retries` the DAG has); the others are deselected.
    saida = execucoes["estragada"]
    assert saida.returncode == 1, saida.stdout
    assert re.search(r"^1 failed, 1 passed, \d+ deselected", saida.stdout, re.M), saida.stdout
    assert "FAILED snippets/testes/test_pratica_erros.py::test_so_a_extracao_tenta_de_novo" in saida.stdout
    assert "AssertionError: assert {} == {'extrair': 4}" in saida.stdout, saida.stdout


def test_os_testes_do_desafio_passam_com_a_dag_do_leitor(execucoes):
    # The solution saved as the reader's file, its tasks renamed: every challenge test runs on their DAG
    # id, and passes.
    saida = execucoes["meu_desafio"]
    assert saida.returncode == 0, saida.stdout + saida.stderr
    passaram = re.findall(r"^PASSED snippets/testes/test_desafio\.py::(\w+)\[(\w+)\]", saida.stdout, re.M)
    assert len(passaram) == contar_testes(TESTES_DO_DESAFIO), saida.stdout
    assert {dag_id for _, dag_id in passaram} == {DESAFIO}


def test_os_testes_do_desafio_apontam_o_requisito_que_a_dag_do_leitor_erra(execucoes):
    # A reader's solution whose malformed answers spend the retries: the one test of that requirement
    # fails, on the requests the API got for that day, and every other requirement still passes.
    saida = execucoes["desafio_com_defeito"]
    assert saida.returncode == 1, saida.stdout + saida.stderr
    teste = f"test_resposta_malformada_falha_sem_novas_tentativas_e_vira_alerta[{DESAFIO}]"
    assert re.findall(r"^FAILED (\S+)", saida.stdout, re.M) == [f"snippets/testes/test_desafio.py::{teste}"]
    assert re.search(rf"^1 failed, {contar_testes(TESTES_DO_DESAFIO) - 1} passed in ", saida.stdout, re.M)
    assert "AssertionError: a resposta malformada não tem novas tentativas" in saida.stdout, saida.stdout
    # What the page shows of it: the failed statement (its ">" line and, at 75 columns, the lines it
    # goes on over, up to pytest's first "E"), pytest's explanation, and the closing summary.
    trecho, no_comando = [], False
    for linha in saida.stdout.splitlines():
        no_comando = linha.startswith("> ") or (no_comando and not linha.startswith("E "))
        if no_comando or re.match(r"E |FAILED |\d+ failed", linha):
            trecho.append(linha)
    saidas.confere("pratica_desafio_com_defeito", "\n".join(trecho), variaveis=(DURACAO,))


def test_a_pagina_do_desafio_nomeia_cada_teste_do_desafio():
    # The page's table maps each requirement to the test that checks it: no test missing, none renamed.
    pagina = (RAIZ / "docs" / "05-pratica" / "08-desafio.md").read_text(encoding="utf-8")
    na_tabela = set(re.findall(r"^\| `(test_\w+)` \|", pagina, re.M))
    assert na_tabela == set(re.findall(r"^def (test_\w+)", TESTES_DO_DESAFIO.read_text(), re.M))
