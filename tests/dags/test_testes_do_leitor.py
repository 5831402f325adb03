"""Chapter 5, step 7 (docs/05-pratica/07-testes.md): the trap the page warns about, as Airflow 3.3.2
springs it. The readers' suite itself runs in the `leitor` tier, as readers run it."""

from __future__ import annotations

from conftest import dag_do_arquivo


def test_a_mesma_dag_rodada_duas_vezes_leva_a_conf_adiante(dagbag, ptax, armazem):
    # The trap the page warns about, as Airflow 3.3.2 springs it: dag.test() merges the run's conf into
    # the Params of the DAG object it runs, so the second run, with no conf, loads the first run's day
    # instead of the Param's default (2026-11-24). The readers' `nova_dag` fixture reads the file anew.
    dag = dag_do_arquivo("pratica_primeira_versao")
    assert dag.test(run_conf={"dia": "2026-11-17"}).state == "success"
    assert dag.test().state == "success"
    assert ptax.chamadas() == {"2026-11-17": 2}
