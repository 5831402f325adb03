"""MkDocs hook: the whole course on one page (docs/imprimir.md), to print or to save as a PDF
(tests/impressao.py prints it with Chromium into the built site).

The page's own text comes first; then a table of contents and every page of the navigation, in
order, each starting on a new sheet. The pages are the ones the build has already rendered, so
code, annotations, tabs and diagrams are the same as on the site. Put together in one document,
their ids would clash (every page has its `#quiz`, its `__code_0`): each id takes its page's prefix,
and every link follows it, a link to another page of the course becomes a link inside this one,
and the paths of images and files are rewritten from the page's folder to this one's (a link to
something else of the site, in the published site, is absolute: the PDF has no folder). The
screenshots stop being links to themselves: on paper there is no dialog to open them in.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import urljoin, urlsplit

PAGINA = "imprimir.md"
# Pages that make no sense on paper: the reader's progress lives in their browser.
FORA = {PAGINA, "progresso.md"}

_ID = re.compile(r'\b(?P<nome>id|for)="(?P<valor>[^"]+)"')
_GRUPO_DE_ABAS = re.compile(r'\bname="(?P<valor>__tabbed_[^"]+)"')
_ENDERECO = re.compile(r'\b(?P<nome>href|src)="(?P<valor>[^"]*)"')
_AMPLIAVEL = re.compile(r'<a class="ampliar" href="[^"]*">(?P<imagem><img [^>]*>)</a>')  # hooks/imagens.py


def on_page_context(context, page, config, nav):
    # Every page was rendered before any is written (mkdocs' build has two passes): all are here.
    if page.file.src_uri != PAGINA:
        return context
    paginas = [p for p in nav.pages if p.file.src_uri not in FORA]
    prefixos = {p.url: _prefixo(p.url) for p in paginas}
    partes = [page.content, _sumario(paginas, prefixos)]
    for outra in paginas:
        if outra.content is None:
            raise ValueError(f"{outra.file.src_uri} was not rendered before {PAGINA}")
        corpo = _transplantar(outra.content, outra.url, page.url, prefixos, config.site_url or "")
        # The anchor is not the section's own id: Material names each code block after the closest
        # ancestor with an id, and all the blocks of a page would get one name.
        partes.append(f'<section class="impressao-pagina" data-endereco="{html.escape(outra.url)}">'
                      f'<span id="{prefixos[outra.url]}"></span>{corpo}</section>')
    page.content = "\n".join(partes)
    return context


def _prefixo(url: str) -> str:
    return "p-" + (url.strip("/").replace("/", "-") or "inicio")


def _capitulo(pagina) -> str | None:
    return pagina.parent.title if pagina.parent else None


def _sumario(paginas, prefixos) -> str:
    itens, capitulo_atual = [], None
    for pagina in paginas:
        capitulo = _capitulo(pagina)
        if capitulo != capitulo_atual and capitulo is not None:
            itens.append(f'<li class="impressao-sumario__capitulo">{html.escape(capitulo)}</li>')
        capitulo_atual = capitulo
        itens.append(f'<li><a href="#{prefixos[pagina.url]}">{html.escape(pagina.title)}</a></li>')
    return ('<nav class="impressao-sumario" aria-labelledby="sumario-impresso">'
            '<h2 id="sumario-impresso">Sumário</h2><ul>' + "".join(itens) + "</ul></nav>")


def _transplantar(conteudo: str, de: str, para: str, prefixos: dict[str, str], site: str) -> str:
    """A page's HTML, from its own address (`de`) into the print page (`para`) of the site at `site`
    (empty when unknown: then links out of the print page stay relative)."""
    proprio = prefixos[de]
    conteudo = _AMPLIAVEL.sub(lambda m: m["imagem"], conteudo)
    conteudo = _ID.sub(lambda m: f'{m["nome"]}="{proprio}--{m["valor"]}"', conteudo)
    conteudo = _GRUPO_DE_ABAS.sub(lambda m: f'name="{m["valor"]}-{proprio}"', conteudo)
    conteudo = conteudo.replace("<details", "<details open")  # on paper, nothing stays folded
    # Printed at once, the images must be there: none waits to be scrolled to (hooks/imagens.py).
    conteudo = conteudo.replace(' loading="lazy"', "")

    def novo_endereco(m: re.Match) -> str:
        # An image loads from wherever the page is; a link leads out of it, to the published site.
        base = site if m["nome"] == "href" else ""
        endereco = _reescrever(html.unescape(m["valor"]), de, para, prefixos, base)
        return f'{m["nome"]}="{html.escape(endereco, quote=True)}"'

    return _ENDERECO.sub(novo_endereco, conteudo)


def _reescrever(endereco: str, de: str, para: str, prefixos: dict[str, str], site: str) -> str:
    """`endereco`, written on the page at `de`, as the print page at `para` must write it: a place
    on the print page, a path relative to it, or an address under `site` when one is given."""
    partes = urlsplit(endereco)
    if not endereco or partes.scheme or partes.netloc or endereco.startswith("/"):
        return endereco  # none, another site, a data: URL, an absolute path: the same from anywhere
    if not partes.path:  # "#ancora": this very page
        return f"#{prefixos[de]}--{partes.fragment}" if partes.fragment else f"#{prefixos[de]}"
    alvo = posixpath.normpath(posixpath.join(posixpath.dirname("/" + de), partes.path)).lstrip("/")
    pagina = alvo + "/" if (alvo + "/") in prefixos else ("" if alvo in {"", "."} else alvo)
    if pagina in prefixos:  # another page of the course: a place in this one
        return f"#{prefixos[pagina]}--{partes.fragment}" if partes.fragment else f"#{prefixos[pagina]}"
    barra = "/" if partes.path.endswith("/") and alvo else ""
    resto = (f"?{partes.query}" if partes.query else "") + (f"#{partes.fragment}" if partes.fragment else "")
    if site:
        return urljoin(site if site.endswith("/") else site + "/", alvo + barra) + resto
    relativo = posixpath.relpath("/" + alvo, "/" + para.rstrip("/") if para else "/")
    return relativo + (barra if not relativo.endswith("/") else "") + resto
