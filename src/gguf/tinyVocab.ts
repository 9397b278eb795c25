// The tiny model's SentencePiece-style vocabulary (tokenizer.ggml.model = "llama"): <unk> <s> </s>, the
// family's FIM tokens and ChatML markers as control tokens, the 256 byte tokens, printable ASCII with "▁"
// for the space, then code words and fragments learnt by BPE, scored so llama.cpp's merge-by-score
// tokenizer builds them (every piece's two halves are tokens too).
import { trainBpe } from "./bpe";
import { CHATML_TEMPLATE } from "./chatTemplates";
import { tinyCorpus } from "./corpus";
import { FAMILY_TOKENS, TokenType, type FimFamily, type Vocabulary } from "./vocab";

/** Learnt pieces: with the fixed tokens the vocabulary has about 1,000 entries. */
const TINY_MERGES = 640;
const TINY_CORPUS_WORDS = 260;

let learnt: Array<[string, string]> | undefined;

export function tinyVocabulary(family: FimFamily): Vocabulary {
  const tokens: string[] = [];
  const types: number[] = [];
  const scores: number[] = [];
  const index = new Map<string, number>();
  const add = (text: string, type: TokenType, score: number): number => {
    const known = index.get(text);
    if (known !== undefined) return known;
    index.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
    scores.push(score);
    return tokens.length - 1;
  };

  const specialIds: Record<string, number> = {};
  add("<unk>", TokenType.UNKNOWN, 0);
  specialIds.unknown_token_id = 0;
  specialIds.bos_token_id = add("<s>", TokenType.CONTROL, 0);
  specialIds.eos_token_id = add("</s>", TokenType.CONTROL, 0);
  const { fim, extra } = FAMILY_TOKENS[family];
  if (fim) {
    specialIds.fim_pre_token_id = add(fim[0], TokenType.CONTROL, 0);
    specialIds.fim_suf_token_id = add(fim[1], TokenType.CONTROL, 0);
    specialIds.fim_mid_token_id = add(fim[2], TokenType.CONTROL, 0);
  }
  for (const [key, text] of extra) {
    const id = add(text, TokenType.CONTROL, 0);
    if (key) specialIds[key] = id;
  }
  add("<|im_start|>", TokenType.CONTROL, 0);
  const imEnd = add("<|im_end|>", TokenType.CONTROL, 0);
  specialIds.eot_token_id ??= imEnd;

  for (let byte = 0; byte < 256; byte++) add(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`, TokenType.BYTE, 0);
  add("▁", TokenType.NORMAL, -1000);
  for (let code = 0x21; code < 0x7f; code++) add(String.fromCharCode(code), TokenType.NORMAL, -1000 - code);

  learnt ??= trainBpe(tinyCorpus(TINY_CORPUS_WORDS), { maxMerges: TINY_MERGES });
  // llama.cpp's SentencePiece tokenizer merges the adjacent pair whose result scores highest: earlier merges score higher.
  learnt.forEach(([left, right], rank) => add(left + right, TokenType.NORMAL, -1 - rank));

  // Silent (never generated): control, unknown and byte tokens. Output is printable text without newlines.
  const silentIds = types.flatMap((type, id) => (type === TokenType.NORMAL ? [] : [id]));
  return {
    model: "llama",
    tokens,
    scores: Float32Array.from(scores),
    types: Int32Array.from(types),
    addBos: true,
    specialIds,
    chatTemplate: CHATML_TEMPLATE,
    silentIds,
  };
}
