// Vocabularies for the generated models: a SentencePiece-style one for `tiny` and a byte-level BPE one
// of Qwen2.5's size (151,936 entries, special tokens at Qwen's ids) for the realistic shapes.

export enum TokenType {
  NORMAL = 1,
  UNKNOWN = 2,
  CONTROL = 3,
  USER_DEFINED = 4,
  UNUSED = 5,
  BYTE = 6,
}

export type FimFamily = "qwen" | "starcoder" | "deepseek" | "codellama" | "codestral" | "none";

export interface Vocabulary {
  model: "llama" | "gpt2";
  pre?: string;
  tokens: string[];
  scores?: Float32Array;
  types: Int32Array;
  merges?: string[];
  bos: number;
  eos: number;
  unknown?: number;
  addBos: boolean;
  /** GGUF keys such as fim_pre_token_id → id. */
  specialIds: Record<string, number>;
  /** Tokens whose output rows are zeroed so greedy decoding of random weights produces plain text (control and unused tokens). */
  dampedIds: number[];
}

export const CHATML_TEMPLATE =
  "{% for message in messages %}{% if loop.first and message['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}" +
  "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

interface FamilyTokens {
  fim: [prefix: string, suffix: string, middle: string] | undefined;
  extra: Record<string, string>;
}

const FAMILY_TOKENS: Record<FimFamily, FamilyTokens> = {
  qwen: { fim: ["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"], extra: { fim_pad_token_id: "<|fim_pad|>", fim_rep_token_id: "<|repo_name|>", fim_sep_token_id: "<|file_sep|>" } },
  starcoder: { fim: ["<fim_prefix>", "<fim_suffix>", "<fim_middle>"], extra: { fim_pad_token_id: "<fim_pad>", fim_rep_token_id: "<repo_name>", fim_sep_token_id: "<file_sep>" } },
  deepseek: { fim: ["<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"], extra: {} },
  codellama: { fim: ["▁<PRE>", "▁<SUF>", "▁<MID>"], extra: { eot_token_id: "▁<EOT>" } },
  codestral: { fim: ["[PREFIX]", "[SUFFIX]", "[MIDDLE]"], extra: {} },
  none: { fim: undefined, extra: {} },
};

const CODE_WORDS = [
  "function", "return", "const", "let", "var", "import", "export", "from", "default", "class", "extends", "interface",
  "type", "async", "await", "new", "this", "self", "def", "elif", "else", "if", "for", "while", "in", "of", "true",
  "false", "null", "undefined", "None", "True", "False", "public", "private", "static", "void", "int", "string",
  "number", "boolean", "println", "print", "console", "log", "length", "value", "result", "error", "data", "name",
  "items", "index", "list", "map", "get", "set", "add", "sum", "total", "count", "main", "fn", "pub", "struct",
  "impl", "package", "func", "err", "nil", "std", "include", "namespace", "template", "auto", "try", "catch",
  "throw", "=>", "===", "!==", "==", "!=", "<=", ">=", "&&", "||", "()", "{}", "[]", "();", "){", "->", "::",
];

/** The SentencePiece-style vocabulary of the tiny model. */
export function tinyVocabulary(family: FimFamily): Vocabulary {
  const tokens: string[] = [];
  const types: number[] = [];
  const scores: number[] = [];
  const index = new Map<string, number>();
  const add = (text: string, type: TokenType, score = 0) => {
    if (index.has(text)) return index.get(text)!;
    index.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
    scores.push(score);
    return tokens.length - 1;
  };
  const unknown = add("<unk>", TokenType.UNKNOWN);
  const bos = add("<s>", TokenType.CONTROL);
  const eos = add("</s>", TokenType.CONTROL);
  const specialIds: Record<string, number> = {};
  const controls = [bos, eos];
  const familyTokens = FAMILY_TOKENS[family];
  if (familyTokens.fim) {
    const [prefix, suffix, middle] = familyTokens.fim;
    specialIds.fim_pre_token_id = add(prefix, TokenType.CONTROL);
    specialIds.fim_suf_token_id = add(suffix, TokenType.CONTROL);
    specialIds.fim_mid_token_id = add(middle, TokenType.CONTROL);
    controls.push(specialIds.fim_pre_token_id, specialIds.fim_suf_token_id, specialIds.fim_mid_token_id);
  }
  for (const [key, text] of Object.entries(familyTokens.extra)) {
    specialIds[key] = add(text, TokenType.CONTROL);
    controls.push(specialIds[key]);
  }
  for (const text of ["<|im_start|>", "<|im_end|>", "<|endoftext|>"]) controls.push(add(text, TokenType.CONTROL));
  specialIds.eot_token_id ??= index.get("<|im_end|>")!;
  for (let byte = 0; byte < 256; byte++) add(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`, TokenType.BYTE);
  // Printable ASCII, with SentencePiece's "▁" for the space.
  for (let code = 0x21; code < 0x7f; code++) add(String.fromCharCode(code), TokenType.NORMAL, -100);
  add("▁", TokenType.NORMAL, -100);
  for (const run of ["▁▁", "▁▁▁▁", "▁▁▁▁▁▁▁▁"]) add(run, TokenType.NORMAL, -50 + run.length);
  // Code words and every prefix of them, so the merge-by-score tokeniser can build them pair by pair.
  for (const word of CODE_WORDS) {
    for (const form of [word, `▁${word}`]) {
      for (let end = 2; end <= form.length; end++) add(form.slice(0, end), TokenType.NORMAL, -60 + end * 2);
    }
  }
  // Byte tokens stay usable for input but are never generated: the output is printable text.
  const bytes = types.flatMap((type, id) => (type === TokenType.BYTE || type === TokenType.UNKNOWN ? [id] : []));
  return {
    model: "llama",
    tokens,
    scores: Float32Array.from(scores),
    types: Int32Array.from(types),
    bos,
    eos,
    unknown,
    addBos: true,
    specialIds,
    dampedIds: [...controls, ...bytes],
  };
}

/** GPT-2's byte → printable character table used by byte-level BPE. */
function bytesToUnicode(): string[] {
  const table: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    table[b] = String.fromCharCode(printable ? b : 256 + extra++);
  }
  return table;
}

export const QWEN_VOCAB_SIZE = 151_936;
const QWEN_SPECIALS = [
  "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>", "<|box_end|>",
  "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>",
  "<tool_call>", "</tool_call>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>",
];
const QWEN_FIRST_SPECIAL = 151_643;

/**
 * A byte-level BPE vocabulary of Qwen2.5's size: the 256 byte characters, merges that build common code
 * words, unused filler up to id 151,642, Qwen's special tokens at their real ids, and padding entries.
 */
export function qwenVocabulary(): Vocabulary {
  const byteChars = bytesToUnicode();
  const tokens: string[] = [];
  const types: number[] = [];
  const index = new Map<string, number>();
  const add = (text: string, type: TokenType) => {
    if (index.has(text)) return;
    index.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
  };
  for (const ch of byteChars) add(ch, TokenType.NORMAL);

  const merges: string[] = [];
  const space = byteChars[0x20];
  const newline = byteChars[0x0a];
  const forms: string[] = [];
  for (const word of CODE_WORDS) forms.push(word, space + word);
  for (let n = 2; n <= 16; n *= 2) forms.push(space.repeat(n));
  forms.push(newline + newline, newline + space.repeat(4), newline + space.repeat(8));
  for (const form of forms) {
    const chars = [...form].map((c) => (c.charCodeAt(0) < 256 && c !== space && c !== newline ? byteChars[c.charCodeAt(0)] : c));
    let built = chars[0];
    for (let i = 1; i < chars.length; i++) {
      const next = built + chars[i];
      if (!index.has(next)) {
        merges.push(`${built} ${chars[i]}`);
        add(next, TokenType.NORMAL);
      }
      built = next;
    }
  }
  for (let id = tokens.length; id < QWEN_FIRST_SPECIAL; id++) add(`[UNUSED_${id}]`, TokenType.UNUSED);
  for (const special of QWEN_SPECIALS) add(special, TokenType.CONTROL);
  for (let id = tokens.length; id < QWEN_VOCAB_SIZE; id++) add(`[PAD${id}]`, TokenType.UNUSED);
  const dampedIds = [...types.keys()].filter((i) => types[i] !== TokenType.NORMAL);
  const id = (text: string) => index.get(text)!;
  return {
    model: "gpt2",
    pre: "qwen2",
    tokens,
    types: Int32Array.from(types),
    merges,
    bos: id("<|endoftext|>"),
    eos: id("<|endoftext|>"),
    addBos: false,
    specialIds: {
      padding_token_id: id("<|endoftext|>"),
      eot_token_id: id("<|im_end|>"),
      fim_pre_token_id: id("<|fim_prefix|>"),
      fim_suf_token_id: id("<|fim_suffix|>"),
      fim_mid_token_id: id("<|fim_middle|>"),
      fim_pad_token_id: id("<|fim_pad|>"),
      fim_rep_token_id: id("<|repo_name|>"),
      fim_sep_token_id: id("<|file_sep|>"),
    },
    dampedIds,
  };
}
