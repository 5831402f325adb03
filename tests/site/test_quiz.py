"""The quizzes answer back and the reader's progress is kept in their browser (quiz.js,
progresso.js): a wrong option says why, the right one confirms, an open question asks whether the
reader got it; answers survive a reload, show on the page "Seu progresso", and can be erased."""

from __future__ import annotations

import re

import pytest
from paginas_do_site import graves, violacoes

QUIZ = "/01-orquestracao/exercicios/"
PARTE = "1. Orquestração de dados"


class Quiz:
    """The quiz of a page, as the reader sees it."""

    def __init__(self, pagina):
        self.pagina = pagina

    def multipla_escolha(self) -> list[dict]:
        """Each multiple-choice question: its number, its right letter (from the page's own answer)
        and the explanation the answer gives for each wrong letter."""
        return self.pagina.evaluate("""() => [...document.querySelectorAll('.quiz-opcoes')].map(g => {
            const enunciado = document.getElementById(g.getAttribute('aria-labelledby'));
            let resposta = g.nextElementSibling;
            while (!resposta.matches('details')) resposta = resposta.nextElementSibling;
            return {
              numero: enunciado.querySelector('strong').textContent.replace('.', ''),
              certa: resposta.querySelector(':scope > p > strong').textContent.replace('.', ''),
              porque: Object.fromEntries([...resposta.querySelectorAll(':scope > ul > li')]
                .map(li => [li.textContent.trim()[0], li.textContent.trim().slice(3)])),
            };
        })""")

    def grupo(self, numero: str):
        return self.pagina.locator(f".quiz-opcoes[aria-labelledby='quiz-pergunta-{numero}']")

    def retorno(self, numero: str) -> str:
        return self.pagina.locator(f"#quiz-retorno-{numero}").inner_text()

    def placar(self) -> str:
        return self.pagina.locator(".quiz-placar").inner_text()


def abrir(pagina, endereco: str, montado: str) -> None:
    """Go to `endereco` and wait for the script-built part (`montado`, a selector): on a busy
    machine the network can fall quiet before the theme's page event has run the scripts."""
    pagina.goto(endereco, wait_until="networkidle")
    pagina.wait_for_selector(montado, state="attached")


@pytest.fixture
def quiz(url_base, aba) -> Quiz:
    abrir(aba.pagina, url_base + QUIZ, ".quiz-fim")
    return Quiz(aba.pagina)


def normalizar(texto: str) -> str:
    return re.sub(r"\s+", " ", texto).strip()


def test_a_opcao_errada_diz_por_que_e_a_certa_confirma(quiz, aba):
    errada, certa = quiz.multipla_escolha()[:2]
    letra = next(iter(errada["porque"]))
    resposta = quiz.grupo(errada["numero"]).locator("xpath=following-sibling::details[1]")
    assert resposta.is_hidden()  # the answer waits for the reader's choice
    quiz.grupo(errada["numero"]).locator(f"button[data-letra='{letra}']").click()
    retorno = normalizar(quiz.retorno(errada["numero"]))
    assert retorno.startswith("Resposta errada.")
    assert normalizar(errada["porque"][letra]) in retorno
    assert f"A certa é a {errada['certa']})" in retorno
    assert resposta.is_visible() and resposta.evaluate("d => d.open")
    # Answered is answered: another click changes nothing.
    outra = quiz.grupo(errada["numero"]).locator(f"button[data-letra='{errada['certa']}']")
    assert outra.get_attribute("aria-disabled") == "true"
    outra.click(force=True)  # Playwright, like a screen reader, takes aria-disabled at its word
    assert normalizar(quiz.retorno(errada["numero"])) == retorno
    assert "(sua resposta, errada)" in quiz.grupo(errada["numero"]).inner_text()
    assert "(a resposta certa)" in outra.inner_text()

    quiz.grupo(certa["numero"]).locator(f"button[data-letra='{certa['certa']}']").click()
    assert quiz.retorno(certa["numero"]).startswith("Certo!")
    total = aba.pagina.locator("#quiz ~ p > strong:first-child").evaluate_all(
        "ss => ss.filter(s => /^\\d+\\.$/.test(s.textContent)).length")
    assert quiz.placar() == f"Você acertou 1 de {total} perguntas (2 respondidas)."
    assert aba.erros == []


def test_a_pergunta_aberta_pergunta_se_o_leitor_acertou(quiz):
    resposta = quiz.pagina.locator("#quiz ~ details:not([hidden])").first
    pergunta = quiz.pagina.locator(".quiz-autoavaliacao").first
    assert pergunta.is_hidden()  # not before the reader has seen the answer
    resposta.locator("summary").click()
    pergunta.get_by_role("button", name="Errei").click()
    marcada = quiz.pagina.locator(".quiz-retorno").filter(has_text="marcou")
    assert marcada.inner_text() == "Você marcou que errou."
    assert quiz.placar().startswith("Você acertou 0 de ")


def test_o_quiz_se_responde_pelo_teclado_e_passa_no_axe(quiz, aba):
    primeira = quiz.multipla_escolha()[0]
    botao = quiz.grupo(primeira["numero"]).locator(f"button[data-letra='{primeira['certa']}']")
    botao.focus()
    aba.pagina.keyboard.press("Enter")
    assert quiz.retorno(primeira["numero"]).startswith("Certo!")
    aba.pagina.keyboard.press("Tab")  # the answered options stay reachable, to be read again
    assert aba.pagina.evaluate("document.activeElement.classList.contains('quiz-opcao')")
    assert graves(violacoes(aba.pagina)) == []


def linha_do_progresso(pagina, parte: str) -> list[str]:
    return pagina.locator("#progresso tbody tr").filter(
        has=pagina.locator(f"td:text-is('{parte}')")).locator("td").all_inner_texts()


def test_o_progresso_sobrevive_a_recarga_aparece_na_navegacao_e_se_apaga(quiz, aba, url_base):
    pagina = aba.pagina
    primeira = quiz.multipla_escolha()[0]
    quiz.grupo(primeira["numero"]).locator(f"button[data-letra='{primeira['certa']}']").click()
    placar = quiz.placar()
    pagina.reload(wait_until="networkidle")
    pagina.wait_for_selector(".quiz-fim", state="attached")
    assert quiz.placar() == placar
    assert "(sua resposta, certa)" in quiz.grupo(primeira["numero"]).inner_text()

    # Read to the end: the sidebar marks the page, in words for screen readers.
    pagina.locator(".progresso-fim").scroll_into_view_if_needed()
    link = pagina.locator(".md-nav--primary a.md-nav__link--active").first
    link.locator(".progresso-oculto").wait_for(state="attached")
    assert link.text_content().endswith(" (lida)")

    abrir(pagina, url_base + "/progresso/", "#progresso table")
    _, lidas, quiz_feito = linha_do_progresso(pagina, PARTE)
    assert re.fullmatch(r"1 de \d+", lidas) and quiz_feito.startswith("1 de ") and "certas" in quiz_feito

    pagina.once("dialog", lambda dialogo: dialogo.accept())
    pagina.get_by_role("button", name="Apagar o meu progresso").click()
    _, lidas, quiz_feito = linha_do_progresso(pagina, PARTE)
    assert (lidas.split(" de ")[0], quiz_feito) == ("0", "—")
    abrir(pagina, url_base + QUIZ, ".quiz-fim")
    assert quiz.placar().endswith("responda cada uma para ver o seu placar.")


def test_refazer_o_quiz_apaga_so_as_respostas_dele(quiz, aba):
    primeira = quiz.multipla_escolha()[0]
    quiz.grupo(primeira["numero"]).locator(f"button[data-letra='{primeira['certa']}']").click()
    aba.pagina.get_by_role("button", name="Refazer o quiz").click()
    assert quiz.placar().endswith("responda cada uma para ver o seu placar.")
    assert quiz.grupo(primeira["numero"]).locator("[aria-disabled]").count() == 0
    assert quiz.retorno(primeira["numero"]) == ""


def test_o_placar_vem_depois_da_ultima_pergunta_mesmo_aberta(url_base, aba):
    # Chapter 3's quiz ends with an open question: its "Você acertou?" comes before the score.
    abrir(aba.pagina, url_base + "/03-arquitetura/exercicios/", ".quiz-fim")
    quiz = Quiz(aba.pagina)
    aba.pagina.locator("#quiz ~ details:not([hidden])").last.locator("summary").click()
    aba.pagina.locator(".quiz-autoavaliacao").last.get_by_role("button", name="Acertei").click()
    assert quiz.placar().startswith("Você acertou 1 de ")
    assert aba.pagina.evaluate("""() => {
        const retornos = [...document.querySelectorAll('.quiz-retorno')];
        const fim = document.querySelector('.quiz-fim');
        return retornos.every(r => r.compareDocumentPosition(fim) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
