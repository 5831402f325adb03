"""What the stack tier needs before Docker is even started: every sample has its expectation there
(tests/stack/expectativas.py), and every anchor the doctor prints is on the troubleshooting page.
Caught here, in seconds, rather than half an hour into the stack tier."""

from __future__ import annotations

import re

import solucao
from conftest import RAIZ
from stack.expectativas import EXECUCOES, SAIDAS_DA_CLI, dags_da_pasta, tetos_de_memoria


def test_toda_dag_tem_a_sua_execucao_na_stack():
    assert set(EXECUCOES) == dags_da_pasta(), "every DAG of snippets/dags needs an entry in EXECUCOES"


def test_toda_amostra_de_cli_tem_a_saida_esperada():
    scripts = {p.name for p in (RAIZ / "snippets" / "cli").glob("*.sh")}
    assert set(SAIDAS_DA_CLI) == scripts, "every snippets/cli/*.sh needs its check in SAIDAS_DA_CLI"


def test_toda_ancora_que_o_doutor_cita_existe_na_pagina():
    fonte = (RAIZ / "docker" / "doutor.py").read_text(encoding="utf-8")
    citadas = set(re.findall(r'ancora="([a-z0-9-]+)"', fonte))
    citadas |= set(re.findall(r'"[A-Z_]+": \("[A-Z_]+", "([a-z0-9-]+)"\)', fonte))  # COMPARTILHADOS
    assert len(citadas) >= 10
    assert citadas - set(solucao.entradas()) == set()


def test_a_pagina_do_ambiente_diz_quanta_memoria_cada_perfil_usa():
    # The stack tier fails when a profile's measured peak passes these figures.
    tetos = tetos_de_memoria()
    assert 1 < tetos["leve"] < tetos["celery"] < 4, tetos
