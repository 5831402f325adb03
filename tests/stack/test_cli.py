"""Every CLI sample the site shows (snippets/cli/*.sh) runs against the stack, from docker/,
exactly as a reader types it, and prints what tests/stack/expectativas.py says it prints."""

from __future__ import annotations

import pytest
from expectativas import SAIDAS_DA_CLI
from ferramentas import RAIZ, como_o_leitor

pytestmark = pytest.mark.perfil("celery")


@pytest.mark.parametrize("script", sorted(SAIDAS_DA_CLI))
def test_amostra_de_cli(stack, script):
    execucao = como_o_leitor("bash", str(RAIZ / "snippets" / "cli" / script))
    assert execucao.returncode == 0, f"{script} exited {execucao.returncode}:\n{execucao.stdout[-3000:]}"
    SAIDAS_DA_CLI[script](execucao.stdout)
