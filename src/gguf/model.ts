// The plan of one generated model: its metadata (hyper-parameters, tokenizer, chat template) and its tensors
// (names, shapes, types and seeded fills), in the layout llama.cpp expects of the llama / qwen2 architectures.
import { GgmlType, type TensorFill } from "./quantize";
import { qwenVocabulary } from "./qwenVocab";
import { streamSeed } from "./random";
import { SHAPES, type ModelShape, type ShapeParams } from "./shapes";
import { tinyVocabulary } from "./tinyVocab";
import type { FimFamily, Vocabulary } from "./vocab";
import { bool, f32, f32s, i32s, str, strings, u32, type GgufPlan, type MetadataValue, type TensorSpec } from "./writer";

/** Bump when the bytes a seed produces change, so cached files are made again (it is part of the header). */
export const GENERATOR_VERSION = "freehold-gguf 2";

/** llama_ftype of the whole file. */
const FILE_TYPE = { f16: 1, q8_0: 7 } as const;

export function vocabularyFor(shape: ModelShape, family: FimFamily): Vocabulary {
  return shape === "tiny" ? tinyVocabulary(family) : qwenVocabulary();
}

export function planModel(shape: ModelShape, seed: number, family: FimFamily): GgufPlan {
  const params = SHAPES[shape];
  const vocabulary = vocabularyFor(shape, family);
  return {
    metadata: metadataFor(params, vocabulary, seed, shape === "tiny" ? family : "qwen"),
    tensors: tensorsFor(params, vocabulary, seed),
  };
}

export function metadataFor(p: ShapeParams, v: Vocabulary, seed: number, family: FimFamily): Array<[string, MetadataValue]> {
  const a = p.architecture;
  const m: Array<[string, MetadataValue]> = [
    ["general.architecture", str(a)],
    ["general.type", str("model")],
    ["general.name", str(p.name)],
    ["general.size_label", str(p.sizeLabel)],
    ["general.file_type", u32(p.quantized ? FILE_TYPE.q8_0 : FILE_TYPE.f16)],
    ["general.quantization_version", u32(2)],
    ["freehold.generator", str(GENERATOR_VERSION)],
    ["freehold.seed", str(String(seed))],
    ["freehold.fim_family", str(family)],
    [`${a}.context_length`, u32(p.contextLength)],
    [`${a}.embedding_length`, u32(p.embedding)],
    [`${a}.block_count`, u32(p.blocks)],
    [`${a}.feed_forward_length`, u32(p.feedForward)],
    [`${a}.attention.head_count`, u32(p.heads)],
    [`${a}.attention.head_count_kv`, u32(p.kvHeads)],
    [`${a}.rope.freq_base`, f32(p.ropeTheta)],
    [`${a}.attention.layer_norm_rms_epsilon`, f32(p.rmsEpsilon)],
  ];
  if (a === "llama") m.push([`${a}.rope.dimension_count`, u32(p.embedding / p.heads)], [`${a}.vocab_size`, u32(v.tokens.length)]);
  m.push(["tokenizer.ggml.model", str(v.model)]);
  if (v.pre) m.push(["tokenizer.ggml.pre", str(v.pre)]);
  m.push(["tokenizer.ggml.tokens", strings(v.tokens)]);
  if (v.scores) m.push(["tokenizer.ggml.scores", f32s(v.scores)]);
  m.push(["tokenizer.ggml.token_type", i32s(v.types)]);
  if (v.merges) m.push(["tokenizer.ggml.merges", strings(v.merges)]);
  for (const [key, id] of Object.entries(v.specialIds)) m.push([`tokenizer.ggml.${key}`, u32(id)]);
  m.push(["tokenizer.ggml.add_bos_token", bool(v.addBos)], ["tokenizer.ggml.add_eos_token", bool(false)]);
  m.push(["tokenizer.chat_template", str(v.chatTemplate)]);
  return m;
}

function tensorsFor(p: ShapeParams, v: Vocabulary, seed: number): TensorSpec[] {
  const matrix = p.quantized ? GgmlType.Q8_0 : GgmlType.F16;
  const headDim = p.embedding / p.heads;
  const kvDim = p.kvHeads * headDim;
  const vocabSize = v.tokens.length;
  const tensors: TensorSpec[] = [];
  // Uniform in ±sqrt(3 / fan-in): unit variance through each projection, so activations neither die nor blow up.
  const weight = (name: string, dims: [fanIn: number, rows: number], type = matrix, scale = Math.sqrt(3 / dims[0])) =>
    tensors.push({ name, dims, type, fill: { kind: "uniform", scale, seed: streamSeed(seed, name) } });
  const norm = (name: string, length: number) => tensors.push({ name, dims: [length], type: GgmlType.F32, fill: { kind: "constant", value: 1 } });
  const bias = (name: string, length: number) =>
    tensors.push({ name, dims: [length], type: GgmlType.F32, fill: { kind: "uniform", scale: 0.1, seed: streamSeed(seed, name) } });
  // Output rows of silent tokens (control, unused, byte) are zero: greedy decoding of random weights then
  // yields plain text for as long as asked, never an end-of-generation token.
  const outputFill = (name: string): TensorFill => ({
    kind: "uniform",
    scale: Math.sqrt(3 / p.embedding),
    seed: streamSeed(seed, name),
    rowLength: p.embedding,
    zeroRows: new Set(v.silentIds),
  });

  if (p.tiedEmbeddings) tensors.push({ name: "token_embd.weight", dims: [p.embedding, vocabSize], type: matrix, fill: outputFill("token_embd.weight") });
  else weight("token_embd.weight", [p.embedding, vocabSize], matrix, 1);
  for (let b = 0; b < p.blocks; b++) {
    const blk = `blk.${b}`;
    norm(`${blk}.attn_norm.weight`, p.embedding);
    weight(`${blk}.attn_q.weight`, [p.embedding, p.embedding]);
    weight(`${blk}.attn_k.weight`, [p.embedding, kvDim]);
    weight(`${blk}.attn_v.weight`, [p.embedding, kvDim]);
    if (p.qkvBias) {
      bias(`${blk}.attn_q.bias`, p.embedding);
      bias(`${blk}.attn_k.bias`, kvDim);
      bias(`${blk}.attn_v.bias`, kvDim);
    }
    weight(`${blk}.attn_output.weight`, [p.embedding, p.embedding]);
    norm(`${blk}.ffn_norm.weight`, p.embedding);
    weight(`${blk}.ffn_gate.weight`, [p.embedding, p.feedForward]);
    weight(`${blk}.ffn_up.weight`, [p.embedding, p.feedForward]);
    weight(`${blk}.ffn_down.weight`, [p.feedForward, p.embedding]);
  }
  norm("output_norm.weight", p.embedding);
  if (!p.tiedEmbeddings) tensors.push({ name: "output.weight", dims: [p.embedding, vocabSize], type: matrix, fill: outputFill("output.weight") });
  return tensors;
}
