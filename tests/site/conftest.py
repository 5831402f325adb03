"""The `site` tier: the built site, served on 127.0.0.1, read by a real headless Chromium, one per
core (pytest-xdist), each with its share of the tests.

Playwright drives Debian's Chromium (`/usr/bin/chromium`, or MODULO10_CHROMIUM): browsers are never
downloaded. Every page a test opens records its console errors, uncaught exceptions and every
request, so a test can assert that nothing failed and nothing left the machine.
"""

from __future__ import annotations

import fcntl
import functools
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from construcao_do_site import construir
from impressao import CHROMIUM


class _Tratador(SimpleHTTPRequestHandler):
    """Static files, with the site's own 404.html for a missing path (as GitHub Pages does)."""

    def log_message(self, *args) -> None:
        pass

    def send_error(self, code, message=None, explain=None):
        pagina = Path(self.directory) / "404.html"
        if code != 404 or not pagina.is_file():
            return super().send_error(code, message, explain)
        corpo = pagina.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(corpo)))
        self.end_headers()
        self.wfile.write(corpo)


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id) -> Path:
    """The site built once per run: with several workers (pytest-xdist, one per core), the first one
    builds it in their shared temporary folder and the others wait for it."""
    if worker_id == "master":
        return construir(tmp_path_factory.mktemp("site"))
    compartilhada = tmp_path_factory.getbasetemp().parent
    with open(compartilhada / "site.trava", "w") as trava:
        fcntl.flock(trava, fcntl.LOCK_EX)
        if not (compartilhada / "site" / "index.html").is_file():
            construir(compartilhada / "site")
    return compartilhada / "site"


@pytest.fixture(scope="session")
def url_base(site) -> str:
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Tratador, directory=str(site)))
    threading.Thread(target=servidor.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{servidor.server_port}"
    servidor.shutdown()


@pytest.fixture(scope="session")
def navegador():
    if not CHROMIUM.is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's `chromium` (.ci/run does) "
                    "or point MODULO10_CHROMIUM at a Chromium or Chrome binary")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield navegador
        navegador.close()


@dataclass
class Aba:
    """A page plus what it saw: console errors, uncaught exceptions and requests."""

    pagina: object
    erros: list[str] = field(default_factory=list)
    pedidos: list[str] = field(default_factory=list)

    def externos(self) -> list[str]:
        return [u for u in self.pedidos if urlsplit(u).hostname not in (None, "127.0.0.1")
                and not u.startswith(("data:", "blob:", "about:"))]


def _abrir(navegador) -> tuple[Aba, object]:
    contexto = navegador.new_context(locale="pt-BR", permissions=["clipboard-read", "clipboard-write"])
    registro = Aba(contexto.new_page())
    registro.pagina.on("console",
                       lambda m: registro.erros.append(f"console: {m.text}") if m.type == "error" else None)
    registro.pagina.on("pageerror", lambda e: registro.erros.append(f"exception: {e}"))
    registro.pagina.on("request", lambda r: registro.pedidos.append(r.url))
    return registro, contexto


@pytest.fixture
def aba(navegador, url_base):
    """A fresh browser context in Portuguese, with clipboard access, recording what happens."""
    registro, contexto = _abrir(navegador)
    yield registro
    contexto.close()


@pytest.fixture(scope="session")
def aba_do_leitor(navegador, url_base):
    """One context for a reader going from page to page (the browser's cache shared, as theirs is):
    each test that takes it starts with what it saw cleared."""
    registro, contexto = _abrir(navegador)
    yield registro
    contexto.close()


@pytest.fixture
def figura(record_property):
    """`figura(texto)`: a measured figure, printed in the run's summary (from the test's report)."""
    return lambda texto: record_property("figura", texto)


def pytest_terminal_summary(terminalreporter):
    relatorios = [r for chave in ("passed", "failed") for r in terminalreporter.stats.get(chave, [])
                  if r.when == "call"]
    propriedades = [(nome, valor) for r in relatorios for nome, valor in r.user_properties]
    impactos = Counter(i for nome, valor in propriedades if nome == "axe" for i in valor)
    paginas = sum(1 for nome, _ in propriedades if nome == "axe")
    figuras = [valor for nome, valor in propriedades if nome == "figura"]
    if paginas:
        figuras.insert(0, f"pages checked by axe: {paginas}; their violations by impact: "
                          f"{dict(impactos) or 'none'}")
    if figuras:
        terminalreporter.section("site figures")
        for texto in figuras:
            terminalreporter.write_line(texto)
