// A byte-level BPE vocabulary of Qwen2.5's size and layout (tokenizer.ggml.model = "gpt2", pre = "qwen2"):
// the 256 byte characters in GPT-2's order, merges learnt from a code word list (every merge's result is a
// token, so the tokenizer is consistent), unused filler up to id 151,642, Qwen's special tokens at their
// real ids 151,643–151,664, and llama.cpp's [PAD…] entries up to 151,936.
import { byteLevelTable, pretokenize, toByteLevel, trainBpe } from "./bpe";
import { QWEN25_TEMPLATE } from "./chatTemplates";
import { codeCorpus } from "./corpus";
import { TokenType, type Vocabulary } from "./vocab";

export const QWEN_VOCAB_SIZE = 151_936;
export const QWEN_FIRST_SPECIAL = 151_643;

/** Qwen2.5-Coder's added tokens, in id order from 151,643. */
export const QWEN_SPECIAL_TOKENS = [
  "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>", "<|box_end|>",
  "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>",
  "<tool_call>", "</tool_call>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>",
] as const;

const MAX_MERGES = 60_000;

let cached: { tokens: string[]; merges: string[] } | undefined;

/** Learns the merges once per process (a fraction of a second). */
function learnt(): { tokens: string[]; merges: string[] } {
  if (cached) return cached;
  const words = new Map<string, number>();
  for (const [text, weight] of codeCorpus()) {
    for (const piece of pretokenize(text)) {
      const form = toByteLevel(piece);
      words.set(form, (words.get(form) ?? 0) + weight);
    }
  }
  const merges = trainBpe(words, { maxMerges: MAX_MERGES });
  cached = { tokens: merges.map(([l, r]) => l + r), merges: merges.map(([l, r]) => `${l} ${r}`) };
  return cached;
}

export function qwenVocabulary(): Vocabulary {
  const tokens: string[] = [];
  const types: number[] = [];
  const index = new Map<string, number>();
  const add = (text: string, type: TokenType) => {
    if (index.has(text)) throw new Error(`Duplicate token ${JSON.stringify(text)}`);
    index.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
  };
  const { byteToChar, order } = byteLevelTable();
  for (const byte of order) add(byteToChar[byte], TokenType.NORMAL);
  const { tokens: pieces, merges } = learnt();
  for (const piece of pieces) add(piece, TokenType.NORMAL);
  if (tokens.length > QWEN_FIRST_SPECIAL) throw new Error("Too many learnt tokens for Qwen's layout");
  for (let id = tokens.length; id < QWEN_FIRST_SPECIAL; id++) add(`[UNUSED_${id}]`, TokenType.UNUSED);
  for (const special of QWEN_SPECIAL_TOKENS) {
    // As llama.cpp's converter types them: "<|…|>" are control tokens, the tool-call tags user-defined.
    add(special, special.startsWith("<|") ? TokenType.CONTROL : TokenType.USER_DEFINED);
  }
  for (let id = tokens.length; id < QWEN_VOCAB_SIZE; id++) add(`[PAD${id}]`, TokenType.UNUSED);

  const id = (text: string) => index.get(text)!;
  return {
    model: "gpt2",
    pre: "qwen2",
    tokens,
    types: Int32Array.from(types),
    merges,
    addBos: false,
    specialIds: {
      bos_token_id: id("<|endoftext|>"),
      eos_token_id: id("<|endoftext|>"),
      padding_token_id: id("<|endoftext|>"),
      eot_token_id: id("<|im_end|>"),
      fim_pre_token_id: id("<|fim_prefix|>"),
      fim_suf_token_id: id("<|fim_suffix|>"),
      fim_mid_token_id: id("<|fim_middle|>"),
      fim_pad_token_id: id("<|fim_pad|>"),
      fim_rep_token_id: id("<|repo_name|>"),
      fim_sep_token_id: id("<|file_sep|>"),
    },
    chatTemplate: QWEN25_TEMPLATE,
    silentIds: types.flatMap((type, i) => (type === TokenType.NORMAL ? [] : [i])),
  };
}
