// O Mermaid (3,5 MB) só é baixado nas páginas que têm diagrama. O tema procura um `mermaid`
// global e, sem ele, buscaria o Mermaid numa CDN; este substituto guarda a configuração do tema
// e, no primeiro diagrama, carrega a cópia servida pelo próprio site e passa a ela o desenho.
(() => {
  const endereco = new URL("vendor/mermaid-11.17.2.min.js", document.currentScript.src).href;
  let configuracao = {};
  let carregamento = null;

  const carregar = () => {
    carregamento ??= new Promise((pronto, falha) => {
      const script = document.createElement("script");
      script.src = endereco;
      script.onload = () => {
        window.mermaid.initialize(configuracao);
        pronto(window.mermaid);
      };
      script.onerror = () => falha(new Error(`não foi possível carregar ${endereco}`));
      document.head.append(script);
    });
    return carregamento;
  };

  window.mermaid = {
    initialize(opcoes) {
      configuracao = opcoes;
    },
    async render(id, texto) {
      const mermaid = await carregar();
      return mermaid.render(id, texto);
    },
  };
})();
