"""The built site: it exists, works offline, and names the Airflow version the lock pins."""

from __future__ import annotations

import re
import tomllib

from conftest import RAIZ, paginas

EXTERNO = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.I)


def versao_do_airflow_no_lock() -> str:
    lock = tomllib.loads((RAIZ / "uv.lock").read_text(encoding="utf-8"))
    return next(p["version"] for p in lock["package"] if p["name"] == "apache-airflow")


def test_cada_pagina_vira_html(site):
    for pagina in paginas():
        relativo = pagina.relative_to(RAIZ / "docs").with_suffix("")
        pasta = relativo.parent if relativo.name == "index" else relativo
        html = site / pasta / "index.html"
        assert html.is_file(), f"{pagina} was not rendered (missing from nav?)"


def test_nenhum_recurso_de_fora(site):
    for html in site.rglob("*.html"):
        achado = EXTERNO.search(html.read_text(encoding="utf-8"))
        assert not achado, f"{html.relative_to(site)} loads a third-party resource: {achado.group(0)}"


def test_versao_citada_e_a_do_lock():
    versao = versao_do_airflow_no_lock()
    for pagina in paginas():
        for citada in re.findall(r"Airflow (3\.\d+\.\d+)", pagina.read_text(encoding="utf-8")):
            onde = pagina.relative_to(RAIZ)
            assert citada == versao, f"{onde} names Airflow {citada}; the lock pins {versao}"


def test_toda_pagina_diz_a_versao_testada_do_lock(site):
    carimbo = f"testadas no Apache Airflow {versao_do_airflow_no_lock()}"
    paginas_html = site.rglob("*.html")
    sem = [str(h.relative_to(site)) for h in paginas_html if carimbo not in h.read_text(encoding="utf-8")]
    assert not sem, f"pages without the version stamp {carimbo!r}: {sem}"
