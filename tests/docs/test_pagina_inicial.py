"""The home page shows the path: the setup page first, then the five chapters in the order of the
navigation, each card with its reading time, counted from the chapter's own pages (hooks/leitura.py)."""

from __future__ import annotations

import importlib.util
import re

from conftest import CONFIG, RAIZ

_modulo = importlib.util.spec_from_file_location("leitura", RAIZ / "hooks" / "leitura.py")
leitura = importlib.util.module_from_spec(_modulo)
_modulo.loader.exec_module(leitura)


def cartoes(site) -> list[tuple[str, str]]:
    """(link, text) of each card of the home page's grid."""
    html = (site / "index.html").read_text(encoding="utf-8")
    (grade,) = re.findall(r'<div class="grid cards">(.*?)</div>', html, re.S)
    return [(re.search(r'href="([^"]+)"', li)[1], re.sub(r"<[^>]+>", "", li))
            for li in re.findall(r"<li>(.*?)</li>", grade, re.S)]


def partes_da_navegacao() -> list[str]:
    """The setup page and each chapter's folder, as mkdocs.yml's nav orders them."""
    partes = []
    for item in CONFIG["nav"]:
        (valor,) = item.values()
        if valor == "comecar.md":
            partes.append("comecar/")
        elif isinstance(valor, list) and isinstance(valor[0], str) and valor[0].endswith("/index.md"):
            partes.append(valor[0].removesuffix("index.md"))
    return partes


def test_o_caminho_comeca_pela_stack_e_segue_os_capitulos_na_ordem(site):
    assert [link for link, _ in cartoes(site)] == partes_da_navegacao()
    assert len(partes_da_navegacao()) == 6


def test_cada_cartao_diz_o_que_se_aprende_o_que_se_constroi_e_o_tempo_de_leitura(site):
    for link, texto in cartoes(site):
        alvo = RAIZ / "docs" / ("comecar.md" if link == "comecar/" else link)
        assert "Você vai aprender" in texto and re.search(r"Você vai (construir|fazer)", texto), link
        assert re.findall(r"(\d+) min de leitura", texto) == [str(leitura.minutos(alvo))], link
    assert "<!-- leitura" not in (site / "index.html").read_text(encoding="utf-8")


def test_o_tempo_de_leitura_conta_o_texto_e_nao_o_codigo():
    pagina = """Uma frase com cinco palavras.

```python
x = soma(1, 2)
```

!!! note "Nota"

    ```bash
    echo um dois tres
    ```

--8<-- "snippets/dags/uma_dag.py"
"""
    assert leitura.palavras(pagina) == 5 + 2  # the admonition's "note" and "Nota" count: they are read
