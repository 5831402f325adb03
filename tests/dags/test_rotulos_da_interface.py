"""The Airflow UI's own words: every label the course quotes is in the Portuguese locale that ships
with the pinned apache-airflow (airflow/ui/dist/i18n/locales/pt), and the English name beside it is
the same string's English text. An upgrade that renames a button fails here.

Quoted labels are found in two forms: `"Rótulo" (*English*)` in any page, and the bold labels of the
glossary's "*Na interface:*" paragraphs. An ellipsis (…) in a quoted label stands for a name.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from conftest import RAIZ

DOCS = RAIZ / "docs"
PAR = re.compile(r'"([^"\n]{2,60})" \(\*([^*\n]{2,60})\*')
MARCADOR = re.compile(r"\{\{[^}]*\}\}")


@cache
def locale(lingua: str) -> dict[str, str]:
    """Every UI string of one language, by `file:dotted.key`."""
    import airflow

    pasta = Path(airflow.__file__).parent / "ui" / "dist" / "i18n" / "locales" / lingua

    def planos(arvore, prefixo=""):
        for chave, valor in arvore.items():
            if isinstance(valor, dict):
                yield from planos(valor, f"{prefixo}{chave}.")
            else:
                yield prefixo + chave, valor

    return {f"{arquivo.stem}:{chave}": valor for arquivo in sorted(pasta.glob("*.json"))
            for chave, valor in planos(json.loads(arquivo.read_text(encoding="utf-8")))}


def _normal(texto: str) -> str:
    return " ".join(texto.split())


@cache
def _como_modelo(texto: str) -> re.Pattern:
    """`texto` as a case-insensitive pattern in which each ellipsis stands for any name."""
    return re.compile(re.escape(texto).replace("…", ".+"), re.I)


def _le_como(modelo: str, texto: str) -> bool:
    """Does `texto` read as `modelo`, whose ellipses stand for any name? (Without one, a plain comparison.)"""
    return bool(_como_modelo(modelo).fullmatch(texto)) if "…" in modelo else modelo.lower() == texto.lower()


@cache
def _da_interface(valor: str) -> tuple[str, str, str]:
    """A UI string's model (each {{placeholder}} as an ellipsis), its literal text, and that text
    without a trailing hint in parentheses."""
    modelo = MARCADOR.sub("…", _normal(valor))
    literal = _normal(MARCADOR.sub("", _normal(valor)))
    return modelo, literal, re.sub(r"\s*\([^)]*\)$", "", literal).lower()


def combina(citado: str, valor: str) -> bool:
    """Does the UI string `valor` read as the quoted `citado`?

    A {{placeholder}} in the UI string, or an ellipsis in the quote, stands for any name; and a quote
    may leave out the placeholders and a trailing keyboard hint ("Limpar {{type}}" is quoted
    "Limpar", "Mostrar Grade (Pressione g)" as "Mostrar Grade").
    """
    citado = _normal(citado)
    modelo, literal, sem_dica = _da_interface(valor)
    if not literal:
        return False  # "{{type}} {{id}}" would read as anything
    return _le_como(modelo, citado) or _le_como(citado, modelo) or citado.lower() == sem_dica


def chaves_de(citado: str, lingua: str = "pt") -> list[str]:
    return [chave for chave, valor in locale(lingua).items() if combina(citado, valor)]


def citacoes() -> list[tuple[str, str, str | None]]:
    """(page, Portuguese label, English name or None) for every UI label the course quotes."""
    achadas = []
    for pagina in sorted(DOCS.rglob("*.md")):
        texto = pagina.read_text(encoding="utf-8")
        nome = str(pagina.relative_to(DOCS))
        achadas += [(nome, pt, en) for pt, en in PAR.findall(texto)]
        for paragrafo in re.findall(r"\*Na interface:\*(.*?)(?:\n\n|\Z)", texto, re.S):
            achadas += [(nome, _normal(rotulo), None) for rotulo in re.findall(r"\*\*([^*]+)\*\*", paragrafo)]
    return achadas


def test_ha_rotulos_citados():
    assert len(citacoes()) > 100


@pytest.mark.parametrize(("pagina", "rotulo", "ingles"), citacoes(), ids=lambda valor: str(valor))
def test_rotulo_citado_existe_na_interface_em_portugues(pagina, rotulo, ingles):
    *menus, rotulo = re.split(r"\s*[→›]\s*", rotulo)  # "Administração → Conexões": a menu path
    for menu in menus:
        assert chaves_de(menu), f"{pagina}: no string of the pt locale reads {menu!r}"
    chaves = chaves_de(rotulo)
    assert chaves, f"{pagina}: no string of the pt locale reads {rotulo!r}"
    if ingles is not None:
        ultimo = ingles.split("›")[-1].strip()
        ingleses = {chave: locale("en").get(chave, "") for chave in chaves}
        assert any(combina(ultimo, valor) for valor in ingleses.values()), (
            f"{pagina}: {rotulo!r} is not {ingles!r} in English but {sorted(set(ingleses.values()))}"
        )


def test_um_rotulo_que_a_interface_nao_tem_e_recusado():
    assert chaves_de("Disparar Agora Mesmo") == []
    assert not combina("Mostrar Gráfico", "Mostrar Grade (Pressione g)")
    assert combina("Limpar", "Limpar {{type}}")
    assert combina("Despausar … ao acionar", "Despausar {{x}} ao acionar")
