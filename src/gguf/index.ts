// Writes the project's own GGUF models (DESIGN §7): seeded random weights, own vocabularies, FIM tokens.
import { GgmlType, type TensorFill } from "./quantize";
import { MODEL_SHAPES, SHAPES, type ModelShape, type ShapeParams } from "./shapes";
import { CHATML_TEMPLATE, qwenVocabulary, tinyVocabulary, type FimFamily, type Vocabulary } from "./vocab";
import { bool, f32, str, u32, writeGguf, type MetadataValue, type TensorSpec } from "./writer";

export { MODEL_SHAPES, type ModelShape } from "./shapes";
export type { FimFamily } from "./vocab";

export interface MakeModelOptions {
  seed?: number;
  /** Which FIM special tokens the tiny model's vocabulary carries (the realistic shapes are always Qwen's). */
  family?: FimFamily;
}

export async function writeModelFile(outPath: string, shape: ModelShape, options: MakeModelOptions = {}): Promise<{ bytes: number }> {
  if (!MODEL_SHAPES.includes(shape)) throw new Error(`Unknown model shape ${shape}`);
  const params = SHAPES[shape];
  const seed = options.seed ?? 1;
  const family = options.family ?? "qwen";
  if (shape !== "tiny" && family !== "qwen") throw new Error(`The ${shape} shape has Qwen's vocabulary; --family applies to tiny only.`);
  const vocabulary = shape === "tiny" ? tinyVocabulary(family) : qwenVocabulary();
  const bytes = await writeGguf(outPath, metadataFor(params, vocabulary, family), tensorsFor(params, vocabulary, seed));
  return { bytes };
}

function metadataFor(p: ShapeParams, v: Vocabulary, family: FimFamily): Array<[string, MetadataValue]> {
  const a = p.architecture;
  const headDim = p.embedding / p.heads;
  const entries: Array<[string, MetadataValue]> = [
    ["general.architecture", str(a)],
    ["general.name", str(family === "qwen" || a === "qwen2" ? p.name : `${p.name} (${family} tokens)`)],
    ["general.file_type", u32(p.quantized ? 7 : 1)],
    ["general.quantization_version", u32(2)],
    [`${a}.context_length`, u32(p.contextLength)],
    [`${a}.embedding_length`, u32(p.embedding)],
    [`${a}.block_count`, u32(p.blocks)],
    [`${a}.feed_forward_length`, u32(p.feedForward)],
    [`${a}.attention.head_count`, u32(p.heads)],
    [`${a}.attention.head_count_kv`, u32(p.kvHeads)],
    [`${a}.rope.freq_base`, f32(p.ropeTheta)],
    [`${a}.rope.dimension_count`, u32(headDim)],
    [`${a}.attention.layer_norm_rms_epsilon`, f32(p.rmsEpsilon)],
    [`${a}.vocab_size`, u32(v.tokens.length)],
    ["tokenizer.ggml.model", str(v.model)],
  ];
  if (v.pre) entries.push(["tokenizer.ggml.pre", str(v.pre)]);
  entries.push(["tokenizer.ggml.tokens", { type: "string[]", value: v.tokens }]);
  if (v.scores) entries.push(["tokenizer.ggml.scores", { type: "f32[]", value: v.scores }]);
  entries.push(["tokenizer.ggml.token_type", { type: "i32[]", value: v.types }]);
  if (v.merges) entries.push(["tokenizer.ggml.merges", { type: "string[]", value: v.merges }]);
  entries.push(["tokenizer.ggml.bos_token_id", u32(v.bos)], ["tokenizer.ggml.eos_token_id", u32(v.eos)]);
  if (v.unknown !== undefined) entries.push(["tokenizer.ggml.unknown_token_id", u32(v.unknown)]);
  for (const [key, id] of Object.entries(v.specialIds)) entries.push([`tokenizer.ggml.${key}`, u32(id)]);
  entries.push(["tokenizer.ggml.add_bos_token", bool(v.addBos)], ["tokenizer.ggml.add_eos_token", bool(false)]);
  entries.push(["tokenizer.chat_template", str(CHATML_TEMPLATE)]);
  return entries;
}

function tensorsFor(p: ShapeParams, v: Vocabulary, seed: number): TensorSpec[] {
  const type = p.quantized ? GgmlType.Q8_0 : GgmlType.F16;
  const headDim = p.embedding / p.heads;
  const kvDim = p.kvHeads * headDim;
  const vocabSize = v.tokens.length;
  let next = seed * 1000;
  const uniform = (fanIn: number): TensorFill => ({ kind: "uniform", scale: 1.7 / Math.sqrt(fanIn), seed: next++ });
  const ones: TensorFill = { kind: "constant", value: 1 };
  // Damped output rows for control tokens: greedy decoding of random weights then yields plain text.
  const damped = new Set(v.dampedIds);
  const outputFill: TensorFill = { kind: "uniform-rows", scale: 1.7 / Math.sqrt(p.embedding), seed: next++, rowLength: p.embedding, dampedRows: damped, factor: 0 };

  const tensors: TensorSpec[] = [
    { name: "token_embd.weight", dims: [p.embedding, vocabSize], type, fill: p.tiedEmbeddings ? outputFill : { kind: "uniform", scale: 1, seed: next++ } },
    { name: "output_norm.weight", dims: [p.embedding], type: GgmlType.F32, fill: ones },
  ];
  if (!p.tiedEmbeddings) tensors.push({ name: "output.weight", dims: [p.embedding, vocabSize], type, fill: outputFill });
  for (let b = 0; b < p.blocks; b++) {
    const blk = `blk.${b}`;
    tensors.push(
      { name: `${blk}.attn_norm.weight`, dims: [p.embedding], type: GgmlType.F32, fill: ones },
      { name: `${blk}.attn_q.weight`, dims: [p.embedding, p.embedding], type, fill: uniform(p.embedding) },
      { name: `${blk}.attn_k.weight`, dims: [p.embedding, kvDim], type, fill: uniform(p.embedding) },
      { name: `${blk}.attn_v.weight`, dims: [p.embedding, kvDim], type, fill: uniform(p.embedding) },
    );
    if (p.qkvBias) {
      tensors.push(
        { name: `${blk}.attn_q.bias`, dims: [p.embedding], type: GgmlType.F32, fill: { kind: "uniform", scale: 0.1, seed: next++ } },
        { name: `${blk}.attn_k.bias`, dims: [kvDim], type: GgmlType.F32, fill: { kind: "uniform", scale: 0.1, seed: next++ } },
        { name: `${blk}.attn_v.bias`, dims: [kvDim], type: GgmlType.F32, fill: { kind: "uniform", scale: 0.1, seed: next++ } },
      );
    }
    tensors.push(
      { name: `${blk}.attn_output.weight`, dims: [p.embedding, p.embedding], type, fill: uniform(p.embedding) },
      { name: `${blk}.ffn_norm.weight`, dims: [p.embedding], type: GgmlType.F32, fill: ones },
      { name: `${blk}.ffn_gate.weight`, dims: [p.embedding, p.feedForward], type, fill: uniform(p.embedding) },
      { name: `${blk}.ffn_up.weight`, dims: [p.embedding, p.feedForward], type, fill: uniform(p.embedding) },
      { name: `${blk}.ffn_down.weight`, dims: [p.feedForward, p.embedding], type, fill: uniform(p.feedForward) },
    );
  }
  return tensors;
}
