"""MkDocs hook: how long a part of the course takes to read, counted from its own pages at build
time, so the home page's cards never state a time nobody measured. A page asks for it with an
HTML comment naming a page or a chapter folder, `<!-- leitura: 05-pratica -->`, which becomes
"106 min de leitura"."""

from __future__ import annotations

import json
import re
from pathlib import Path

# Technical prose in Portuguese, read with attention; code and captured outputs are not counted.
PALAVRAS_POR_MINUTO = 200
_MARCA = re.compile(r"<!-- leitura: (?P<alvo>[\w./-]+) -->")
_CODIGO = re.compile(r"^(?P<recuo>[ \t]*)(?P<cerca>```+|~~~+).*?^(?P=recuo)(?P=cerca)[ \t]*$", re.M | re.S)
_INCLUSAO = re.compile(r"^[ \t]*--8<--.*$", re.M)  # a snippet included: code


def palavras(texto: str) -> int:
    return len(re.findall(r"\w+", _INCLUSAO.sub("", _CODIGO.sub("", texto))))


def minutos(alvo: Path) -> int:
    """Reading minutes of a page, or of every page of a chapter folder (notebooks' text included)."""
    paginas = [alvo] if alvo.is_file() else sorted([*alvo.glob("*.md"), *alvo.glob("*.ipynb")])
    if not paginas:
        raise ValueError(f"<!-- leitura: ... --> names {alvo}, which has no page")
    total = 0
    for pagina in paginas:
        texto = pagina.read_text(encoding="utf-8")
        if pagina.suffix == ".ipynb":
            celulas = json.loads(texto)["cells"]
            texto = "\n".join("".join(c["source"]) for c in celulas if c["cell_type"] == "markdown")
        total += palavras(texto)
    return max(1, round(total / PALAVRAS_POR_MINUTO))


def on_page_markdown(markdown: str, page, config, files) -> str:
    docs = Path(config.docs_dir)
    return _MARCA.sub(lambda m: f"{minutos(docs / m['alvo'])} min de leitura", markdown)
