"""The screenshots, as a reader meets them: described in Portuguese, loaded only when the reader
gets near them, and opened at full size by a click (hooks/imagens.py, assets/javascripts/ampliar.js)."""

from __future__ import annotations

import struct
from urllib.parse import urlsplit

import pytest
from paginas_do_site import RAIZ, caminhos_das_paginas, graves, violacoes

# Its screenshots are some 4,700 px down the page, beyond the distance from the window at which
# Chromium starts fetching a lazy image (1,250 to 2,500 px).
PAGINA_LONGA = "/05-pratica/03-agendamento/"


def largura_do_png(site, url: str) -> int:
    """The width the PNG file declares in its header (IHDR)."""
    dados = (site / urlsplit(url).path.lstrip("/")).read_bytes()
    return struct.unpack(">I", dados[16:20])[0]


def test_toda_imagem_tem_descricao_e_carrega_sob_demanda(url_base, aba_do_leitor):
    aba = aba_do_leitor
    sem, vistas = [], 0
    for caminho in caminhos_das_paginas():
        aba.pagina.goto(url_base + caminho, wait_until="domcontentloaded")
        for imagem in aba.pagina.locator("article img").all():
            vistas += 1
            alt, carga = imagem.get_attribute("alt") or "", imagem.get_attribute("loading")
            # A description says what the screenshot shows, in words (not a file name).
            if len(alt.split()) < 5 or carga != "lazy" or not imagem.locator("xpath=..").evaluate(
                    "a => a.matches('a.ampliar') && a.href === a.querySelector('img').src"):
                sem.append(f"{caminho}: {imagem.get_attribute('src')} (alt {alt!r}, loading {carga!r})")
    citadas = sum(p.read_text(encoding="utf-8").count("![") for p in (RAIZ / "docs").rglob("*.md"))
    assert (vistas, sem) == (citadas, [])


def test_as_capturas_de_baixo_so_carregam_quando_o_leitor_chega_nelas(navegador, url_base):
    contexto = navegador.new_context(locale="pt-BR", viewport={"width": 1280, "height": 800})
    pagina, pedidos = contexto.new_page(), []
    pagina.on("request", lambda r: pedidos.append(r.url))
    pagina.goto(url_base + PAGINA_LONGA, wait_until="networkidle")
    capturas = pagina.locator("article a.ampliar").evaluate_all("links => links.map(a => a.href)")
    pedidas = lambda: [c for c in capturas if c in pedidos]  # noqa: E731
    assert capturas and pedidas() == [], pedidas()
    for link in pagina.locator("article a.ampliar").all():
        link.scroll_into_view_if_needed()
    pagina.wait_for_load_state("networkidle")
    assert pedidas() == capturas
    contexto.close()


def test_a_captura_abre_em_tamanho_real_e_fecha_com_esc(site, url_base, aba):
    aba.pagina.set_viewport_size({"width": 1280, "height": 800})
    aba.pagina.goto(url_base + "/05-pratica/05-monitoramento/", wait_until="networkidle")
    link = aba.pagina.locator("article a.ampliar").first
    link.click()
    dialogo = aba.pagina.locator("dialog.ampliacao[open]")
    imagem = dialogo.locator("img")
    imagem.evaluate("img => img.decode()")
    # The full image, pixel for pixel: as wide as the PNG, wider than the page showed it.
    largura = largura_do_png(site, imagem.evaluate("img => img.src"))
    assert imagem.evaluate("img => [img.naturalWidth, img.clientWidth]") == [largura, largura]
    assert largura > link.locator("img").evaluate("img => img.clientWidth")
    assert imagem.get_attribute("alt") == link.locator("img").get_attribute("alt")
    assert aba.pagina.evaluate("document.activeElement.textContent") == "Fechar"
    assert graves(violacoes(aba.pagina)) == []
    aba.pagina.keyboard.press("Escape")
    assert dialogo.count() == 0
    assert link.evaluate("a => a === document.activeElement")
    assert aba.erros == []


@pytest.mark.parametrize("botao", ["Fechar", "fundo"])
def test_a_captura_ampliada_fecha_pelo_botao_e_pelo_fundo(url_base, aba, botao):
    aba.pagina.set_viewport_size({"width": 1280, "height": 800})
    aba.pagina.goto(url_base + "/04-componentes/flower/", wait_until="networkidle")
    aba.pagina.locator("article a.ampliar").first.click()
    dialogo = aba.pagina.locator("dialog.ampliacao[open]")
    if botao == "Fechar":
        dialogo.get_by_role("button", name="Fechar").click()
    else:
        aba.pagina.mouse.click(5, 5)  # the backdrop, outside the dialog
    assert dialogo.count() == 0
