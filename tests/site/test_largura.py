"""Code that fits: at a 1280 px window, no code block on the site scrolls sideways.

Code is written to fit (tests/lint/largura.py, ruff's line length in snippets/); outputs and
messages (`text` blocks) wrap instead (assets/stylesheets/codigo.css). Collapsed answers and
every content tab are opened first, so no block passes by being hidden.
"""

from __future__ import annotations

from paginas_do_site import caminhos_das_paginas

JANELA = {"width": 1280, "height": 900}

# Each block: is it wider than its box? Described by its page title (or language) and its widest line.
MEDIR = """() => [...document.querySelectorAll('article pre > code')].map(codigo => {
    const bloco = codigo.closest('.highlight');
    const titulo = bloco?.querySelector('.filename')?.textContent
        || [...(bloco?.classList || [])].find(c => c.startsWith('language-')) || '?';
    const maior = Math.max(...codigo.innerText.split('\\n').map(linha => linha.length));
    return {titulo, maior, caixa: codigo.clientWidth, conteudo: codigo.scrollWidth};
})"""
MOSTRAR_TUDO = """() => {
    document.querySelectorAll('article details').forEach(d => { d.open = true; });
    const estilo = document.createElement('style');
    estilo.textContent = '.tabbed-block { display: block !important; }';
    document.head.append(estilo);
}"""


def test_nenhum_bloco_de_codigo_rola_de_lado_numa_janela_de_1280_px(navegador, url_base, figura):
    contexto = navegador.new_context(locale="pt-BR", viewport=JANELA)
    pagina = contexto.new_page()
    largos, escondidos, medidos = [], [], 0
    for caminho in caminhos_das_paginas():
        pagina.goto(url_base + caminho, wait_until="load")
        pagina.evaluate(MOSTRAR_TUDO)
        for bloco in pagina.evaluate(MEDIR):
            medidos += 1
            descricao = f"{caminho} {bloco['titulo']}: linha de {bloco['maior']} caracteres"
            if bloco["caixa"] == 0:
                escondidos.append(descricao)
            elif bloco["conteudo"] > bloco["caixa"]:
                largos.append(f"{descricao}, {bloco['conteudo']} px numa caixa de {bloco['caixa']} px")
    contexto.close()
    figura(f"code blocks measured at 1280 px: {medidos}; scrolling sideways: {len(largos)}")
    assert medidos > 100
    assert escondidos == [], "blocks not measured (still hidden):\n" + "\n".join(escondidos)
    assert largos == [], f"{len(largos)} code blocks scroll sideways:\n" + "\n".join(largos)
