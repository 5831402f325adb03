"""Every CLI sample the site shows (snippets/cli/*.sh) runs against the stack, from docker/,
exactly as a reader types it, and prints what tests/stack/expectativas.py says it prints."""

from __future__ import annotations

import os
import subprocess

import pytest
from expectativas import SAIDAS_DA_CLI
from ferramentas import PROJETO, RAIZ

pytestmark = pytest.mark.perfil("celery")


@pytest.mark.parametrize("script", sorted(SAIDAS_DA_CLI))
def test_amostra_de_cli(stack, script):
    execucao = subprocess.run(
        ["bash", str(RAIZ / "snippets" / "cli" / script)], cwd=RAIZ / "docker", stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300,
        env={**os.environ, "COMPOSE_PROJECT_NAME": PROJETO},
    )
    assert execucao.returncode == 0, f"{script} exited {execucao.returncode}:\n{execucao.stdout[-3000:]}"
    SAIDAS_DA_CLI[script](execucao.stdout)
