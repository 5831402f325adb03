"""Every CLI sample the site shows (snippets/cli/*.sh) runs against the stack, from docker/,
exactly as a reader types it, and prints what the chapters say it prints."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from conftest import PROJETO, RAIZ, dags_da_pasta

CLI = RAIZ / "snippets" / "cli"


def saude(saida: str) -> None:
    componentes = json.loads(saida)
    assert {nome: c["status"] for nome, c in componentes.items()} == dict.fromkeys(
        ["metadatabase", "scheduler", "triggerer", "dag_processor"], "healthy"
    )


def jobs_check(saida: str) -> None:
    assert saida.count("Found one alive job.") == 3


def dags(saida: str) -> None:
    for dag_id in dags_da_pasta():
        assert dag_id in saida
    assert re.search(r"orquestracao_vendas_diarias \| manual__", saida), "the triggered run is listed"


def tasks_test(saida: str) -> None:
    # The task runner's own lines: the task read the day's file and returned its rows.
    assert "Done. Returned value was: {'dia': '2026-11-24', 'linhas': [['data', 'loja'," in saida
    assert "Task failed with exception" not in saida


def backfill(saida: str) -> None:
    # Dates without a timezone are UTC midnight: 2026-11-24 09:00 UTC falls after --to-date.
    datas = re.findall(r"(2026-11-\d\d) 09:00:00\+00:00", saida)
    assert datas == ["2026-11-21", "2026-11-22", "2026-11-23"]


def pratica_backfill(saida: str) -> None:
    # 14h in Brasília is 17h UTC: one backfill run per weekday of the week, none for the weekend.
    datas = sorted(set(re.findall(r"backfill__(2026-11-\d\d)T17:00:00\+00:00", saida)))
    assert datas == ["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13"], saida


def pratica_primeira_execucao(saida: str) -> None:
    # It polls until the run ends; the last line is the run's final state.
    assert re.search(r"^primeira-execucao-\d{8}-\d{6}: success\n\Z", saida, re.M), saida[-2000:]


def variaveis_conexoes(saida: str) -> None:
    assert re.search(r"^curso$", saida, re.M)
    assert "host: armazem" in saida and "login: leitor" in saida


def config_db(saida: str) -> None:
    assert re.search(r"^CeleryExecutor$", saida, re.M)
    assert "Connection successful." in saida


ESPERADO = {
    "arquitetura_saude.sh": saude,
    "arquitetura_jobs_check.sh": jobs_check,
    "componentes_dags.sh": dags,
    "componentes_tasks_test.sh": tasks_test,
    "componentes_backfill.sh": backfill,
    "componentes_variaveis_conexoes.sh": variaveis_conexoes,
    "componentes_config_db.sh": config_db,
    "pratica_backfill.sh": pratica_backfill,
    "pratica_primeira_execucao.sh": pratica_primeira_execucao,
}


def test_toda_amostra_de_cli_tem_expectativa():
    assert {p.name for p in CLI.glob("*.sh")} == set(ESPERADO)


@pytest.mark.parametrize("script", sorted(ESPERADO))
def test_amostra_de_cli(stack, script):
    execucao = subprocess.run(
        ["bash", str(CLI / script)], cwd=RAIZ / "docker", stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300,
        env={**os.environ, "COMPOSE_PROJECT_NAME": PROJETO},
    )
    assert execucao.returncode == 0, f"{script} exited {execucao.returncode}:\n{execucao.stdout[-3000:]}"
    ESPERADO[script](execucao.stdout)
