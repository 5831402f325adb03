// The reader's progress, kept only in their own browser (localStorage; no account, no server):
// the pages they read to the end and their answers to the quizzes (quiz.js). The sidebar marks the
// pages read; the page "Seu progresso" (progresso.md) sums it all up and can erase it.
const progresso = (() => {
  // The site root, from the theme's config of the page the reader first opened: instant navigation
  // swaps pages without reloading this script, so it is computed once.
  const base = JSON.parse(document.getElementById("__config").textContent).base;
  const raiz = new URL(base.endsWith("/") ? base : `${base}/`, location.href).pathname;
  const CHAVE = `modulo10.progresso:${raiz}`;
  const vazio = () => ({ lidas: {}, quizzes: {} });

  const ler = () => {
    try {
      return { ...vazio(), ...JSON.parse(localStorage.getItem(CHAVE)) };
    } catch {
      return vazio(); // storage blocked or garbled: start over rather than break the page
    }
  };
  const mudar = (alteracao) => {
    const dados = ler();
    alteracao(dados);
    try {
      localStorage.setItem(CHAVE, JSON.stringify(dados));
    } catch {
      // Storage blocked (private mode): the page still works, it just forgets.
    }
  };
  // A page's key: its path from the site root ("02-airflow/conceitos/"; "" for the home page).
  const pagina = (endereco = location.href) => new URL(endereco, location.href).pathname.slice(raiz.length);

  return {
    ler,
    pagina,
    marcarLida: (chave) => mudar((d) => { d.lidas[chave] = true; }),
    iniciarQuiz: (chave, total) => mudar((d) => { d.quizzes[chave] = { respostas: {}, ...d.quizzes[chave], total }; }),
    responder: (chave, numero, resposta) => mudar((d) => {
      (d.quizzes[chave] ??= { respostas: {} }).respostas[numero] = resposta;
    }),
    refazerQuiz: (chave) => mudar((d) => { if (d.quizzes[chave]) d.quizzes[chave].respostas = {}; }),
    apagar: () => { try { localStorage.removeItem(CHAVE); } catch { /* nothing was kept */ } },
  };
})();

const criar = (tag, atributos = {}, ...filhos) => {
  const elemento = document.createElement(tag);
  for (const [nome, valor] of Object.entries(atributos)) {
    elemento.setAttribute(nome, valor);
  }
  elemento.append(...filhos);
  return elemento;
};

// Marks each sidebar link whose page was read, in words for screen readers too.
const marcarLidasNaNavegacao = () => {
  const { lidas } = progresso.ler();
  for (const link of document.querySelectorAll(".md-nav--primary a.md-nav__link[href]")) {
    const lida = Boolean(lidas[progresso.pagina(link.href)]);
    link.classList.toggle("progresso-lida", lida);
    if (lida && !link.querySelector(".progresso-oculto")) {
      link.append(criar("span", { class: "progresso-oculto" }, " (lida)"));
    }
  }
};

// A page counts as read when its end comes into view.
const observarFimDaPagina = () => {
  const artigo = document.querySelector("article.md-content__inner");
  if (!artigo) {
    return;
  }
  const fim = criar("div", { class: "progresso-fim", "aria-hidden": "true" });
  artigo.append(fim);
  const chave = progresso.pagina();
  new IntersectionObserver((vistos, observador) => {
    if (vistos.some((v) => v.isIntersecting)) {
      observador.disconnect();
      progresso.marcarLida(chave);
      marcarLidasNaNavegacao();
    }
  }).observe(fim);
};

// The page "Seu progresso": one row per part of the sidebar.
const mostrarProgresso = () => {
  const lugar = document.getElementById("progresso");
  if (!lugar) {
    return;
  }
  const { lidas, quizzes } = progresso.ler();
  const corpo = criar("tbody");
  for (const item of document.querySelectorAll(".md-nav--primary > .md-nav__list > .md-nav__item")) {
    const links = [...item.querySelectorAll("a.md-nav__link[href]")];
    const chaves = [...new Set(links.map((a) => progresso.pagina(a.href)))];
    const nome = item.querySelector(":scope > .md-nav__link")?.textContent.trim();
    const quiz = chaves.map((c) => quizzes[c]).find(Boolean);
    let placar = "—";
    if (quiz) {
      const respostas = Object.values(quiz.respostas);
      placar = `${respostas.filter((r) => r.certa).length} de ${quiz.total} certas` +
        (respostas.length < quiz.total ? ` (${respostas.length} respondidas)` : "");
    }
    corpo.append(criar("tr", {},
      criar("td", {}, nome),
      criar("td", {}, `${chaves.filter((c) => lidas[c]).length} de ${chaves.length}`),
      criar("td", {}, placar)));
  }
  const apagar = criar("button", { type: "button", class: "md-button" }, "Apagar o meu progresso");
  apagar.addEventListener("click", () => {
    if (confirm("Apagar as páginas lidas e as respostas dos quizzes deste navegador?")) {
      progresso.apagar();
      marcarLidasNaNavegacao();
      mostrarProgresso();
    }
  });
  const tabela = criar("table", {},
    criar("thead", {}, criar("tr", {},
      criar("th", { scope: "col" }, "Parte"),
      criar("th", { scope: "col" }, "Páginas lidas"),
      criar("th", { scope: "col" }, "Quiz"))),
    corpo);
  lugar.replaceChildren(criar("div", { class: "md-typeset__table" }, tabela), criar("p", {}, apagar));
};

document$.subscribe(() => {
  marcarLidasNaNavegacao();
  observarFimDaPagina();
  mostrarProgresso();
});
