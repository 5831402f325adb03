// A screenshot, clicked, opens at full size in a modal dialog over the page (hooks/imagens.py makes
// each one a link to its PNG). The native <dialog> keeps the keyboard inside it and closes on Esc;
// focus goes back to the link. Listening on the document keeps it working across the theme's
// instant navigation, which swaps the page without reloading this script.
document.addEventListener("click", (evento) => {
  const link = evento.target.closest("a.ampliar");
  if (!link || evento.ctrlKey || evento.metaKey || evento.shiftKey || evento.button !== 0) {
    return;
  }
  evento.preventDefault();
  const miniatura = link.querySelector("img");
  const dialogo = document.createElement("dialog");
  dialogo.className = "ampliacao";
  dialogo.setAttribute("aria-label", "Captura de tela ampliada");
  const fechar = document.createElement("button");
  fechar.type = "button";
  fechar.className = "ampliacao__fechar md-button";
  fechar.textContent = "Fechar";
  const imagem = document.createElement("img");
  imagem.src = link.href;
  imagem.alt = miniatura.alt;
  dialogo.append(fechar, imagem);
  fechar.addEventListener("click", () => dialogo.close());
  // A click on the backdrop (outside the image and the button) closes it too.
  dialogo.addEventListener("click", (clique) => { if (clique.target === dialogo) dialogo.close(); });
  dialogo.addEventListener("close", () => { dialogo.remove(); link.focus(); });
  document.body.append(dialogo);
  dialogo.showModal();
  fechar.focus();
});
