"""Chapter 5, step 8 (docs/05-pratica/08-desafio.md): the weekly reload, the challenge's solution.

The challenge's requirements are the readers' own tests (snippets/testes/test_desafio.py), which the
`leitor` tier runs against this solution, against a copy of it saved as the reader's file and against
a flawed one (tests/leitor/test_suite_do_leitor.py). What stays here is the course's alone: the alert
table of an earlier version upgraded by this DAG's mapped failures, and the reader's starting point.
"""

from __future__ import annotations

import subprocess

from conftest import PASTA_DAGS, RAIZ
from do_leitor import ARQUIVO, DESAFIO

DAG_ID = "pratica_desafio"
ESQUELETO = RAIZ / "snippets" / "esqueletos" / f"{DESAFIO}.py"


def test_a_tabela_de_alertas_de_uma_versao_anterior_ganha_o_map_index(executar, ptax, armazem):
    # The table and the unique index an earlier version of the course created, with one alert in it.
    armazem.consultar("CREATE TABLE alerta_pipeline (dag_id TEXT NOT NULL, run_id TEXT NOT NULL, "
                      "task_id TEXT NOT NULL, tentativa INTEGER NOT NULL, erro TEXT NOT NULL, "
                      "registrado_em TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP)")
    armazem.consultar("CREATE UNIQUE INDEX alerta_pipeline_uma_por_tentativa "
                      "ON alerta_pipeline (dag_id, run_id, task_id, tentativa)")
    armazem.consultar("INSERT INTO alerta_pipeline (dag_id, run_id, task_id, tentativa, erro) "
                      "VALUES ('pratica_erros', 'antiga', 'extrair', 5, 'um alerta antigo')")
    ptax.manutencao("2026-11-11")
    ptax.manutencao("2026-11-12")

    executar(DAG_ID, data_logica="2026-11-13T15:00:00-03:00")

    assert armazem.consultar("SELECT task_id, map_index, tentativa FROM alerta_pipeline ORDER BY map_index") \
        == [("extrair", -1, 5), ("carregar_dia", 2, 1), ("carregar_dia", 3, 1)]
    assert [nome for (nome,) in armazem.consultar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'alerta_pipeline'")] \
        == ["alerta_pipeline_uma_por_instancia_e_tentativa"]


def test_o_esqueleto_do_leitor_carrega_a_dag_meu_desafio_sem_erro(dagbag):
    # The page has the reader copy the skeleton into snippets/dags as is: parsed there, beside comum/,
    # it must define their DAG id and nothing else, with no import error.
    from airflow.dag_processing.dagbag import BundleDagBag

    bag = BundleDagBag(dag_folder=ESQUELETO, bundle_path=PASTA_DAGS, bundle_name="dags-folder")
    assert bag.import_errors == {}
    assert bag.dag_ids == [DESAFIO]
    assert bag.dags[DESAFIO].task_ids == []


def test_o_arquivo_do_leitor_fica_fora_do_git():
    # The page promises the reader's file never shows in their `git status`.
    ignorado = subprocess.run(["git", "check-ignore", "-q", str(ARQUIVO.relative_to(RAIZ))], cwd=RAIZ)
    assert ignorado.returncode == 0, f"{ARQUIVO.relative_to(RAIZ)} is not in .gitignore"
