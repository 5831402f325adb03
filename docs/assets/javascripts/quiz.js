// The chapter quizzes answer back. Written in Markdown, a question is "**N.** text", optionally a
// list of options "a) ...", and a collapsible "Resposta" whose first line is "**b.**" for the right
// option, followed by one "a) why not" per wrong option (tests/docs/test_quiz.py holds the pages
// to that). Without JavaScript the page stays as written; with it, a multiple-choice question
// becomes buttons that say at once whether the choice is right and why, and an open question asks,
// once its answer is open, whether the reader got it. Answers and the score are kept by progresso.js.
const montarQuiz = () => {
  const titulo = document.getElementById("quiz");
  if (!titulo) {
    return;
  }
  const chave = progresso.pagina();
  const perguntas = [];
  for (let elemento = titulo.nextElementSibling; elemento && elemento.tagName !== "H2";
    elemento = elemento.nextElementSibling) {
    const numero = elemento.tagName === "P" && elemento.firstChild === elemento.firstElementChild &&
      elemento.firstElementChild?.tagName === "STRONG" && elemento.firstElementChild.textContent.match(/^(\d+)\.$/);
    if (numero) {
      perguntas.push({ numero: numero[1], enunciado: elemento });
    } else if (perguntas.length && elemento.tagName === "UL") {
      perguntas.at(-1).opcoes = elemento;
    } else if (perguntas.length && elemento.matches("details")) {
      perguntas.at(-1).resposta = elemento;
    }
  }
  if (!perguntas.length) {
    return;
  }
  progresso.iniciarQuiz(chave, perguntas.length);

  const placar = criar("p", { class: "quiz-placar", "aria-live": "polite" });
  const refazer = criar("button", { type: "button", class: "md-button" }, "Refazer o quiz");
  const atualizarPlacar = () => {
    const respostas = Object.values(progresso.ler().quizzes[chave]?.respostas ?? {});
    const certas = respostas.filter((r) => r.certa).length;
    placar.textContent = respostas.length
      ? `Você acertou ${certas} de ${perguntas.length} perguntas (${respostas.length} respondidas).`
      : `${perguntas.length} perguntas: responda cada uma para ver o seu placar.`;
  };
  const montagens = perguntas.map((pergunta) => {
    pergunta.enunciado.id ||= `quiz-pergunta-${pergunta.numero}`;
    const retorno = criar("div", { class: "quiz-retorno", id: `quiz-retorno-${pergunta.numero}`, "aria-live": "polite" });
    const registrar = (resposta) => {
      progresso.responder(chave, pergunta.numero, resposta);
      atualizarPlacar();
    };
    const letras = [...(pergunta.opcoes?.children ?? [])].map((li) => li.textContent.match(/^([a-e])\) /)?.[1]);
    const mostrar = pergunta.opcoes && letras.every(Boolean)
      ? multiplaEscolha(pergunta, letras, retorno, registrar)
      : aberta(pergunta, retorno, registrar);
    return mostrar;
  });
  const restaurar = () => {
    const respostas = progresso.ler().quizzes[chave]?.respostas ?? {}; // none, if storage is blocked
    perguntas.forEach((pergunta, i) => montagens[i](respostas[pergunta.numero]));
    atualizarPlacar();
  };
  refazer.addEventListener("click", () => {
    progresso.refazerQuiz(chave);
    restaurar();
    perguntas[0].enunciado.scrollIntoView();
  });
  // The score goes after the last question, its self-assessment included.
  const ultima = perguntas.at(-1).resposta;
  const fim = ultima.nextElementSibling?.matches(".quiz-retorno") ? ultima.nextElementSibling : ultima;
  fim.after(criar("div", { class: "quiz-fim" }, placar, refazer));
  restaurar();
};

// Options as buttons; the "Resposta" block is hidden until the reader picks one. Returns how to
// show a stored answer (or none).
const multiplaEscolha = (pergunta, letras, retorno, registrar) => {
  const { enunciado, opcoes, resposta } = pergunta;
  const correta = resposta.querySelector(":scope > p > strong:first-child")?.textContent.match(/^([a-e])\.$/)?.[1];
  const porque = Object.fromEntries([...resposta.querySelectorAll(":scope > ul > li")].map((li) => {
    const [, letra, resto] = li.innerHTML.match(/^\s*([a-e])\)\s*([\s\S]*)$/);
    return [letra, resto];
  }));
  const grupo = criar("div", { class: "quiz-opcoes", role: "group", "aria-labelledby": enunciado.id });
  const botoes = [...opcoes.children].map((li, i) => {
    const botao = criar("button", { type: "button", class: "quiz-opcao", "data-letra": letras[i] });
    botao.innerHTML = li.innerHTML;
    botao.addEventListener("click", () => {
      if (botao.getAttribute("aria-disabled") !== "true") {
        registrar({ escolha: letras[i], certa: letras[i] === correta });
        mostrar({ escolha: letras[i], certa: letras[i] === correta });
      }
    });
    grupo.append(botao);
    return botao;
  });
  opcoes.replaceWith(grupo);
  grupo.after(retorno);

  const mostrar = (dada) => {
    resposta.hidden = !dada;
    resposta.open = Boolean(dada);
    retorno.replaceChildren();
    for (const botao of botoes) {
      const letra = botao.dataset.letra;
      botao.querySelector(".quiz-marca")?.remove();
      botao.classList.remove("quiz-certa", "quiz-errada");
      if (dada) {
        botao.setAttribute("aria-disabled", "true");
      } else {
        botao.removeAttribute("aria-disabled");
      }
      const marca = !dada ? "" : letra === dada.escolha
        ? (dada.certa ? "sua resposta, certa" : "sua resposta, errada")
        : (letra === correta && !dada.certa ? "a resposta certa" : "");
      if (marca) {
        botao.classList.add(letra === correta ? "quiz-certa" : "quiz-errada");
        botao.append(criar("span", { class: "quiz-marca" }, ` (${marca})`));
      }
    }
    if (dada) {
      const veredito = criar("p", {}, criar("strong", {}, dada.certa ? "Certo!" : "Resposta errada."));
      const explicacao = criar("span");
      explicacao.innerHTML = dada.certa
        ? " A resposta abaixo explica por quê, e o que há de errado em cada outra opção."
        : ` ${porque[dada.escolha]} A certa é a ${correta}): a resposta abaixo explica por quê.`;
      veredito.append(explicacao);
      retorno.append(veredito);
    }
  };
  return mostrar;
};

// An open question: once the reader opens its answer, they say whether they got it.
const aberta = (pergunta, retorno, registrar) => {
  const { resposta } = pergunta;
  const mostrar = (dada) => {
    retorno.replaceChildren();
    if (dada) {
      resposta.open = true;
      retorno.append(criar("p", {}, dada.certa ? "Você marcou que acertou." : "Você marcou que errou."));
      return;
    }
    const linha = criar("p", { class: "quiz-autoavaliacao", hidden: "" }, "Você acertou? ");
    for (const [rotulo, certa] of [["Acertei", true], ["Errei", false]]) {
      const botao = criar("button", { type: "button", class: "md-button" }, rotulo);
      botao.addEventListener("click", () => {
        registrar({ certa });
        mostrar({ certa });
      });
      linha.append(botao, " ");
    }
    linha.hidden = !resposta.open;
    retorno.append(linha);
  };
  resposta.after(retorno);
  resposta.addEventListener("toggle", () => {
    const autoavaliacao = retorno.querySelector(".quiz-autoavaliacao");
    if (autoavaliacao && resposta.open) {
      autoavaliacao.hidden = false;
    }
  });
  return mostrar;
};

document$.subscribe(montarQuiz);
