"""The doctor (docker/doutor.py), run the way readers run it, passes a healthy stack of either
profile, and every troubleshooting entry it links to exists. The failures it reports are
reproduced one by one in test_solucao_de_problemas.py."""

from __future__ import annotations

import re

from conftest import PERFIL, RAIZ, doutor

PAGINA = RAIZ / "docs" / "solucao-de-problemas.md"


def ancoras_da_pagina() -> set[str]:
    return set(re.findall(r"\{#([a-z0-9-]+)\}", PAGINA.read_text(encoding="utf-8")))


def test_toda_ancora_que_o_doutor_cita_existe_na_pagina():
    fonte = (RAIZ / "docker" / "doutor.py").read_text(encoding="utf-8")
    citadas = set(re.findall(r'ancora="([a-z0-9-]+)"', fonte))
    assert len(citadas) >= 9 and citadas <= ancoras_da_pagina(), citadas - ancoras_da_pagina()


def test_stack_saudavel_o_doutor_sai_com_zero(stack):
    resultado = doutor()
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    executor = "airflow-worker" if PERFIL == "celery" else "airflow-scheduler"
    for linha in ["ok    airflow-scheduler: healthy", "ok    airflow-init: terminou o trabalho (código 0)",
                  "ok    o usuário dos contêineres (uid 50000) lê tudo em snippets/",
                  "ok    nenhum erro de importação de DAG",
                  f"ok    {executor} alcança a API de execução (http://airflow-apiserver:8080/execution/health)"]:
        assert linha in resultado.stdout, resultado.stdout
    if PERFIL == "celery":
        assert "ok    o Flower vê 2 worker(s)" in resultado.stdout
