// Nomes acessíveis que o tema não dá: o diálogo da busca e a barra de progresso da navegação
// instantânea. `document$` é o evento do tema a cada página, inclusive nas trocas sem recarregar.
document$.subscribe(() => {
  document.querySelector(".md-search[role=dialog]")?.setAttribute("aria-label", "Busca no site");
});
new MutationObserver(() => {
  document.querySelector(".md-progress[role=progressbar]:not([aria-label])")
    ?.setAttribute("aria-label", "Carregando a página");
}).observe(document.body, { childList: true, subtree: true });
