"""The outputs the site shows: each one captured from a real run by the test that runs it, stored in
docs/_saidas/<nome>.txt and included by its page (`--8<-- "docs/_saidas/<nome>.txt"`), so a page
never shows an output nobody ran.

A test calls `confere(nome, texto)` with what the run really printed or wrote (only the part the page
is about: the test selects it). A different text fails with a diff until the file is regenerated on
purpose, with the pytest option `--regerar-saidas` of any tier (`./curso nox -s dags --
--regerar-saidas`); a missing file fails the same way. Parts that change on every run (a timestamp)
are named by the test in `variaveis`: there they match anything of the same kind, and the file keeps
the values of the run that wrote it, so regenerating rewrites only what really changed.

Loaded as a pytest plugin by tests/conftest.py, in every tier. The stack tier runs on a copy of the
repository: MODULO10_SAIDAS (set by noxfile.py) points it at the checkout's folder, so what it
regenerates lands where the pages include it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
import solucao

RAIZ = Path(__file__).resolve().parents[1]
PASTA = Path(os.environ.get("MODULO10_SAIDAS") or RAIZ / "docs" / "_saidas")
OPCAO = "--regerar-saidas"

# Parts of an output that vary from run to run; a test passes the ones its output has.
HORARIO = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?"  # ISO 8601

_regerar = False


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(OPCAO, action="store_true",
                     help="rewrite the captured outputs of docs/_saidas that this run sees differently")


def pytest_configure(config: pytest.Config) -> None:
    global _regerar
    _regerar = config.getoption(OPCAO)


def arquivo(nome: str) -> Path:
    return PASTA / f"{nome}.txt"


def confere(nome: str, texto: str, variaveis: tuple[str, ...] = ()) -> None:
    """Fail unless `texto` is the stored output `nome` (its `variaveis` matching any value of their
    kind); with --regerar-saidas, store `texto` instead."""
    texto = texto if texto.endswith("\n") else texto + "\n"  # stored files end with a newline
    destino = arquivo(nome)
    guardado = destino.read_text(encoding="utf-8") if destino.is_file() else None
    if guardado is not None and _bate(guardado, texto, variaveis):
        return
    if _regerar:
        destino.write_text(texto, encoding="utf-8")
        return
    como = f"run `./curso nox -s {_camada()} -- {OPCAO}` and review `git diff`"
    if guardado is None:
        pytest.fail(f"{destino} does not exist: to create it from this run, {como}\n--- this run:\n{texto}",
                    pytrace=False)
    diferenca = difflib.unified_diff(guardado.splitlines(), texto.splitlines(),
                                     f"{destino} (what the page shows)", "this run", lineterm="")
    pytest.fail(f"the output differs from the one the page shows; if the new one is right, {como}\n"
                + "\n".join(diferenca), pytrace=False)


def _camada() -> str:
    """The nox session of the running test: its folder under tests/ (tests/dags/... is `dags`)."""
    caminho = os.environ.get("PYTEST_CURRENT_TEST", "tests/<camada>/teste.py").split("::")[0]
    return Path(caminho).parts[-2]


def _bate(guardado: str, texto: str, variaveis: tuple[str, ...]) -> bool:
    if not variaveis:
        return guardado == texto
    return solucao.padrao(guardado, variaveis=[(v, v) for v in variaveis]).fullmatch(texto) is not None
