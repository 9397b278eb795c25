// Scripted models: a real GGUF whose greedy output, after any prompt, is a text chosen in advance, so tests can
// assert exact results through llama.cpp, the worker and the editor. The construction:
//  - the script is cut into pieces (a line with its newline; an empty line joins the line before it), each
//    added to the tiny vocabulary as a NORMAL token with the lowest score (USER_DEFINED tokens would be matched
//    inside the prompt, and their "▁" is not turned back into a space);
//  - every layer's attention-output and feed-forward-down weights (all of a layer's weights, here) are zero, so
//    the residual stream at the last position is the last token's embedding;
//  - piece i's embedding is the basis vector i + 1; every other token's is the shared "default" vector 0;
//  - the output rows read those directions: vector 0 predicts the first piece, piece i the piece after it and
//    the last piece end-of-generation. Whatever the prompt, generation is the script, then the end.
// No piece may be one character (the prompt's own last character, a newline, would be tokenised as it) nor
// repeat or equal a vocabulary token (the model only sees the last token: a repeated piece would loop).
import { metadataFor } from "./model";
import { GgmlType } from "./quantize";
import type { ShapeParams } from "./shapes";
import { tinyVocabulary } from "./tinyVocab";
import { TokenType, type FimFamily, type Vocabulary } from "./vocab";
import { bool, str, u32, type GgufPlan, type TensorSpec } from "./writer";

/** The logit of the scripted next token; every other token's is 0, so sampling at any usual temperature agrees with greedy. */
const SCRIPT_LOGIT = 40;
const MIN_WIDTH = 128;
const HEADS = 4;

export interface ScriptedModelOptions {
  /** Which FIM special tokens the vocabulary carries; default "qwen". "none" makes a chat-only model. */
  family?: FimFamily;
}

const SPACE_MARK = "▁";
const toVocabText = (piece: string) => piece.replaceAll(" ", SPACE_MARK);

/**
 * Cuts a script into the pieces that become its tokens: lines with their newline, empty lines joined to the
 * line before them, and a piece that would be one character, a repeat or an existing token (per `taken`, which
 * gets the vocabulary spelling) joined to the next line (the last one to the piece before it).
 */
export function scriptPieces(script: string, taken: (vocabText: string) => boolean = () => false): string[] {
  if (script.length === 0) throw new Error("The script is empty.");
  if (script.includes(SPACE_MARK)) throw new Error(`The script may not contain ${SPACE_MARK} (U+2581): the vocabulary spells spaces with it.`);
  const lines = script.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const pieces: string[] = [];
  const used = new Set<string>();
  const acceptable = (piece: string) => [...piece].length >= 2 && !used.has(piece) && !taken(toVocabText(piece));
  let pending = "";
  lines.forEach((line, index) => {
    pending += line;
    const nextIsEmptyLine = lines[index + 1] === "\n";
    if (!nextIsEmptyLine && acceptable(pending)) {
      pieces.push(pending);
      used.add(pending);
      pending = "";
    }
  });
  if (pending) {
    const last = pieces.pop();
    if (last !== undefined) used.delete(last);
    const joined = (last ?? "") + pending;
    if (!acceptable(joined)) throw new Error(`The script ${JSON.stringify(script)} cannot be cut into pieces of two characters or more that are all new tokens.`);
    pieces.push(joined);
  }
  return pieces;
}

function scriptedShape(pieceCount: number): ShapeParams {
  const embedding = Math.max(MIN_WIDTH, Math.ceil((pieceCount + 1) / 32) * 32);
  return {
    architecture: "llama",
    name: "Freehold scripted test model",
    sizeLabel: "scripted",
    contextLength: 32_768,
    embedding,
    blocks: 1,
    feedForward: 32,
    heads: HEADS,
    kvHeads: HEADS,
    ropeTheta: 10_000,
    rmsEpsilon: 1e-5,
    qkvBias: false,
    tiedEmbeddings: false,
    quantized: false,
  };
}

/** The tiny vocabulary with the script's pieces appended as NORMAL tokens scored below everything else. */
function scriptedVocabulary(script: string, family: FimFamily): { vocabulary: Vocabulary; pieceIds: number[] } {
  const base = tinyVocabulary(family);
  const known = new Set(base.tokens);
  const pieces = scriptPieces(script, (text) => known.has(text));
  const lowest = Math.min(...base.scores!);
  const pieceIds = pieces.map((_, i) => base.tokens.length + i);
  const vocabulary: Vocabulary = {
    ...base,
    tokens: [...base.tokens, ...pieces.map(toVocabText)],
    scores: Float32Array.from([...base.scores!, ...pieces.map((_, i) => lowest - 1000 - i)]),
    types: Int32Array.from([...base.types, ...pieces.map(() => TokenType.NORMAL)]),
    // Every token's output row is built below; nothing is left random.
    silentIds: [],
  };
  return { vocabulary, pieceIds };
}

export function planScriptedModel(script: string, options: ScriptedModelOptions = {}): GgufPlan {
  const family = options.family ?? "qwen";
  const { vocabulary, pieceIds } = scriptedVocabulary(script, family);
  const params = scriptedShape(pieceIds.length);
  const d = params.embedding;
  const vocabSize = vocabulary.tokens.length;
  const end = vocabulary.specialIds.eot_token_id ?? vocabulary.specialIds.eos_token_id;

  // Embeddings: one-hot rows; direction 0 is the default, direction i + 1 is piece i.
  const embeddings = new Float32Array(d * vocabSize);
  for (let token = 0; token < vocabSize; token++) embeddings[token * d] = 1;
  pieceIds.forEach((id, i) => {
    embeddings[id * d] = 0;
    embeddings[id * d + i + 1] = 1;
  });
  // RMS norm turns a one-hot row into sqrt(d) at its direction, so this weight gives the successor SCRIPT_LOGIT.
  const weight = SCRIPT_LOGIT / Math.sqrt(d);
  const output = new Float32Array(d * vocabSize);
  pieceIds.forEach((id, i) => (output[id * d + i] = weight)); // predicted by the default direction (i = 0) or by piece i - 1
  output[end * d + pieceIds.length] = weight; // the last piece ends the generation

  const zero = (name: string, dims: [number, number]): TensorSpec => ({ name, dims, type: GgmlType.F32, fill: { kind: "constant", value: 0 } });
  const one = (name: string): TensorSpec => ({ name, dims: [d], type: GgmlType.F32, fill: { kind: "constant", value: 1 } });
  const tensors: TensorSpec[] = [{ name: "token_embd.weight", dims: [d, vocabSize], type: GgmlType.F32, fill: { kind: "values", values: embeddings } }];
  for (let b = 0; b < params.blocks; b++) {
    const blk = `blk.${b}`;
    tensors.push(
      one(`${blk}.attn_norm.weight`),
      zero(`${blk}.attn_q.weight`, [d, d]),
      zero(`${blk}.attn_k.weight`, [d, d]),
      zero(`${blk}.attn_v.weight`, [d, d]),
      zero(`${blk}.attn_output.weight`, [d, d]),
      one(`${blk}.ffn_norm.weight`),
      zero(`${blk}.ffn_gate.weight`, [d, params.feedForward]),
      zero(`${blk}.ffn_up.weight`, [d, params.feedForward]),
      zero(`${blk}.ffn_down.weight`, [params.feedForward, d]),
    );
  }
  tensors.push(one("output_norm.weight"), { name: "output.weight", dims: [d, vocabSize], type: GgmlType.F32, fill: { kind: "values", values: output } });

  const metadata = [
    ...metadataFor(params, vocabulary, 0, family),
    // No "▁" before the prompt, and none stripped from the start of a generation that begins with a space.
    ["tokenizer.ggml.add_space_prefix", bool(false)] as const,
    ["freehold.script_pieces", u32(pieceIds.length)] as const,
    ["freehold.script", str(script)] as const,
  ];
  return { metadata, tensors };
}
