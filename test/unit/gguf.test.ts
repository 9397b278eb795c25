// The GGUF generator: byte-identical output per seed, a file that parses back (with an independent reader
// here and with node-llama-cpp), and models that node-llama-cpp loads, tokenises, generates from greedily,
// infills (per FIM family) and chats with. The 0.5B shape is loaded and run briefly; the 1.5B is only planned.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Llama, LlamaModel, Token } from "node-llama-cpp";
import { FIM_FAMILIES, MODEL_SHAPES, modelFileLayout, modelPlan, writeModelFile, type FimFamily } from "../../src/gguf/index";
import { pretokenize, trainBpe } from "../../src/gguf/bpe";
import { encodeQ8_0, decodeQ8_0, fromHalf, toHalf } from "../../src/gguf/quantize";
import { QWEN_VOCAB_SIZE, qwenVocabulary } from "../../src/gguf/qwenVocab";
import { tinyVocabulary } from "../../src/gguf/tinyVocab";
import { TokenType } from "../../src/gguf/vocab";
import { realisticModelPath, tinyModelPath } from "../helpers/models";

// ── An independent GGUF v3 reader (does not share code with the writer) ─────────────────────────────────

interface ParsedGguf {
  version: number;
  metadata: Map<string, unknown>;
  tensors: Array<{ name: string; dims: number[]; type: number; offset: number }>;
  dataStart: number;
}

function parseGguf(bytes: Buffer): ParsedGguf {
  let at = 0;
  const u32 = () => ((at += 4), bytes.readUInt32LE(at - 4));
  const u64 = () => ((at += 8), Number(bytes.readBigUInt64LE(at - 8)));
  const string = () => {
    const length = u64();
    at += length;
    return bytes.toString("utf8", at - length, at);
  };
  const value = (type: number): unknown => {
    switch (type) {
      case 0: return bytes.readUInt8((at += 1) - 1);
      case 1: return bytes.readInt8((at += 1) - 1);
      case 4: return u32();
      case 5: return bytes.readInt32LE((at += 4) - 4);
      case 6: return bytes.readFloatLE((at += 4) - 4);
      case 7: return bytes.readUInt8((at += 1) - 1) !== 0;
      case 8: return string();
      case 9: {
        const itemType = u32();
        const length = u64();
        return Array.from({ length }, () => value(itemType));
      }
      case 10: return u64();
      default: throw new Error(`value type ${type} not expected here`);
    }
  };
  assert.equal(bytes.toString("latin1", 0, 4), "GGUF");
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const metadata = new Map<string, unknown>();
  for (let i = 0; i < kvCount; i++) {
    const key = string();
    metadata.set(key, value(u32()));
  }
  const tensors: ParsedGguf["tensors"] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = string();
    const dims = Array.from({ length: u32() }, () => u64());
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  const dataStart = Math.ceil(at / 32) * 32;
  return { version, metadata, tensors, dataStart };
}

const F32 = 0;
const F16 = 1;
const Q8_0 = 8;
const bytesOf = (type: number, elements: number) => (type === F32 ? elements * 4 : type === F16 ? elements * 2 : (elements / 32) * 34);

// ── Pure pieces ────────────────────────────────────────────────────────────────────────────────────────

test("f16 conversion rounds to nearest even, keeps subnormals and saturates to infinity", () => {
  assert.equal(toHalf(1), 0x3c00);
  assert.equal(toHalf(-2), 0xc000);
  assert.equal(toHalf(65504), 0x7bff);
  assert.equal(toHalf(1e6), 0x7c00);
  assert.equal(toHalf(2 ** -24), 0x0001);
  assert.equal(toHalf(1 + 2 ** -11), 0x3c00, "a tie rounds to the even mantissa");
  assert.equal(toHalf(1 + 3 * 2 ** -11), 0x3c02);
  for (const x of [0.1, -0.3333, 3.14159, 1e-3]) assert.ok(Math.abs(fromHalf(toHalf(x)) - x) <= Math.abs(x) * 2 ** -11, `${x}`);
  assert.ok(Math.abs(fromHalf(toHalf(1e-5)) - 1e-5) <= 2 ** -25, "subnormal precision");
});

test("Q8_0 blocks hold 32 values with one f16 scale and round-trip within half a step", () => {
  const values = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * (i < 32 ? 1 : 0.01));
  const bytes = encodeQ8_0(values);
  assert.equal(bytes.length, 68);
  const back = decodeQ8_0(bytes);
  for (let i = 0; i < 64; i++) assert.ok(Math.abs(back[i] - values[i]) <= (i < 32 ? 1 : 0.01) / 127, `value ${i}`);
  assert.throws(() => encodeQ8_0(new Float32Array(33)), /multiple of 32/);
});

test("the BPE trainer learns the most frequent pair first and stops at maxMerges", () => {
  const merges = trainBpe(new Map([["abab", 10], ["abc", 3], ["xy", 1]]), { maxMerges: 3 });
  assert.deepEqual(merges, [["a", "b"], ["ab", "ab"], ["ab", "c"]]);
  assert.deepEqual(pretokenize("  return foo(x);\n"), [" ", " return", " foo", "(x", ");\n"]);
});

test("the Qwen-shape vocabulary has 151,936 entries, Qwen's special tokens at their real ids and consistent merges", () => {
  const v = qwenVocabulary();
  assert.equal(v.tokens.length, QWEN_VOCAB_SIZE);
  assert.equal(v.types.length, QWEN_VOCAB_SIZE);
  assert.equal(new Set(v.tokens).size, QWEN_VOCAB_SIZE, "no duplicate token texts");
  const ids = new Map(v.tokens.map((t, i) => [t, i]));
  const expected: Record<string, number> = {
    "<|endoftext|>": 151643, "<|im_start|>": 151644, "<|im_end|>": 151645, "<tool_call>": 151657,
    "<|fim_prefix|>": 151659, "<|fim_middle|>": 151660, "<|fim_suffix|>": 151661, "<|fim_pad|>": 151662,
    "<|repo_name|>": 151663, "<|file_sep|>": 151664,
  };
  for (const [text, id] of Object.entries(expected)) assert.equal(ids.get(text), id, text);
  assert.equal(v.types[151644], TokenType.CONTROL);
  assert.equal(v.tokens[0], "!", "byte characters in GPT-2's order");
  assert.equal(v.tokens[QWEN_VOCAB_SIZE - 1], "[PAD151935]");
  assert.ok(v.merges!.length > 3000, `${v.merges!.length} merges`);
  for (const merge of v.merges!) {
    const [left, right] = merge.split(" ");
    assert.ok(ids.has(left) && ids.has(right) && ids.has(left + right), `merge ${merge}`);
  }
  for (const word of ["Ġreturn", "Ġfunction", "Ġconst", "ĠĠĠ"]) assert.ok(ids.has(word), word);
  assert.equal(v.specialIds.fim_pre_token_id, 151659);
  assert.equal(v.specialIds.eos_token_id, 151643);
});

test("the tiny vocabulary: specials, 256 byte tokens, printable ASCII, and code pieces buildable pair by pair", () => {
  const v = tinyVocabulary("qwen");
  const ids = new Map(v.tokens.map((t, i) => [t, i]));
  assert.deepEqual(v.tokens.slice(0, 3), ["<unk>", "<s>", "</s>"]);
  assert.equal(v.types.filter((t) => t === TokenType.BYTE).length, 256);
  assert.equal(v.tokens[ids.get("<0x0A>")!], "<0x0A>");
  for (const text of ["▁function", "▁const", "▁return", "▁import", "▁def", "▁self", "()", "▁{", "▁=>", "▁▁▁▁", "a", "~", "▁"])
    assert.ok(ids.has(text), text);
  assert.ok(v.tokens.length > 800 && v.tokens.length < 1200, `${v.tokens.length} tokens`);
  for (const [i, text] of v.tokens.entries()) {
    if (v.types[i] !== TokenType.NORMAL || [...text].length < 2) continue;
    const chars = [...text];
    const split = chars.some((_, k) => k > 0 && ids.has(chars.slice(0, k).join("")) && ids.has(chars.slice(k).join("")));
    assert.ok(split, `${text} splits into two tokens`);
    assert.ok(v.scores![i] > v.scores![ids.get("a")!], `${text} outscores single characters`);
  }
  for (const id of v.silentIds) assert.notEqual(v.types[id], TokenType.NORMAL);
  assert.ok(v.silentIds.includes(ids.get("<|im_end|>")!) && v.silentIds.includes(ids.get("<|fim_middle|>")!));
});

// ── Files ──────────────────────────────────────────────────────────────────────────────────────────────

describe("generated files", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "freehold-gguf-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("the same seed gives a byte-identical file, another seed different weights and the same vocabulary", async () => {
    const [a, b, c] = [join(dir, "a.gguf"), join(dir, "b.gguf"), join(dir, "c.gguf")];
    const written = await writeModelFile(a, "tiny", { seed: 7 });
    await writeModelFile(b, "tiny", { seed: 7 });
    await writeModelFile(c, "tiny", { seed: 8 });
    const [A, B, C] = await Promise.all([readFile(a), readFile(b), readFile(c)]);
    assert.equal(written.bytes, A.length);
    assert.equal(A.length, modelFileLayout("tiny", { seed: 7 }).bytes);
    assert.ok(A.length > 200_000 && A.length < 800_000, `${A.length} bytes`);
    assert.ok(A.equals(B), "byte-identical");
    assert.equal(C.length, A.length);
    assert.ok(!A.equals(C), "another seed differs");
    const pa = parseGguf(A);
    const pc = parseGguf(C);
    assert.deepEqual(pc.metadata.get("tokenizer.ggml.tokens"), pa.metadata.get("tokenizer.ggml.tokens"));
    assert.equal(pc.metadata.get("freehold.seed"), "8");
    const data = (p: ParsedGguf, buf: Buffer, name: string) => {
      const t = p.tensors.find((x) => x.name === name)!;
      const start = p.dataStart + t.offset;
      return buf.subarray(start, start + bytesOf(t.type, t.dims.reduce((x, y) => x * y, 1)));
    };
    assert.ok(!data(pa, A, "blk.0.attn_q.weight").equals(data(pc, C, "blk.0.attn_q.weight")));
    assert.ok(data(pa, A, "blk.0.attn_norm.weight").equals(data(pc, C, "blk.0.attn_norm.weight")), "norms are ones in both");
  });

  test("the tiny file parses back: llama metadata, tokenizer keys per family, tensor shapes, aligned data, silent rows", async () => {
    for (const family of FIM_FAMILIES) {
      const path = join(dir, `tiny-${family}.gguf`);
      await writeModelFile(path, "tiny", { family });
      const bytes = await readFile(path);
      const p = parseGguf(bytes);
      const m = p.metadata;
      assert.equal(p.version, 3);
      assert.equal(m.get("general.architecture"), "llama");
      assert.equal(m.get("llama.block_count"), 2);
      assert.equal(m.get("llama.embedding_length"), 64);
      assert.equal(m.get("tokenizer.ggml.model"), "llama");
      const tokens = m.get("tokenizer.ggml.tokens") as string[];
      assert.equal((m.get("tokenizer.ggml.scores") as number[]).length, tokens.length);
      assert.equal((m.get("tokenizer.ggml.token_type") as number[]).length, tokens.length);
      assert.equal(m.get("llama.vocab_size"), tokens.length);
      assert.equal(tokens[m.get("tokenizer.ggml.bos_token_id") as number], "<s>");
      assert.equal(tokens[m.get("tokenizer.ggml.eos_token_id") as number], "</s>");
      assert.match(m.get("tokenizer.chat_template") as string, /<\|im_start\|>/);
      const fim = {
        qwen: ["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"],
        starcoder: ["<fim_prefix>", "<fim_suffix>", "<fim_middle>"],
        deepseek: ["<\uff5cfim\u2581begin\uff5c>", "<\uff5cfim\u2581hole\uff5c>", "<\uff5cfim\u2581end\uff5c>"],
        codellama: ["▁<PRE>", "▁<SUF>", "▁<MID>"],
        codestral: ["[PREFIX]", "[SUFFIX]", "[MIDDLE]"],
        none: undefined,
      }[family];
      const keys = ["fim_pre_token_id", "fim_suf_token_id", "fim_mid_token_id"].map((k) => m.get(`tokenizer.ggml.${k}`) as number | undefined);
      if (fim) assert.deepEqual(keys.map((id) => tokens[id!]), fim, family);
      else assert.deepEqual(keys, [undefined, undefined, undefined]);
      const pad = m.get("tokenizer.ggml.fim_pad_token_id") as number | undefined;
      if (family === "qwen") assert.equal(tokens[pad!], "<|fim_pad|>");
      if (family === "starcoder") assert.equal(tokens[m.get("tokenizer.ggml.fim_sep_token_id") as number], "<file_sep>");
      if (family === "deepseek" || family === "none") assert.equal(pad, undefined);

      const names = p.tensors.map((t) => t.name);
      assert.equal(p.tensors.length, 3 + 2 * 9);
      assert.deepEqual(p.tensors.find((t) => t.name === "token_embd.weight")!.dims, [64, tokens.length]);
      assert.deepEqual(p.tensors.find((t) => t.name === "blk.1.attn_k.weight")!.dims, [64, 32]);
      assert.deepEqual(p.tensors.find((t) => t.name === "blk.0.ffn_down.weight")!.dims, [128, 64]);
      assert.ok(names.includes("output.weight") && names.includes("output_norm.weight"));
      let end = 0;
      for (const t of p.tensors) {
        assert.equal(t.offset % 32, 0, `${t.name} aligned`);
        assert.ok(t.offset >= end, `${t.name} does not overlap`);
        assert.equal(t.type, t.dims.length === 1 ? F32 : F16, t.name);
        end = t.offset + bytesOf(t.type, t.dims.reduce((x, y) => x * y, 1));
      }
      assert.equal(bytes.length, p.dataStart + end, "the file ends with the last tensor");

      // Output rows: zero for control tokens, random for text tokens.
      const output = p.tensors.find((t) => t.name === "output.weight")!;
      const row = (id: number) => Array.from({ length: 64 }, (_, i) => fromHalf(bytes.readUInt16LE(p.dataStart + output.offset + (id * 64 + i) * 2)));
      const id = (text: string) => tokens.indexOf(text);
      assert.ok(row(id("</s>")).every((x) => x === 0));
      assert.ok(row(id("<|im_end|>")).every((x) => x === 0));
      if (fim) assert.ok(row(id(fim[2])).every((x) => x === 0));
      assert.ok(row(id("<0x41>")).every((x) => x === 0), "byte tokens are never generated");
      assert.ok(row(id("▁return")).some((x) => x !== 0));
    }
  });

  test("the 1.5B plan has Qwen2.5-Coder-1.5B's hyper-parameters and tensors (not written)", () => {
    const plan = modelPlan("qwen2.5-coder-1.5b");
    const m = new Map(plan.metadata.map(([k, v]) => [k, v.value]));
    assert.equal(m.get("general.architecture"), "qwen2");
    assert.equal(m.get("qwen2.embedding_length"), 1536);
    assert.equal(m.get("qwen2.block_count"), 28);
    assert.equal(m.get("qwen2.feed_forward_length"), 8960);
    assert.equal(m.get("qwen2.attention.head_count"), 12);
    assert.equal(m.get("qwen2.attention.head_count_kv"), 2);
    assert.equal(m.get("qwen2.context_length"), 32768);
    assert.equal(m.get("qwen2.rope.freq_base"), 1e6);
    assert.equal(m.get("qwen2.attention.layer_norm_rms_epsilon"), 1e-6);
    assert.equal(m.get("tokenizer.ggml.model"), "gpt2");
    assert.equal(m.get("tokenizer.ggml.pre"), "qwen2");
    assert.equal((m.get("tokenizer.ggml.tokens") as string[]).length, 151936);
    assert.equal(m.get("general.file_type"), 7);
    const tensors = new Map(plan.tensors.map((t) => [t.name, t]));
    assert.equal(plan.tensors.length, 2 + 28 * 12);
    assert.equal(tensors.has("output.weight"), false, "tied embeddings");
    assert.deepEqual(tensors.get("token_embd.weight")!.dims, [1536, 151936]);
    assert.deepEqual(tensors.get("blk.27.attn_k.weight")!.dims, [1536, 256]);
    assert.deepEqual(tensors.get("blk.27.attn_k.bias")!.dims, [256]);
    assert.deepEqual(tensors.get("blk.0.ffn_down.weight")!.dims, [8960, 1536]);
    assert.equal(tensors.get("blk.0.ffn_up.weight")!.type, Q8_0);
    assert.equal(tensors.get("blk.0.attn_q.bias")!.type, F32);
    assert.equal(tensors.get("blk.0.ffn_norm.weight")!.type, F32);
    const parameters = plan.tensors.reduce((n, t) => n + t.dims.reduce((x, y) => x * y, 1), 0);
    assert.ok(Math.abs(parameters - 1.54e9) < 0.01e9, `${parameters} parameters`);
    const { bytes } = modelFileLayout("qwen2.5-coder-1.5b");
    assert.ok(bytes > 1.6e9 && bytes < 1.7e9, `${bytes} bytes`);
    assert.throws(() => modelPlan("qwen2.5-coder-1.5b", { family: "starcoder" }), /tiny only/);
    assert.deepEqual(MODEL_SHAPES, ["tiny", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"]);
  });
});

// ── node-llama-cpp ─────────────────────────────────────────────────────────────────────────────────────

describe("with node-llama-cpp", () => {
  let lib: typeof import("node-llama-cpp");
  let llama: Llama;
  const logs: string[] = [];
  const code = 'function add(a, b) {\n    return a + b;\n}\nconst x = () => console.log("héllo ✓");\n';

  before(async () => {
    lib = await import("node-llama-cpp");
    llama = await lib.getLlama({
      gpu: false,
      build: "never",
      maxThreads: 2,
      logLevel: lib.LlamaLogLevel.warn,
      logger: (_level, message) => logs.push(message),
    });
  });
  after(async () => {
    // node-llama-cpp 3.21.1 leaks a dispose guard when loadModel fails (the truncated-file test), so
    // llama.dispose() may never settle afterwards: wait for it a short while only.
    await Promise.race([llama?.dispose(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  });

  async function greedy(model: LlamaModel, prompt: string, maxTokens: number) {
    const context = await model.createContext({ contextSize: 512, threads: 2 });
    try {
      const completion = new lib.LlamaCompletion({ contextSequence: context.getSequence() });
      const run = async () => {
        const tokens: number[] = [];
        const { response, metadata } = await completion.generateCompletionWithMeta(prompt, {
          maxTokens,
          temperature: 0,
          onToken: (t) => tokens.push(...t),
        });
        return { response, tokens, stopReason: metadata.stopReason };
      };
      return { first: await run(), second: await run(), infillSupported: completion.infillSupported };
    } finally {
      await context.dispose();
    }
  }

  for (const family of FIM_FAMILIES) {
    test(`tiny (${family}): loads, round-trips code, generates greedily and repeatably, ${family === "none" ? "has no infill" : "infills"}, chats`, async () => {
      const model = await llama.loadModel({ modelPath: await tinyModelPath({ family }), gpuLayers: 0 });
      try {
        assert.equal(model.fileInfo.metadata.general.architecture, "llama");
        const tokens = model.tokenize(code);
        assert.equal(model.detokenize(tokens), code);
        assert.ok(tokens.length < code.length * 0.75, `code words merge: ${tokens.length} tokens for ${code.length} characters`);
        for (const word of ["return", "function", "const"]) assert.equal(model.tokenize(word).length, 1, `${word} is one token`);

        const { first, second, infillSupported } = await greedy(model, "def main(self):", 24);
        assert.equal(first.stopReason, "maxTokens", "no end token before maxTokens");
        assert.equal(first.tokens.length, 24);
        assert.deepEqual(second.tokens, first.tokens, "greedy decoding repeats");
        assert.equal(second.response, first.response);
        assert.ok(first.response.trim().length > 10, JSON.stringify(first.response));
        assert.equal(infillSupported, family !== "none");

        const expectedPrefix = { qwen: "<|fim_prefix|>", starcoder: "<fim_prefix>", deepseek: "<｜fim▁begin｜>", codellama: "▁<PRE>", codestral: "[PREFIX]", none: undefined }[family];
        const prefix = model.tokens.infill.prefix;
        if (expectedPrefix) assert.equal(model.tokens.infill.prefixString, expectedPrefix);
        else assert.equal(prefix, null);
        if (infillSupported) {
          const context = await model.createContext({ contextSize: 512, threads: 2 });
          const infill = await new lib.LlamaCompletion({ contextSequence: context.getSequence() }).generateInfillCompletion(
            "function f() {\n  return ",
            ";\n}\n",
            { maxTokens: 12, temperature: 0 },
          );
          assert.ok(infill.length > 0);
          await context.dispose();
        }

        const imEnd = model.tokenize("<|im_end|>", true);
        assert.equal(imEnd.length, 1, "<|im_end|> is one special token");
        assert.ok(model.isEogToken(imEnd[0]), "<|im_end|> ends generation");
        const wrapper = lib.resolveChatWrapper(model);
        assert.ok(wrapper instanceof lib.ChatMLChatWrapper, `ChatML wrapper, got ${wrapper.constructor.name}`);
        const context = await model.createContext({ contextSize: 512, threads: 2 });
        const session = new lib.LlamaChatSession({ contextSequence: context.getSequence() });
        assert.ok(session.chatWrapper instanceof lib.ChatMLChatWrapper);
        const reply = await session.prompt("Write hello world in Python", { maxTokens: 16, temperature: 0 });
        assert.ok(reply.trim().length > 0);
        assert.doesNotMatch(reply, /im_start|im_end|<\|/, "no template text leaks into the reply");
        await context.dispose();
      } finally {
        await model.dispose();
      }
    });
  }

  test("a truncated tiny file fails to load with an error, and the process lives on", async () => {
    const dir = await mkdtemp(join(tmpdir(), "freehold-gguf-"));
    try {
      const whole = await readFile(await tinyModelPath());
      const truncated = join(dir, "truncated.gguf");
      await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
      logs.length = 0;
      await assert.rejects(llama.loadModel({ modelPath: truncated, gpuLayers: 0 }), { message: "Failed to load model" });
      // llama.cpp's reason arrives through the logger a moment later.
      const reason = /tensor '[^']+' data is not within the file bounds, model is corrupted or incomplete/;
      for (let i = 0; i < 50 && !logs.some((l) => reason.test(l)); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(logs.some((l) => reason.test(l)), logs.join("\n"));
      const headerOnly = join(dir, "header-only.gguf");
      await writeFile(headerOnly, whole.subarray(0, 1000));
      await assert.rejects(llama.loadModel({ modelPath: headerOnly, gpuLayers: 0 }), { message: "Failed to load model" });
      // The process is fine: a whole file still loads.
      const model = await llama.loadModel({ modelPath: await tinyModelPath(), gpuLayers: 0 });
      assert.ok(model.tokenize("return").length > 0);
      await model.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("the 0.5B shape: real hyper-parameters, loads, tokenises like a code tokenizer, generates the same tokens twice", async () => {
    const path = await realisticModelPath("qwen2.5-coder-0.5b");
    const info = await lib.readGgufFileInfo(path);
    const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
    assert.equal(meta.general.architecture, "qwen2");
    const qwen2 = meta.qwen2 as { embedding_length: number; block_count: number; feed_forward_length: number; attention: { head_count: number; head_count_kv: number } };
    assert.deepEqual(
      [qwen2.embedding_length, qwen2.block_count, qwen2.feed_forward_length, qwen2.attention.head_count, qwen2.attention.head_count_kv],
      [896, 24, 4864, 14, 2],
    );
    assert.equal(info.tensorInfo!.length, 2 + 24 * 12);
    const head = Buffer.alloc(8);
    const file = await open(path, "r");
    await file.read(head, 0, 8, 0);
    await file.close();
    assert.equal(head.toString("latin1", 0, 4), "GGUF");

    const model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    try {
      assert.equal(model.tokens.bos, 151643);
      assert.equal(model.tokens.infill.prefix, 151659);
      assert.equal(model.tokens.infill.suffix, 151661);
      assert.equal(model.tokens.infill.middle, 151660);
      assert.deepEqual(model.tokenize("<|im_start|>", true), [151644]);
      assert.ok(model.isEogToken(151645 as Token));
      const tokens = model.tokenize(code);
      assert.equal(model.detokenize(tokens), code);
      assert.ok(tokens.length < code.length / 2.2, `${tokens.length} tokens for ${code.length} characters`);
      assert.ok(lib.resolveChatWrapper(model) instanceof lib.QwenChatWrapper);
      const { first, second, infillSupported } = await greedy(model, "def fibonacci(n):", 4);
      assert.equal(first.tokens.length, 4);
      assert.deepEqual(second.tokens, first.tokens);
      assert.ok(first.tokens.every((t) => t < 151643), "plain text tokens only");
      assert.equal(infillSupported, true);
    } finally {
      await model.dispose();
    }
  });
});
