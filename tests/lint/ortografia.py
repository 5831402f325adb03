"""pt-BR spelling of the site's prose and of the samples' comments and docstrings.

Runs Debian's hunspell with the pt_BR dictionary plus the project's word list
(tests/lint/palavras.txt: technical terms and identifiers, one per line). Code,
commands, URLs and markup are stripped first: only words a reader reads are checked.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
PALAVRAS = Path(__file__).with_name("palavras.txt")
sys.path.insert(0, str(RAIZ / "tests"))
from do_leitor import do_leitor  # noqa: E402  the reader's challenge file is theirs to spell

CERCA = re.compile(r"^\s*(`{3,}|~{3,})")
REMOVER = [
    re.compile(r"`[^`\n]*`"),                      # inline code
    re.compile(r"\]\([^)]*\)"),                    # link targets
    re.compile(r"https?://\S+"),                   # bare URLs
    re.compile(r"<[^>\n]+>"),                      # HTML tags
    re.compile(r"\{[#.:][^}\n]*\}"),               # attribute lists
    re.compile(r"\{:[^}\n]*\}"),
    re.compile(r"\+\+[^+\n]+\+\+"),                # keys (pymdownx.keys)
    re.compile(r":[a-z0-9-]+(?:-[a-z0-9]+)*:"),    # emoji / icons
    re.compile(r"^\s*--8<--.*$", re.M),            # snippet includes
    re.compile(r"^\*\[([^\]]+)\]:", re.M),         # abbreviation keys (the definition stays)
    re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+"),     # admonition types (the title stays)
    re.compile(r"\b[\w.-]+\.(?:py|sh|csv|md|yaml|yml|toml|json|txt|html)\b"),  # file names
]


def prosa_markdown(texto: str) -> list[str]:
    """The page's lines with code, markup and the front matter blanked out (line numbers are kept)."""
    linhas, cerca = [], None
    frente = re.match(r"---\n.*?\n---\n", texto, re.S)  # YAML front matter: settings, not prose
    if frente:
        linhas = [""] * frente[0].count("\n")
        texto = texto[frente.end():]
    for linha in texto.splitlines():
        marca = CERCA.match(linha)
        if cerca:
            if marca and marca.group(1).startswith(cerca):
                cerca = None
            linhas.append("")
            continue
        if marca:
            cerca = marca.group(1)
            linhas.append("")
            continue
        for padrao in REMOVER:
            linha = padrao.sub(" ", linha)
        linhas.append(linha)
    return linhas


def prosa_python(texto: str) -> list[str]:
    """Only the comments and docstrings of a sample, at their own line numbers."""
    linhas = [""] * (texto.count("\n") + 1)
    anterior = tokenize.INDENT
    for token in tokenize.generate_tokens(io.StringIO(texto).readline):
        inicio_de_instrucao = anterior in (tokenize.INDENT, tokenize.NEWLINE, tokenize.NL)
        docstring = token.type == tokenize.STRING and inicio_de_instrucao
        if token.type == tokenize.COMMENT and "--8<--" not in token.string or docstring:
            partes = token.string.splitlines()
            for deslocamento, parte in enumerate(partes):
                linhas[token.start[0] - 1 + deslocamento] += " " + prosa_markdown(parte)[0] if parte else ""
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            anterior = token.type
    return linhas


def prosa_notebook(texto: str) -> list[str]:
    """Markdown cells as pages, code cells by their comments; one line per source line."""
    linhas = []
    for celula in json.loads(texto)["cells"]:
        fonte = "".join(celula["source"])
        linhas += prosa_markdown(fonte) if celula["cell_type"] == "markdown" else prosa_python(fonte)
    return linhas


def arquivos() -> list[tuple[Path, list[str]]]:
    leitores = {".md": prosa_markdown, ".py": prosa_python, ".ipynb": prosa_notebook}
    todos = [*(RAIZ / "docs").rglob("*.md"), *(RAIZ / "docs").rglob("*.ipynb"),
             *(RAIZ / "snippets").rglob("*.py"), *(RAIZ / "docker" / "ptax-ficticia").rglob("*.py")]
    return [(p, leitores[p.suffix](p.read_text(encoding="utf-8"))) for p in sorted(todos) if not do_leitor(p)]


def dicionario_do_projeto(destino: Path) -> Path:
    """The word list, ordered so hunspell keeps case variants apart.

    With "DAGs" listed before "Dags", hunspell rejects "Dags": lower-case forms must come first.
    """
    palavras = set(PALAVRAS.read_text(encoding="utf-8").split())
    ordem = sorted(palavras, key=lambda p: (p.lower(), sum(c.isupper() for c in p), p))
    destino.write_text("\n".join(ordem) + "\n", encoding="utf-8")
    return destino


def desconhecidas(texto: str, dicionario: Path) -> set[str]:
    saida = subprocess.run(
        ["hunspell", "-d", "pt_BR", "-p", str(dicionario), "-l"],
        input=texto, capture_output=True, text=True, check=True,
    )
    return set(saida.stdout.split())


def main() -> int:
    if not shutil.which("hunspell"):
        print("ERRO: hunspell não encontrado. Instale: apt-get install hunspell hunspell-pt-br "
              "(macOS: brew install hunspell, com o dicionário pt_BR).", file=sys.stderr)
        return 1
    problemas = []
    pasta = Path(tempfile.mkdtemp())
    lidos = arquivos()
    # One hunspell for every file: loading the pt_BR dictionary is most of its time.
    ruins_em_todos = desconhecidas("\n".join(linha for _, linhas in lidos for linha in linhas),
                                   dicionario_do_projeto(pasta / "palavras.dic"))
    achadas = set()
    for arquivo, linhas in lidos:
        for numero, linha in enumerate(linhas, start=1):
            for palavra in sorted(ruins_em_todos & set(re.findall(r"[\w'-]+", linha))):
                problemas.append(f"{arquivo.relative_to(RAIZ)}:{numero}: {palavra}")
                achadas.add(palavra)
    problemas += [f"(linha não achada): {palavra}" for palavra in sorted(ruins_em_todos - achadas)]
    shutil.rmtree(pasta)
    if problemas:
        print("Palavras fora do dicionário pt_BR e de tests/lint/palavras.txt:", *problemas, sep="\n  ")
        return 1
    print(f"ortografia: {len(lidos)} arquivos sem palavras desconhecidas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
