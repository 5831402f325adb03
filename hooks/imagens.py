"""MkDocs hook: the screenshots of the pages. Each one loads only when the reader scrolls near it
(`loading="lazy"`), and is a link to the image itself: docs/assets/javascripts/ampliar.js opens it
at full size in a dialog over the page, and without JavaScript the link opens the PNG."""

from __future__ import annotations

import re

_IMAGEM = re.compile(r'<img (?P<atributos>[^>]*?)\s*/?>')
_FONTE = re.compile(r'\bsrc="(?P<src>[^"]+)"')


def on_page_content(html: str, page, config, files) -> str:
    return _IMAGEM.sub(_ampliavel, html)


def _ampliavel(imagem: re.Match) -> str:
    atributos = imagem["atributos"]
    fonte = _FONTE.search(atributos)
    if not fonte or 'alt="' not in atributos:
        raise ValueError(f"an image without src or alt text: {imagem[0]}")
    if "loading=" not in atributos:
        atributos += ' loading="lazy"'
    return f'<a class="ampliar" href="{fonte["src"]}"><img {atributos} /></a>'
