"""Screenshots of the live stack's UI in Portuguese, for the chapters (docs/assets/capturas/).

Taken by test_pratica.py once chapter 5's runs have finished: every stack run proves the views
still render with the words the chapters quote; `./curso nox -s capturas` also saves the PNGs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

CHROMIUM = Path(os.environ.get("MODULO10_CHROMIUM", "/usr/bin/chromium"))
TAMANHO = {"width": 1280, "height": 800}


def preencher_login(pagina, url_api: str, usuario: str, senha: str) -> None:
    """Open the UI, which sends a visitor to the login form, and sign in as a reader does."""
    pagina.goto(f"{url_api}/", wait_until="networkidle")
    pagina.fill("input[name=username]", usuario)
    pagina.fill("input[name=password]", senha)
    pagina.click("button[type=submit]")


def capturar(destino: Path, *, url_api: str, url_flower: str | None, usuario: str, senha: str,
             dag_id: str, run_falho: str) -> dict[str, Path]:
    """Log in as a reader would, open each view, wait for the words it must show, save a PNG.

    Without `url_flower` (the lighter profile has no Flower), only the Airflow UI is captured.
    """
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), f"no Chromium at {CHROMIUM}: install Debian's or set MODULO10_CHROMIUM"
    destino.mkdir(parents=True, exist_ok=True)
    vistas = {
        # file name: (address, text the view must show once it has loaded)
        "lista-de-dags.png": (f"{url_api}/dags?tags=capitulo-5", dag_id),
        # One failed run or several, as the other tests of the stack leave it: singular or plural.
        "grade-e-visao-geral.png": (f"{url_api}/dags/{dag_id}", re.compile(r"Execu(ção|ções) Falhadas?")),
        "execucao-com-falha.png": (f"{url_api}/dags/{dag_id}/runs/{run_falho}", "validar"),
        "log-da-task-validar.png": (
            f"{url_api}/dags/{dag_id}/runs/{run_falho}/tasks/validar", "CotacaoInvalida"
        ),
    }
    salvas = {}
    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        contexto = navegador.new_context(locale="pt-BR", viewport=TAMANHO)
        pagina = contexto.new_page()
        preencher_login(pagina, url_api, usuario, senha)
        pagina.wait_for_url(lambda url: "/auth/login" not in url, timeout=30_000)
        for nome, (endereco, texto) in vistas.items():
            pagina.goto(endereco, wait_until="networkidle")
            pagina.get_by_text(texto).first.wait_for(timeout=30_000)
            pagina.wait_for_timeout(1000)  # charts and the grid animate in
            pagina.screenshot(path=destino / nome)
            salvas[nome] = destino / nome

        if url_flower is None:
            navegador.close()
            return salvas
        flower = navegador.new_context(locale="pt-BR", viewport=TAMANHO,
                                       http_credentials={"username": usuario, "password": senha})
        pagina = flower.new_page()
        pagina.goto(f"{url_flower}/", wait_until="networkidle")
        pagina.get_by_text("celery@").first.wait_for(timeout=30_000)
        pagina.screenshot(path=destino / "flower-workers.png")
        salvas["flower-workers.png"] = destino / "flower-workers.png"
        navegador.close()
    return salvas
