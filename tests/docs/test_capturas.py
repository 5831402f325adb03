"""The UI screenshots (docs/assets/capturas, made by `./curso nox -s capturas` from the live stack):
every one a page shows exists and is the very file that session saved (its manifest lists each PNG
with its hash, and the browser's time zone), and every one that exists is shown by some page."""

from __future__ import annotations

import hashlib
import json
import re

from conftest import DOCS, paginas

CAPTURAS = DOCS / "assets" / "capturas"
MANIFESTO = CAPTURAS / "capturas.json"
IMAGEM = re.compile(r"!\[[^\]]*\]\((?P<alvo>[^)\s]+)")


def capturas_citadas() -> dict[str, list[str]]:
    citadas: dict[str, list[str]] = {}
    for pagina in paginas():
        for alvo in IMAGEM.findall(pagina.read_text(encoding="utf-8")):
            caminho = (pagina.parent / alvo).resolve()
            if caminho.parent == CAPTURAS.resolve():
                citadas.setdefault(caminho.name, []).append(str(pagina.relative_to(DOCS)))
    return citadas


def test_toda_captura_citada_existe():
    faltando = {nome: quem for nome, quem in capturas_citadas().items() if not (CAPTURAS / nome).is_file()}
    assert faltando == {}


def test_toda_captura_existente_e_citada():
    existentes = {p.name for p in CAPTURAS.glob("*.png")}
    assert existentes, "no screenshot in docs/assets/capturas: run ./curso nox -s capturas"
    assert existentes - set(capturas_citadas()) == set()


def test_toda_captura_veio_da_sessao_de_capturas():
    manifesto = json.loads(MANIFESTO.read_text(encoding="utf-8"))
    assert manifesto["fuso"] == "America/Sao_Paulo"
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in CAPTURAS.glob("*.png")}
    diferentes = {nome for nome in hashes if manifesto["capturas"].get(nome) != hashes[nome]}
    assert diferentes == set(), "not as `./curso nox -s capturas` saved them: run it again"
    assert set(manifesto["capturas"]) == set(hashes)
