// The text the generated vocabularies are learnt from: code keywords, identifier parts, comment words and
// punctuation runs of common languages, most frequent first. The weights and surface forms (" word",
// ".word", "Word", …) approximate how often a tokenizer meets them in source code.

const KEYWORDS = `
return const function if import from export this self def let new else for in true false null class async await
type string number public static void int var while of interface default extends private None True False
package func struct impl fn pub use mut match try catch throw throws finally elif lambda yield with as is not and or
undefined boolean any never unknown readonly protected abstract implements enum namespace declare keyof typeof instanceof
delete switch case break continue do goto sizeof typedef union extern volatile register inline template typename
auto char double float long short unsigned signed bool final override virtual const_cast nullptr constexpr noexcept
include define ifdef ifndef endif pragma go chan select defer range map make len cap append nil err iota
let mod crate super where trait dyn ref Some Ok Err Self loop move unsafe println vec Box Vec Option Result String
fun val when object companion data sealed open internal lateinit suspend
begin end then unless until elsif module require puts attr_accessor
echo fi done esac local export source function
select insert update delete where join group order by having limit values into create table index primary key
raise assert pass global nonlocal del print range len
`;

const IDENTIFIER_PARTS = `
get set value name data item items list index count result error file path user id config options request response
key map args state props event handler callback node text type size length start end line lines token tokens model
message messages content context prompt input output buffer stream reader writer client server url http json parse
format time date timeout delay cache store query params body status code info debug log logger warn trace level
test tests expect assert describe it should equal equals to be toBe toEqual mock spy setup teardown before after each
add remove delete create update find filter reduce sort push pop shift slice splice join split trim replace match
includes indexOf keys values entries assign freeze from of has clear size first last next prev current previous
init load save read write open close run start stop reset apply call bind handle process build render mount view
component element document window console promise resolve reject then catch finally await async task job queue
worker thread lock mutex channel signal abort controller service provider factory manager helper util utils common
base default max min sum total avg number str num bool obj arr fn cb err ctx req res src dst tmp temp old new
left right top bottom width height color style class div span button input form label title header footer nav
main app root home page route router path param params query hash host port address target source origin
dir directory folder name base ext extension mime size mode flags option setting settings env environment
version major minor patch release build dev prod local remote origin branch commit diff merge status
vector matrix array object string integer float double char byte bytes bit bits word words block blocks chunk
offset position pos line column row col cell grid table field fields record records entry column columns
parent child children sibling tree leaf root visit walk traverse search find lookup insert delete
allocate alloc free memory heap stack pointer ref reference borrow owner lifetime scope closure
encode decode serialize deserialize marshal unmarshal encrypt decrypt hash sign verify token secret password
session cookie header headers method methods get post put patch delete fetch send receive emit listen subscribe
publish notify dispatch action reducer effect selector store hook hooks use state memo ref
completion completions suggestion inline prefix suffix middle fim cursor editor document workspace
`;

const COMMENT_WORDS = `
the of and to a in is that for it with as this be on not are by or an at from which can if
we will should when all use used using returns return value values given new one each
function method class object list string number file line the default if not set
note todo fixme hack see also example usage param returns throws deprecated
make sure only first last next before after otherwise because so that then else into
`;

/** Operators and punctuation as the pre-tokenizer cuts them (an optional leading space, trailing newlines). */
const PUNCTUATION = [
  "(", ")", "()", "();", ");", ")", ") {", "{", "}", "};", "[", "]", "[]", "];", ",", ";", ":", ".", "..", "...",
  "=", "==", "===", "!=", "!==", "=>", "->", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "++", "--", "+=", "-=",
  "&&", "||", "!", "?", "??", "?.", "&", "|", "^", "~", "<<", ">>", "::", "\"", "'", "`", "${", "#", "@", "$", "\\",
  "//", "/*", "*/", "/**", "#!", "\"\"\"", "'", "\",", "',", "\");", "');", "\")", "')", "({", "})", "});", "}))",
  "=\"", "\">", "</", "/>", "<>", "]:", "):", "),", "]),", "]);", "[\"", "\"]", "['", "']", "[0]", "()", "()."
];

const INDENTS = ["\n", "\n\n", "\n\n\n", "\t", "\t\t", "\n\t", "\n\t\t"];

function words(block: string): string[] {
  return [...new Set(block.split(/\s+/).filter(Boolean))];
}

const capitalize = (w: string) => w[0].toUpperCase() + w.slice(1);

/** Weighted surface texts for byte-level BPE (the trainer cuts them with Qwen2's pre-tokenizer). */
export function codeCorpus(): Map<string, number> {
  const corpus = new Map<string, number>();
  const add = (text: string, weight: number) => corpus.set(text, (corpus.get(text) ?? 0) + Math.max(1, Math.round(weight)));
  const lists: Array<[string[], number]> = [
    [words(KEYWORDS), 4000],
    [words(IDENTIFIER_PARTS), 2500],
    [words(COMMENT_WORDS), 1500],
  ];
  for (const [list, top] of lists) {
    list.forEach((word, rank) => {
      const weight = top / Math.sqrt(rank + 4);
      add(` ${word}`, weight);
      add(word, weight * 0.5);
      add(`.${word}`, weight * 0.3);
      add(`(${word}`, weight * 0.2);
      add(`_${word}`, weight * 0.1);
      if (/^[a-z]/.test(word)) {
        add(capitalize(word), weight * 0.3);
        add(` ${capitalize(word)}`, weight * 0.15);
      }
    });
  }
  PUNCTUATION.forEach((p, rank) => {
    const weight = 3000 / Math.sqrt(rank + 4);
    add(p, weight);
    if (!p.startsWith(" ")) add(` ${p}`, weight * 0.5);
    add(`${p}\n`, weight * 0.3);
  });
  // Indentation: runs of spaces (the pre-tokenizer leaves the last space to the next word), newlines, tabs.
  for (let n = 1; n <= 24; n++) add(" ".repeat(n), 3000 / n);
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 15, 16]) add(`\n${" ".repeat(n)}`, 2000 / n);
  INDENTS.forEach((s, rank) => add(s, 2000 / (rank + 1)));
  return corpus;
}

/** Pieces the tiny vocabulary must have whatever else it learns. */
const TINY_ESSENTIALS = [
  "▁function", "▁const", "▁return", "▁import", "▁export", "▁from", "▁def", "▁self", "▁class", "▁if", "▁else", "▁for",
  "()", "();", "▁{", "▁}", "=>", "▁=>", "▁=", "▁==", "▁===", "▁+", "▁▁", "▁▁▁▁", "▁▁▁▁▁▁▁▁",
];

/** Weighted SentencePiece-style pieces ("▁" for the space) for the tiny model, `limit` words per list. */
export function tinyCorpus(limit: number): Map<string, number> {
  const corpus = new Map<string, number>();
  const add = (text: string, weight: number) => corpus.set(text, (corpus.get(text) ?? 0) + Math.max(1, Math.round(weight)));
  for (const piece of TINY_ESSENTIALS) add(piece, 20_000);
  const lists: Array<[string[], number]> = [
    [words(KEYWORDS), 4000],
    [words(IDENTIFIER_PARTS), 2000],
  ];
  for (const [list, top] of lists) {
    list.slice(0, limit).forEach((word, rank) => {
      const weight = top / Math.sqrt(rank + 4);
      add(`▁${word}`, weight);
      add(word, weight * 0.4);
    });
  }
  PUNCTUATION.forEach((p, rank) => {
    const weight = 2500 / Math.sqrt(rank + 4);
    const piece = p.replaceAll(" ", "▁");
    add(piece, weight);
    if (!piece.startsWith("▁")) add(`▁${piece}`, weight * 0.5);
  });
  for (const n of [2, 3, 4, 6, 8, 12, 16]) add("▁".repeat(n), 2000 / n);
  return corpus;
}
