// The site's search worker. The search box and its result list are Material for MkDocs' own; the
// answers come from Pagefind, whose index hooks/busca.py builds into pagefind/ after each build.
// Material talks to its worker in four messages (SETUP, READY, QUERY, RESULT) and lets a site
// bring its own worker that speaks them (hooks/busca.py points the page's config at this file).
//
// Pagefind ignores accents, stems Portuguese and weighs headings; this worker adds what it lacks
// for readers: the glossary's Portuguese and English names of a term as synonyms (they come in
// the SETUP message, from search_index.json), a boost for pages with the words in the order typed
// (a pasted error, a command), and, when every word together finds too little, the query with one
// word left out. tests/site/buscas.yaml measures it.

const SETUP = 0
const READY = 1
const QUERY = 2
const RESULT = 3

const RAIZ = new URL("../../", self.location) // this file is assets/javascripts/busca.js
const RESULTADOS = 10 // Material shows ten at once; each one costs Pagefind a fragment to fetch
const POUCOS = 3 // below this many pages, the query is relaxed
// What each search adds to a page's score, at most (see `buscar`).
const PESO_DA_FRASE = 1
const PESO_DO_SINONIMO = 1
const PESO_DO_RELAXAMENTO = 0.5

// Words that carry no subject in a Portuguese question: leaving one out would not relax a query.
const VAZIAS = new Set(
  ("a à ao aos as às com como da das de do dos e é em entre o os ou para pela pelo por qual quais " +
    "que se sem sobre um uma umas uns na nas no nos num numa meu minha").split(" ")
)

let sinonimos = [] // [["metadata database", "banco de metadados"], ...], normalized
let pagefind // loaded at the first query: a page load does not pay for search
let ultima // the newest query: the answer to an older one is dropped

const normalizar = texto => texto.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
// Portuguese plurals to the singular, for matching synonyms only ("conexoes" finds the glossary's
// "conexão"); Pagefind's own stemming takes care of the searches.
const singular = palavra => palavra.replace(/(?:oes|aes)$/, "ao").replace(/eis$/, "el")
  .replace(/([rz])es$/, "$1").replace(/([aeiou])s$/, "$1")
const palavras = texto => normalizar(texto).split(/[^\p{L}\p{N}_]+/u).filter(Boolean)

async function carregar() {
  if (!pagefind) {
    pagefind = await import(new URL("pagefind/pagefind.js", RAIZ).href)
    // Already in a worker: Pagefind runs here instead of starting one of its own.
    await pagefind.options({
      basePath: new URL("pagefind/", RAIZ).pathname,
      baseUrl: "/",
      noWorker: true,
      // Less penalty for long pages than Pagefind's 0.75: the glossary and the troubleshooting page
      // are long because they answer many questions (on tests/site/buscas.yaml, 93 % of queries
      // find their page in the top 3 at 0.75, 98 % at 0.5, 96 % at 0.3).
      ranking: { pageLength: 0.5 },
    })
  }
  return pagefind
}

// The searches one query makes, each with its weight: the words as typed; the same words as a
// phrase, so a page that has them in that order (a pasted error, a command) comes first; and each
// glossary synonym swapped in. A page's score is the sum of its scores in each.
function variantes(consulta) {
  const escritas = consulta.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean)
  const normais = escritas.map(p => singular(normalizar(p)))
  const lista = [[escritas.join(" "), 1]]
  if (escritas.length > 1)
    lista.push([`"${escritas.join(" ")}"`, PESO_DA_FRASE])
  for (const grupo of sinonimos)
    for (const termo of grupo) {
      const inicio = posicao(normais, termo)
      if (inicio < 0)
        continue
      for (const outro of grupo)
        if (outro !== termo) {
          const trocada = [...escritas.slice(0, inicio), outro, ...escritas.slice(inicio + termo.split(" ").length)]
          lista.push([trocada.join(" "), PESO_DO_SINONIMO])
        }
    }
  return lista
}

// Where the words of `termo` start in `normais`, or -1.
function posicao(normais, termo) {
  const partes = termo.split(" ")
  for (let i = 0; i + partes.length <= normais.length; i++)
    if (partes.every((parte, j) => normais[i + j] === parte))
      return i
  return -1
}

// When all the words together find too little: the query without one of its words, for each word
// but the filler ones.
function relaxamentos(consulta) {
  const escritas = consulta.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean)
  return escritas.length < 2 ? [] : escritas.flatMap((palavra, i) => VAZIAS.has(normalizar(palavra)) ? [] :
    [[escritas.filter((_, j) => j !== i).join(" "), PESO_DO_RELAXAMENTO]])
}

async function buscar(consulta) {
  const pf = await carregar()
  const somas = new Map() // page id -> {score, resultado}
  const rodar = async lista => {
    for (const [texto, peso] of lista) {
      if (consulta !== ultima)
        return // the reader kept typing: this answer would be dropped anyway
      const { results } = await pf.search(texto)
      // Scores of different searches are not on one scale (a rare word scores high): each search
      // counts up to its weight, its best page getting all of it.
      const maximo = Math.max(...results.map(r => r.score))
      for (const resultado of results) {
        const atual = somas.get(resultado.id) || { score: 0, resultado }
        atual.score += peso * resultado.score / maximo
        somas.set(resultado.id, atual)
      }
    }
  }
  await rodar(variantes(consulta))
  if (somas.size < POUCOS)
    await rodar(relaxamentos(consulta))
  if (consulta !== ultima)
    return []
  const primeiros = [...somas.values()].sort((a, b) => b.score - a.score).slice(0, RESULTADOS)
  const termos = Object.fromEntries(palavras(consulta).map(p => [p, true]))
  const nomes = variantes(consulta).map(([texto]) => palavras(texto).map(singular).join(" "))
  return Promise.all(primeiros.map(async ({ score, resultado }) =>
    grupo(await resultado.data(), score, termos, nomes)))
}

// One page in Material's shape: the page first, then its sections; the best section shows its
// excerpt under the page's title, the others fold under "mais resultados nesta página".
function grupo(dados, score, termos, nomes) {
  const local = url => url.replace(/^\//, "") // relative to the site root, wherever it is served
  // The best section is titled by the query or a synonym of it (the glossary entry "Metadata
  // database" for "banco de metadados"); then the one with the most of the query's words (Pagefind
  // marks them in its excerpt; filler words like "de" are everywhere and do not count); then the
  // highest Pagefind score.
  const intitulada = secao => nomes.some(nome =>
    ` ${palavras(secao.title).map(singular).join(" ")} `.includes(` ${nome} `))
  const marcadas = secao => new Set([...secao.excerpt.matchAll(/<mark>(.*?)<\/mark>/g)]
    .flatMap(m => palavras(m[1])).filter(p => !VAZIAS.has(p))).size
  const peso = secao => (secao.weighted_locations || []).reduce((soma, l) => soma + l.balanced_score, 0)
  const secoes = dados.sub_results.filter(s => s.url.includes("#"))
    .sort((a, b) => intitulada(b) - intitulada(a) || marcadas(b) - marcadas(a) || peso(b) - peso(a))
  const pagina = { location: local(dados.url), title: dados.meta.title, text: dados.excerpt, score, terms: termos }
  return [pagina, ...secoes.map((s, i) => ({
    location: local(s.url), title: s.title, text: s.excerpt, score: i === 0 ? score : score / 2, terms: termos
  }))]
}

addEventListener("message", async ({ data: mensagem }) => {
  if (mensagem.type === SETUP) {
    sinonimos = (mensagem.data.config.sinonimos || [])
      .map(grupo => grupo.map(t => palavras(t).map(singular).join(" ")))
    postMessage({ type: READY })
  } else if (mensagem.type === QUERY) {
    ultima = mensagem.data
    let items = []
    try {
      if (mensagem.data.trim())
        items = await buscar(mensagem.data)
    } catch (erro) {
      console.error("busca: Pagefind failed", erro) // an empty list alone would hide a broken index
    }
    if (mensagem.data === ultima) // Material ignores `consulta`; the site tier waits for it
      postMessage({ type: RESULT, data: { items }, consulta: mensagem.data })
  }
})
