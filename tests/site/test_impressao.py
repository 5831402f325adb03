"""A copy to take away: the whole course on one page (docs/imprimir.md, hooks/impressao.py) and the
PDF Chromium prints from it (tests/impressao.py), linked from the home page."""

from __future__ import annotations

import html
import re

import pypdfium2
from impressao import ARQUIVO, PRONTA, diagramas, imprimir
from paginas_do_site import PAGINA_DE_IMPRESSAO, diagramas_desenhados, graves, violacoes

# Every page of the course is on it, in the navigation's order, but the reader's progress.
FORA = {"/progresso/"}
# What a diagram's source starts with: on paper, a diagram left undrawn shows its source instead.
FONTE_DE_DIAGRAMA = re.compile(r"flowchart (?:LR|TD|TB)|sequenceDiagram|stateDiagram-v2")
# Ids are unique, every link to an id finds it, and a link to another page of the site is one to a
# page the print page leaves out (the rest point inside it).
INTEGRIDADE = """() => {
    const ids = new Set([...document.querySelectorAll('[id]')].map(e => e.id));
    const repetidos = [...document.querySelectorAll('[id]')].map(e => e.id)
        .filter((id, i, todos) => todos.indexOf(id) !== i);
    // (Material's annotation markers point to tooltips it makes on demand, on every page.)
    const quebrados = [...document.querySelectorAll(
        'article a[href^="#"]:not(.md-annotation__index), article label[for]')]
        .map(e => e.htmlFor || decodeURIComponent(e.getAttribute('href').slice(1)))
        .filter(id => id && !ids.has(id));
    const paraFora = [...document.querySelectorAll('article a[href]')].map(a => new URL(a.href))
        .filter(u => u.origin === location.origin && u.pathname !== location.pathname
                     && !u.pathname.startsWith('/assets/') && !u.pathname.endsWith('.pdf'))
        .map(u => u.pathname);
    return {repetidos, quebrados, paraFora};
}"""


def titulo(site, caminho: str) -> str:
    """A page's title as its h1 says it, from the built page."""
    pagina = (site / caminho.strip("/") / "index.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", pagina, re.S)[1]
    return html.unescape(re.sub(r"<[^>]+>", "", h1)).replace("¶", "").strip()


def links_do_pdf(aba) -> list[str]:
    return aba.pagina.eval_on_selector_all("article a[href$='.pdf']",
                                           "links => [...new Set(links.map(a => a.href))]")


def paginas_da_navegacao(aba, url_base) -> list[str]:
    aba.pagina.goto(url_base + "/", wait_until="domcontentloaded")
    return aba.pagina.eval_on_selector_all(
        ".md-nav--primary a.md-nav__link[href]",
        "links => [...new Set(links.map(a => new URL(a.href).pathname))]")


def test_a_pagina_de_impressao_tem_cada_pagina_em_ordem_e_cada_diagrama_desenhado(site, url_base, aba):
    # One load of the print page (some 2 MB of HTML, seconds to parse) for all its checks.
    ordem = [c for c in paginas_da_navegacao(aba, url_base) if c not in FORA]
    aba.pagina.goto(url_base + PAGINA_DE_IMPRESSAO, wait_until="load", timeout=120_000)
    aba.pagina.wait_for_function(PRONTA, arg=diagramas(site), timeout=120_000)

    reunidas = aba.pagina.eval_on_selector_all(".impressao-pagina",
                                               "secoes => secoes.map(s => '/' + s.dataset.endereco)")
    assert reunidas == ordem
    assert len(diagramas_desenhados(aba.pagina)) == diagramas(site) > 10
    # The answers are open, as on paper; each link points to a place on this page, or to an image.
    assert aba.pagina.locator("article details:not([open])").count() == 0
    integridade = aba.pagina.evaluate(INTEGRIDADE)
    assert (integridade["repetidos"], integridade["quebrados"]) == ([], [])
    assert set(integridade["paraFora"]) <= FORA
    # axe reads what is the print page's own (its text, the table of contents, the page around them):
    # each page it gathers passes axe on its own page, and all of them at once take it minutes.
    achadas = violacoes(aba.pagina, {"exclude": [[".impressao-pagina"]]})
    assert (aba.erros, aba.externos(), graves(achadas)) == ([], [], [])
    # It links the PDF, and so does the home page.
    assert links_do_pdf(aba) == [f"{url_base}/{ARQUIVO}"]
    aba.pagina.goto(url_base + "/", wait_until="domcontentloaded")
    assert links_do_pdf(aba) == [f"{url_base}/{ARQUIVO}"]


def test_o_pdf_tem_o_curso_inteiro_com_os_diagramas_desenhados(site, navegador, url_base, aba, figura):
    ordem = [c for c in paginas_da_navegacao(aba, url_base) if c not in FORA]
    pdf = imprimir(site, navegador)
    # The link of the home page and of the print page (test above) brings it.
    resposta = aba.pagina.request.get(f"{url_base}/{ARQUIVO}")
    assert (resposta.status, resposta.body()) == (200, pdf.read_bytes())

    folhas = pypdfium2.PdfDocument(pdf)
    textos = [folha.get_textpage().get_text_bounded() for folha in folhas]
    figura(f"PDF: {len(folhas)} sheets, {pdf.stat().st_size / 2**20:.1f} MiB, {len(ordem)} pages of the site")

    # Each page of the course starts a sheet of its own, under its own title, in the site's order
    # (the chapters' closing pages share a title: each is looked for after the one before).
    primeiras_linhas = [texto.strip().splitlines()[0].strip() if texto.strip() else "" for texto in textos]
    faltando, folha = [], 0
    for caminho in ordem:
        try:
            folha = primeiras_linhas.index(titulo(site, caminho), folha) + 1
        except ValueError:
            faltando.append(f"{caminho} ({titulo(site, caminho)!r})")
    assert faltando == [], "pages that do not start a sheet, in order"
    # At most some fifteen sheets a page: more would be blank or broken sheets, not text.
    assert len(ordem) < len(folhas) < 15 * len(ordem)
    # Drawn, a diagram is shapes and labels; left undrawn, its source would be printed.
    assert [t for t in textos if FONTE_DE_DIAGRAMA.search(t)] == []
    # The footer, on every sheet: "página 7 de 264".
    assert [n for n, texto in enumerate(textos, start=1) if f"página {n} de {len(folhas)}" not in texto] == []
