"""What a reader does with the site, in a real headless Chromium: every page loads cleanly and
accessibly, navigation reaches every page (search has its own module, test_busca.py), the copy button copies
the sample's exact code, diagrams and notebook outputs render, dark mode toggles, nothing leaves
127.0.0.1, and a wrong address gets the Portuguese 404 page."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from paginas_do_site import (
    PAGINA_DE_IMPRESSAO,
    RAIZ,
    caminhos_das_paginas,
    diagramas_desenhados,
    graves,
    nos,
    violacoes,
)

ROLAVEIS_COM_FOCO = """() => [...document.querySelectorAll("pre > code")]
    .every(c => c.scrollWidth <= c.clientWidth || c.hasAttribute("tabindex"))"""


def test_toda_pagina_construida_e_verificada(site):
    pastas = [html.parent.relative_to(site) for html in site.rglob("index.html")]
    construidas = ["/" if p == Path(".") else f"/{p.as_posix()}/" for p in pastas
                   if not {"assets", "search"} & set(p.parts)]
    assert sorted(construidas) == sorted([*caminhos_das_paginas(), PAGINA_DE_IMPRESSAO])


@pytest.mark.parametrize("caminho", caminhos_das_paginas())
def test_pagina_carrega_sem_erro_sem_pedido_externo_e_sem_violacao_grave_de_acessibilidade(
    url_base, aba_do_leitor, record_property, caminho
):
    aba = aba_do_leitor
    aba.erros.clear()
    aba.pedidos.clear()
    resposta = aba.pagina.goto(url_base + caminho, wait_until="networkidle")
    # Material's script makes each code block that scrolls sideways focusable (tabindex) a moment after
    # the load; axe run before it sees an unfocusable scrollable region, on a slow start.
    aba.pagina.wait_for_function(ROLAVEIS_COM_FOCO, timeout=15_000)
    achadas = violacoes(aba.pagina)
    record_property("axe", [v["impact"] for v in achadas])  # summed up in the run's summary
    falhas = [*aba.erros, *(f"external request: {u}" for u in aba.externos()), *graves(achadas)]
    assert (resposta.status, falhas) == (200, [])


@pytest.mark.parametrize("qual", ["home page", "largest page"])
def test_carregamento_a_frio_cabe_no_orcamento(site, navegador, url_base, figura, qual):
    """A first visit (empty cache): bytes received and the first contentful paint."""
    capitulos = [html for html in site.rglob("index.html")
                 if html.parent not in {site, site / PAGINA_DE_IMPRESSAO.strip("/")}]
    maior = max(capitulos, key=lambda html: html.stat().st_size)
    caminho = "/" if qual == "home page" else f"/{maior.parent.relative_to(site).as_posix()}/"
    contexto = navegador.new_context(locale="pt-BR")
    pagina, recebidos = contexto.new_page(), []
    pagina.on("response", lambda r: recebidos.append(r))
    pagina.goto(url_base + caminho, wait_until="networkidle")
    pintura = pagina.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    kib = sum(len(r.body()) for r in recebidos if r.status == 200) / 1024
    contexto.close()
    figura(f"{qual} ({caminho}), cold: {kib:.0f} KiB received, first contentful paint {pintura:.0f} ms")
    assert kib < 5 * 1024 and pintura < 2000


def test_a_navegacao_alcanca_todas_as_paginas(url_base, aba):
    # From the home page, following the tabs and the sidebar, page after page, until every page of
    # the site has been reached by some link.
    todas, alcancadas, fila, vistas = set(caminhos_das_paginas()), {"/"}, ["/"], set()
    while fila and not todas <= alcancadas:
        caminho = fila.pop(0)
        vistas.add(caminho)
        aba.pagina.goto(url_base + caminho, wait_until="domcontentloaded")  # the links are in the HTML
        for href in aba.pagina.eval_on_selector_all(
            ".md-tabs a[href], .md-nav a.md-nav__link[href]", "links => links.map(a => a.href)"
        ):
            partes = urlsplit(urljoin(url_base + caminho, href))
            if partes.netloc == urlsplit(url_base).netloc and partes.path not in alcancadas:
                alcancadas.add(partes.path)
                fila.append(partes.path)
    assert todas <= alcancadas, f"pages no navigation link reaches: {sorted(todas - alcancadas)}"


def test_o_botao_de_copiar_copia_o_codigo_exato_da_amostra(url_base, aba):
    amostra = "snippets/cli/pratica_backfill.sh"
    aba.pagina.goto(url_base + "/05-pratica/03-agendamento/")
    bloco = aba.pagina.locator(f"div.highlight:has(span.filename:text-is('{amostra}'))")
    bloco.hover()
    bloco.locator("button[data-md-type='copy']").click()
    copiado = aba.pagina.evaluate("navigator.clipboard.readText()")
    assert copiado.rstrip("\n") == (RAIZ / amostra).read_text(encoding="utf-8").rstrip("\n")


def test_os_diagramas_mermaid_viram_svg(url_base, aba):
    # Arriving from a page without diagrams, by the theme's instant navigation: Mermaid is fetched
    # only now, from the site itself.
    aba.pagina.goto(url_base + "/glossario/", wait_until="networkidle")
    assert not [u for u in aba.pedidos if "mermaid-" in u]
    aba.pagina.locator(".md-nav a.md-nav__link[href$='05-pratica/']").first.click()
    aba.pagina.wait_for_url("**/05-pratica/")
    aba.pagina.wait_for_load_state("networkidle")
    copia_do_site = f"{url_base}/assets/javascripts/vendor/mermaid-11.17.2.min.js"
    assert [u for u in aba.pedidos if "mermaid-" in u] == [copia_do_site]
    diagramas = diagramas_desenhados(aba.pagina)
    assert diagramas, "no Mermaid diagram drawn on the chapter 5 opening page"
    textos = {n.get("nodeValue", "").strip() for n in nos(diagramas[0]) if n.get("nodeType") == 3}
    assert {"extrair", "validar", "carregar"} <= textos  # the pipeline's own task names
    assert aba.erros == []


def test_o_notebook_mostra_as_saidas(url_base, aba):
    """Every text output stored in the notebook is on its page, as the reader sees it."""
    caderno = json.loads((RAIZ / "docs" / "04-componentes" / "api-rest.ipynb").read_text(encoding="utf-8"))
    guardadas = [
        "".join(saida.get("text") or saida.get("data", {}).get("text/plain", [])).strip()
        for celula in caderno["cells"] for saida in celula.get("outputs", [])
    ]
    aba.pagina.goto(url_base + "/04-componentes/api-rest/")
    mostradas = "\n".join(aba.pagina.locator(".jp-OutputArea-output").all_inner_texts())
    assert len(guardadas) >= 3
    assert [texto for texto in guardadas if texto.splitlines()[0] not in mostradas] == []


def test_o_modo_escuro_alterna(url_base, aba):
    aba.pagina.emulate_media(color_scheme="light")
    aba.pagina.goto(url_base + "/")
    esquema = "document.body.getAttribute('data-md-color-scheme')"
    assert aba.pagina.evaluate(esquema) == "default"
    aba.pagina.locator("form[data-md-component='palette'] label:visible").first.click()
    assert aba.pagina.evaluate(esquema) == "slate"


def test_endereco_inexistente_mostra_a_pagina_404_em_portugues(url_base, aba):
    resposta = aba.pagina.goto(url_base + "/capitulo-que-nao-existe/")
    assert resposta.status == 404
    assert aba.pagina.locator("h1").inner_text() == "Página não encontrada"
    assert aba.externos() == []
