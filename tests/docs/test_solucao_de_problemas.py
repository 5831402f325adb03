"""The troubleshooting page (docs/solucao-de-problemas.md): every entry has a test that reproduces
it, and the entries about the course's own tooling are reproduced here, each checked against the
text the page quotes (tests/solucao.py).

Entries met with the stack are reproduced in the `stack` tier; those met running the DAGs outside
it, in the `dags` tier. A reproducing test says which entry it reproduces with a marker.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys

import pytest
import solucao
from conftest import RAIZ


def entradas_marcadas(arquivos) -> dict[str, list[str]]:
    """Anchors named by `pytest.mark.entrada("...")` calls in the test files, with the files' names."""
    marcadas: dict[str, list[str]] = {}
    for arquivo in arquivos:
        for no in ast.walk(ast.parse(arquivo.read_text(encoding="utf-8"))):
            if (isinstance(no, ast.Call) and ast.unparse(no.func) == "pytest.mark.entrada"
                    and len(no.args) == 1 and isinstance(no.args[0], ast.Constant)):
                marcadas.setdefault(no.args[0].value, []).append(arquivo.name)
    return marcadas


def test_toda_entrada_tem_um_teste_que_a_reproduz():
    entradas = set(solucao.entradas())
    marcadas = set(entradas_marcadas((RAIZ / "tests").rglob("test_*.py")))
    assert len(entradas) >= 16
    assert entradas - marcadas == set(), "entries no test reproduces"
    assert marcadas - entradas == set(), "markers naming no entry of the page"


def test_so_a_marca_de_um_teste_conta(tmp_path):
    # An anchor in a comment or in a string is not a test reproducing the entry.
    arquivo = tmp_path / "test_exemplo.py"
    arquivo.write_text('# @pytest.mark.entrada("comentario")\nTEXTO = \'pytest.mark.entrada("texto")\'\n\n\n'
                       '@pytest.mark.entrada("teste")\ndef test_exemplo():\n    pass\n', encoding="utf-8")
    assert entradas_marcadas([arquivo]) == {"teste": ["test_exemplo.py"]}


@pytest.mark.entrada("curso-python-3-11")
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
    assert execucao.stderr.splitlines() == solucao.citacoes("curso-python-3-11")

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


@pytest.mark.entrada("pip-externally-managed-environment")
def test_pip_externally_managed_environment():
    # Debian's own Python; --dry-run so that, on a system without the mark, nothing gets installed.
    pip = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--dry-run", "nox"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert pip.returncode != 0
    solucao.confere(solucao.citacoes("pip-externally-managed-environment"), pip.stdout + pip.stderr)


@pytest.mark.parametrize(("inclusao", "correta"), [
    pytest.param("dags/orquestracao_vendas.py", "dags/orquestracao_vendas_diarias.py",
                 marks=pytest.mark.entrada("snippet-nao-encontrado"), id="snippet-nao-encontrado"),
    pytest.param("dags/orquestracao_vendas_diarias.py:nao_existe", "dags/orquestracao_vendas_diarias.py:dag",
                 marks=pytest.mark.entrada("secao-de-snippet-nao-encontrada"),
                 id="secao-de-snippet-nao-encontrada"),
])
def test_inclusao_quebrada_derruba_o_build(request, tmp_path, inclusao, correta):
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
    ancora = request.node.get_closest_marker("entrada").args[0]
    solucao.confere(solucao.citacoes(ancora), quebrada.stderr)
    assert construir(correta).returncode == 0  # the fix
