"""Publishing: the hosting CI runs the same tiers as `./curso test` and publishes only after all of
them pass; the site has its 404 page in Portuguese."""

from __future__ import annotations

import ast
import re

import yaml
from conftest import RAIZ

WORKFLOW = RAIZ / ".github" / "workflows" / "site.yml"


def sessoes_padrao_do_nox() -> list[str]:
    atribuicao = re.search(r"^nox\.options\.sessions = (\[.*\])$", (RAIZ / "noxfile.py").read_text(), re.M)
    return ast.literal_eval(atribuicao[1])


def test_o_workflow_roda_as_mesmas_sessoes_que_o_readme():
    trabalhos = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    assert trabalhos["testes"]["strategy"]["matrix"]["sessao"] == sessoes_padrao_do_nox()


def test_o_site_so_e_publicado_depois_de_todos_os_testes_e_so_a_partir_da_main():
    trabalhos = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    publicar = trabalhos["publicar"]
    assert publicar["needs"] == "testes"
    assert publicar["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert [p.get("uses", "").split("@")[0] for p in publicar["steps"]][-1] == "actions/deploy-pages"


def test_a_pagina_404_e_em_portugues(site):
    pagina = (site / "404.html").read_text(encoding="utf-8")
    assert '<h1 id="pagina-nao-encontrada">Página não encontrada</h1>' in pagina
    assert '<html lang="pt"' in pagina
