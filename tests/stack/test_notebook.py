"""The REST API notebook (docs/04-componentes/api-rest.ipynb) runs top to bottom against the stack.

Its cells are executed in a fresh kernel with the stack's login in the environment; any cell that
raises fails the test, and the run it triggers must end in success.
"""

from __future__ import annotations

import nbformat
import pytest
from ferramentas import RAIZ
from nbclient import NotebookClient

pytestmark = pytest.mark.perfil("celery")

NOTEBOOK = RAIZ / "docs" / "04-componentes" / "api-rest.ipynb"


def test_notebook_da_rest_api_roda_inteiro(stack):
    caderno = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(caderno, timeout=600, kernel_name="python3").execute()
    saidas = "".join(
        saida.get("text", "") for celula in caderno.cells if celula.cell_type == "code"
        for saida in celula.get("outputs", [])
    )
    assert "banco: healthy | scheduler: healthy" in saidas
    assert "success" in saidas.split()
