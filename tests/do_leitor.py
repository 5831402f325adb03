"""The file a reader writes among the course's own, which no check of the course may pick up.

Chapter 5's challenge (docs/05-pratica/08-desafio.md) has the reader write snippets/dags/meu_desafio.py,
beside the course's DAGs, so that their stack runs it and their own suite checks it
(`DESAFIO=meu_desafio pytest snippets/testes/test_desafio.py`); .gitignore keeps it out of their
`git status`. An author's checkout may hold one too, half written: it is the reader's, not a sample,
so whatever lists snippets/ (the DAG folder's rules, the orphan samples, the stack's expectations, the
spell check) leaves it out, and so does the stack tier's copy of the repository (noxfile.py).

Left out by name rather than by asking git which files it tracks: a new sample is checked as soon as
it exists, before anyone runs `git add`, and the stack tier's copy has no .git to ask.
"""

from __future__ import annotations

from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
DESAFIO = "meu_desafio"  # the reader's DAG id, which names their file too
ARQUIVO = RAIZ / "snippets" / "dags" / f"{DESAFIO}.py"


def do_leitor(caminho: Path) -> bool:
    """Whether `caminho` is the reader's challenge file rather than one of the course's."""
    return Path(caminho).resolve() == ARQUIVO
