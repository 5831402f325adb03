"""The course as a PDF: the built site's print page (docs/imprimir.md, hooks/impressao.py) printed by
Chromium into the site itself, as `modulo10-airflow.pdf`, which the print page and the home page link.

The `site` tier prints it and checks it (tests/site/test_impressao.py); the publishing workflow prints
it after its build (`./curso nox -s construir`):

    python tests/impressao.py site/
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ARQUIVO = "modulo10-airflow.pdf"
CHROMIUM = Path(os.environ.get("MODULO10_CHROMIUM", "/usr/bin/chromium"))
PAGINA = "/imprimir/"
# Chromium's own footer, in Portuguese: its pageNumber and totalPages classes are filled in per sheet.
RODAPE = ('<div style="width: 100%; font-size: 8px; color: #555; text-align: center;">'
          'Módulo 10 — Airflow e Orquestração de Dados · página <span class="pageNumber"></span> de '
          '<span class="totalPages"></span></div>')
# Material draws each diagram into a new div.mermaid in place of its pre; the page is printed once
# every one is drawn and every image has arrived.
PRONTA = """n => document.querySelectorAll('article div.mermaid').length === n
    && [...document.images].every(i => i.complete && i.naturalWidth > 0)"""


class _Silencioso(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def diagramas(site: Path) -> int:
    """How many Mermaid diagrams the print page has, counted in its HTML."""
    pagina = site / PAGINA.strip("/") / "index.html"
    return pagina.read_text(encoding="utf-8").count('<pre class="mermaid">')


def imprimir(site: Path, navegador=None) -> Path:
    """Print the site's print page into `site/ARQUIVO`, with a browser of the caller's or a new one."""
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Silencioso, directory=str(site)))
    threading.Thread(target=servidor.serve_forever, daemon=True).start()
    try:
        if navegador is not None:
            return _imprimir(navegador, f"http://127.0.0.1:{servidor.server_port}", site)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            proprio = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            try:
                return _imprimir(proprio, f"http://127.0.0.1:{servidor.server_port}", site)
            finally:
                proprio.close()
    finally:
        servidor.shutdown()


def _imprimir(navegador, base: str, site: Path) -> Path:
    contexto = navegador.new_context(locale="pt-BR")
    try:
        pagina = contexto.new_page()
        # "load", not "networkidle": the page is some 2 MB of HTML, and the network falls quiet long
        # before the parser reaches the theme's script at its end.
        pagina.goto(base + PAGINA, wait_until="load", timeout=120_000)
        pagina.wait_for_function(PRONTA, arg=diagramas(site), timeout=120_000)
        destino = site / ARQUIVO
        pagina.pdf(path=destino, format="A4", print_background=True, outline=True, tagged=True,
                   display_header_footer=True, header_template="<span></span>", footer_template=RODAPE,
                   margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
        return destino
    finally:
        contexto.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"uso: python {sys.argv[0]} <pasta do site construído>")
    if not CHROMIUM.is_file():
        sys.exit(f"sem Chromium em {CHROMIUM}: instale o `chromium` do Debian "
                 "ou aponte MODULO10_CHROMIUM para ele")
    arquivo = imprimir(Path(sys.argv[1]))
    print(f"{arquivo}: {arquivo.stat().st_size / 2**20:.1f} MiB")
