"""The samples fit the site's code column: no line of a file the pages show is wider than the
line length in snippets/ruff.toml (ruff checks the Python files; this, everything else).

At a 1280 px window a code block with line numbers holds about 75 characters; a longer line hides
its end behind a sideways scroll (tests/site/test_largura.py measures it in Chromium).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
LARGURA = tomllib.loads((RAIZ / "snippets" / "ruff.toml").read_text())["line-length"]
# docker/compose.yaml is shown in parts on five pages; docker/'s other files are not shown.
ARQUIVOS = [
    p for p in sorted((RAIZ / "snippets").rglob("*"))
    if p.is_file() and p.suffix not in {".py", ".pyc", ".toml"}
    and not any(pasta.startswith(".") or pasta == "__pycache__" for pasta in p.parent.parts)
] + [RAIZ / "docker" / "compose.yaml"]


def largura_maxima(arquivo: Path) -> int:
    # A diff's first column (+, - or space) is the diff's, not the file's: its lines may be one wider.
    return LARGURA + 1 if arquivo.suffix == ".diff" else LARGURA


def main() -> int:
    longas = [
        f"{arquivo.relative_to(RAIZ)}:{numero}: {len(linha)} > {largura_maxima(arquivo)} caracteres"
        for arquivo in ARQUIVOS
        for numero, linha in enumerate(arquivo.read_text(encoding="utf-8").splitlines(), start=1)
        if len(linha) > largura_maxima(arquivo)
    ]
    print(*longas, sep="\n")
    print(f"largura: {len(ARQUIVOS)} arquivos, {len(longas)} linhas longas demais", file=sys.stderr)
    return 1 if longas else 0


if __name__ == "__main__":
    sys.exit(main())
