// Nomes acessíveis que o tema não dá: o diálogo da busca, a barra de progresso da navegação
// instantânea e os marcadores numerados das anotações de código, que o tema cria depois da carga.
// E o código das células de notebook, que rola na horizontal, alcançável pelo teclado.
const nomear = (seletor, nome) => {
  for (const elemento of document.querySelectorAll(`${seletor}:not([aria-label])`)) {
    elemento.setAttribute("aria-label", nome(elemento));
  }
};

new MutationObserver(() => {
  nomear(".md-search[role=dialog]", () => "Busca no site");
  nomear(".md-progress[role=progressbar]", () => "Carregando a página");
  nomear("a.md-annotation__index", (a) => `Nota ${a.querySelector("[data-md-annotation-id]")?.dataset.mdAnnotationId ?? ""}`);
  for (const celula of document.querySelectorAll(".highlight-ipynb:not([tabindex])")) {
    celula.tabIndex = 0;
  }
}).observe(document.body, { childList: true, subtree: true });
