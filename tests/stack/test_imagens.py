"""The images the stack runs are the versions readers pull: where no registry answers, the stack is
built here from Debian's packages (docker/offline), and its Postgres and Redis must then be the major
versions of the compose file's default images."""

from __future__ import annotations

import re

import pytest
from ferramentas import RAIZ, compose


def versao_padrao(variavel: str) -> str:
    """The version in the tag of the compose file's default image, e.g. `15` of postgres:15-bookworm."""
    texto = (RAIZ / "docker" / "compose.yaml").read_text(encoding="utf-8")
    imagem = re.search(rf"\$\{{{variavel}:-([^}}]+)\}}", texto).group(1)
    return imagem.split(":")[1].split("-")[0]


def test_o_postgres_e_o_das_imagens_do_leitor(stack):
    # "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"
    versao = compose("exec", "-T", "postgres", "postgres", "--version").stdout
    assert re.search(r"\(PostgreSQL\) (\d+)\.", versao).group(1) == versao_padrao("POSTGRES_IMAGE"), versao


@pytest.mark.perfil("celery")
def test_o_redis_e_o_das_imagens_do_leitor(stack):
    # "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=..."
    versao = compose("exec", "-T", "redis", "redis-server", "--version").stdout
    assert re.search(r"v=(\d+\.\d+)\.", versao).group(1) == versao_padrao("REDIS_IMAGE"), versao
