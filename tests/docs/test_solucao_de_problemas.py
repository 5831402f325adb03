"""The troubleshooting page (docs/solucao-de-problemas.md): every entry has a test that reproduces
it, and the entries about the course's own tooling are reproduced here. The text blocks an entry
quotes are read from the page itself, so the page and the test cannot drift apart.

Entries met with the stack are reproduced in tests/stack/test_solucao_de_problemas.py; those met
running the DAGs outside it, in tests/dags/test_solucao_de_problemas.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import DOCS, RAIZ

PAGINA = DOCS / "solucao-de-problemas.md"


def entradas() -> dict[str, str]:
    """Each entry's text (a `###` heading with an explicit anchor), by anchor."""
    texto = PAGINA.read_text(encoding="utf-8")
    partes = re.split(r"(?m)^(?=#{2,3} )", texto)
    return {m.group(1): parte for parte in partes
            if (m := re.match(r"### .*\{#([a-z0-9-]+)\}\s*$", parte.splitlines()[0]))}


def citacoes(ancora: str) -> list[str]:
    """The lines of the ```text blocks an entry quotes."""
    blocos = re.findall(r"```text\n(.*?)```", entradas()[ancora], re.S)
    return [linha for bloco in blocos for linha in bloco.splitlines() if linha.strip()]


def test_toda_entrada_tem_um_teste_que_a_reproduz():
    arquivos = RAIZ.glob("tests/*/test_solucao_de_problemas.py")
    testes = "\n".join(arquivo.read_text(encoding="utf-8") for arquivo in arquivos)
    sem_teste = sorted(ancora for ancora in entradas() if ancora not in testes)
    assert len(entradas()) >= 16 and not sem_teste, f"entries no test reproduces: {sem_teste}"


def test_curso_python_3_11(tmp_path):
    # A PATH whose python3, python3.13, python3.12 and python3.11 are all too old (Ubuntu 22.04's 3.10).
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for ferramenta in ("dirname", "cat", "rm", "sed"):
        (bin_ / ferramenta).symlink_to(shutil.which(ferramenta))
    for nome in ("python3", "python3.13", "python3.12", "python3.11"):
        velho = bin_ / nome
        velho.write_text("#!/bin/sh\nexit 1\n")  # what `python3.10 -c 'sys.exit(version < 3.11)'` returns
        velho.chmod(0o755)
    copia = tmp_path / "curso"
    copia.mkdir()
    shutil.copy(RAIZ / "curso", copia / "curso")  # a fresh clone: no .venv-curso/ yet
    execucao = subprocess.run(["/bin/bash", str(copia / "curso"), "test"], capture_output=True, text=True,
                              env={"PATH": str(bin_)}, timeout=60, check=False)
    assert execucao.returncode == 1
    assert execucao.stderr.splitlines() == citacoes("curso-python-3-11")

    # The fix: a Python 3.11 or newer under one of the four names. ./curso then gets past the check.
    (bin_ / "python3.11").unlink()
    (bin_ / "python3.11").symlink_to(sys.executable)
    processo = subprocess.Popen(["/bin/bash", str(copia / "curso")], stderr=subprocess.PIPE, text=True,
                                env={"PATH": str(bin_)})
    try:
        assert processo.stderr.readline().startswith("Preparando as ferramentas em .venv-curso/")
    finally:
        processo.kill()
        processo.wait()


def test_pip_externally_managed_environment():
    # Debian's own Python; --dry-run so that, on a system without the mark, nothing gets installed.
    pip = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--dry-run", "nox"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert pip.returncode != 0
    saida = pip.stdout + pip.stderr
    for linha in citacoes("pip-externally-managed-environment"):
        assert linha in saida, f"{linha!r} not in:\n{saida}"


@pytest.mark.parametrize(("ancora", "inclusao", "correta"), [
    ("snippet-nao-encontrado", "dags/orquestracao_vendas.py", "dags/orquestracao_vendas_diarias.py"),
    ("secao-de-snippet-nao-encontrada", "dags/orquestracao_vendas_diarias.py:nao_existe",
     "dags/orquestracao_vendas_diarias.py:dag"),
])
def test_inclusao_quebrada_derruba_o_build(tmp_path, ancora, inclusao, correta):
    # A site of one page, with the course's snippets settings, built the way the docs tier builds.
    pagina = tmp_path / "docs" / "01-orquestracao" / "problemas.md"
    pagina.parent.mkdir(parents=True)
    bases = ", ".join(str(RAIZ / b) for b in ("snippets", "docs/_includes", "."))
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: teste\nmarkdown_extensions:\n  - pymdownx.snippets:\n"
        f"      base_path: [{bases}]\n      check_paths: true\n", encoding="utf-8")

    def construir(caminho: str) -> subprocess.CompletedProcess:
        pagina.write_text(f'# Teste\n\n--8<-- "{caminho}"\n', encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, check=False,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    quebrada = construir(inclusao)
    assert quebrada.returncode != 0
    for linha in citacoes(ancora):
        assert linha in quebrada.stderr, f"{linha!r} not in:\n{quebrada.stderr}"
    assert construir(correta).returncode == 0  # the fix
