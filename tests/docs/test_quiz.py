"""The quizzes are written so that quiz.js can make them answer back: questions numbered in order,
each with a "Resposta" block; a multiple-choice question's answer names the right option first
("**b.**") and then says, option by option, why each other one is wrong."""

from __future__ import annotations

import re

import pytest
from conftest import DOCS, paginas

QUIZZES = [p for p in paginas() if p.suffix == ".md" and "\n## Quiz\n" in p.read_text(encoding="utf-8")]
PERGUNTA = re.compile(r"^\*\*(\d+)\.\*\* ", re.M)


def perguntas(pagina) -> list[tuple[int, str]]:
    """(number, whole text up to the next question) of each question of the page's quiz."""
    quiz = pagina.read_text(encoding="utf-8").split("\n## Quiz\n", 1)[1].split("\n## ", 1)[0]
    partes = PERGUNTA.split(quiz)[1:]
    return [(int(numero), texto) for numero, texto in zip(partes[::2], partes[1::2], strict=True)]


def test_cada_capitulo_tem_quiz():
    capitulos = {p.parent.name for p in QUIZZES}
    assert capitulos == {p.name for p in DOCS.glob("0[1-5]-*")}


@pytest.mark.parametrize("pagina", QUIZZES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_as_perguntas_seguem_o_formato_que_o_quiz_interativo_le(pagina):
    lista = perguntas(pagina)
    assert [numero for numero, _ in lista] == list(range(1, len(lista) + 1))
    for numero, texto in lista:
        enunciado, _, resposta = texto.partition('\n??? success "Resposta"\n')
        assert resposta, f"question {numero}: no '??? success \"Resposta\"' block"
        opcoes = re.findall(r"^- ([a-e])\) ", enunciado, re.M)
        if not opcoes:
            continue
        assert opcoes == list("abcde"[:len(opcoes)]), f"question {numero}: options {opcoes}"
        certa = re.match(r"\s*\*\*([a-e])\.\*\* ", resposta)
        assert certa and certa[1] in opcoes, f"question {numero}: the answer must open with '**x.**'"
        explicadas = re.findall(r"^    - ([a-e])\) ", resposta, re.M)
        assert explicadas == [o for o in opcoes if o != certa[1]], (
            f"question {numero}: each wrong option needs its own '- x) why' line, in order")
