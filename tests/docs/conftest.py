"""Shared fixtures of the `docs` tier: the pages, the samples, and one strict build of the site."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from construcao_do_site import construir
from do_leitor import do_leitor

RAIZ = Path(__file__).resolve().parents[2]
DOCS = RAIZ / "docs"
SNIPPETS = RAIZ / "snippets"

# `--8<-- "arquivo"` or `--8<-- "arquivo:secao"` alone on a line (pymdownx.snippets block form).
INCLUSAO = re.compile(r'^\s*--8<--\s+"(?P<arquivo>[^":]+)(?::(?P<secao>[^"]+))?"\s*$')
MARCADOR = re.compile(r"--8<-- \[(?P<tipo>start|end):(?P<nome>[^\]]*)\]")


class _Carregador(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring its !!python/name tags."""


_Carregador.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
# `!ENV [VARIABLE, default]`: the default.
_Carregador.add_constructor("!ENV", lambda carregador, no: carregador.construct_sequence(no)[-1])
CONFIG = yaml.load((RAIZ / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Carregador)
_SNIPPETS_CFG = next(
    e["pymdownx.snippets"] for e in CONFIG["markdown_extensions"]
    if isinstance(e, dict) and "pymdownx.snippets" in e
)
BASES = [RAIZ / base for base in _SNIPPETS_CFG["base_path"]]


@dataclass(frozen=True)
class Inclusao:
    pagina: Path
    linha: int
    arquivo: str
    secao: str | None

    @property
    def caminho(self) -> Path | None:
        """The file pymdownx.snippets would read: the first base path that has it."""
        return next((b / self.arquivo for b in BASES if (b / self.arquivo).is_file()), None)

    def __str__(self) -> str:
        alvo = f"{self.arquivo}:{self.secao}" if self.secao else self.arquivo
        return f"{self.pagina.relative_to(RAIZ)}:{self.linha} includes {alvo!r}"


def paginas() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_includes" not in p.parts)


def amostras() -> list[Path]:
    """Every file of snippets/, but bytecode, the reader's own challenge file (tests/do_leitor.py) and
    the line length the samples keep (snippets/ruff.toml)."""
    return sorted(
        p for p in SNIPPETS.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" and not do_leitor(p)
        and p != SNIPPETS / "ruff.toml"
    )


def inclusoes() -> list[Inclusao]:
    achadas = []
    for pagina in paginas():
        for numero, texto in enumerate(pagina.read_text(encoding="utf-8").splitlines(), start=1):
            if m := INCLUSAO.match(texto):
                achadas.append(Inclusao(pagina, numero, m["arquivo"], m["secao"]))
    return achadas


def marcadores(arquivo: Path) -> list[tuple[str, str]]:
    return [(m["tipo"], m["nome"]) for m in MARCADOR.finditer(arquivo.read_text(encoding="utf-8"))]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site built once with `mkdocs build --strict`."""
    return construir(tmp_path_factory.mktemp("site"))
