"""The doctor (docker/doutor.py), run the way readers run it, passes a healthy stack of either
profile. The failures it reports are reproduced one by one in test_solucao_de_problemas.py; that
every anchor it prints exists on the page is checked by the docs tier."""

from __future__ import annotations

from ferramentas import PERFIL, doutor


def test_stack_saudavel_o_doutor_sai_com_zero(stack):
    resultado = doutor()
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    executor = "airflow-worker" if PERFIL == "celery" else "airflow-scheduler"
    for linha in ["ok    airflow-scheduler: healthy", "ok    airflow-init: terminou o trabalho (código 0)",
                  "ok    o usuário dos contêineres (uid 50000) lê tudo em snippets/",
                  "ok    nenhum erro de importação de DAG",
                  f"ok    {executor} alcança a Task Execution API (http://airflow-apiserver:8080/execution/health)"]:
        assert linha in resultado.stdout, resultado.stdout
    if PERFIL == "celery":
        assert "ok    o Flower vê 2 worker(s)" in resultado.stdout
