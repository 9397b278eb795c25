// Scripted models (src/gguf/scripted.ts): how a script is cut into tokens, and that the real llama.cpp, run by
// the real worker (and by the `freehold` command), answers any prompt with exactly the script, in the chat form
// (a first turn and a follow-up) and in the FIM forms (the model's infill tokens and a caller-built prompt).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { EngineError } from "../../src/engine/protocol";
import { planScriptedModel, scriptPieces } from "../../src/gguf/index";
import { tinyVocabulary } from "../../src/gguf/tinyVocab";
import { TokenType } from "../../src/gguf/vocab";
import { scriptedModelPath } from "../helpers/models";

/** Markdown with everything that could trip the construction: an empty line, a repeated line, leading spaces, non-ASCII. */
const CHAT_SCRIPT = [
  "## Adding numbers",
  "",
  "- `add` takes two numbers",
  "- it returns their sum",
  "",
  "```ts",
  "export function add(a: number, b: number): number {",
  "  return a + b;",
  "}",
  "export function sub(a: number, b: number): number {",
  "  return a - b; // héllo ✓",
  "}",
  "```",
  "",
].join("\n");
/** A FIM middle that starts with spaces and has no trailing newline. */
const FIM_SCRIPT = "  return a + b;";

describe("cutting a script into pieces", () => {
  test("lines keep their newline; an empty line joins the line before it", () => {
    assert.deepEqual(scriptPieces("# A\n\n- b\n- c\n"), ["# A\n\n", "- b\n", "- c\n"]);
    assert.deepEqual(scriptPieces("x = 1\n\n\ny = 2"), ["x = 1\n\n\n", "y = 2"]);
  });

  test("no piece is one character, a repeat or an existing token; the pieces always join back to the script", () => {
    const vocabulary = new Set(tinyVocabulary("qwen").tokens);
    for (const script of [CHAT_SCRIPT, FIM_SCRIPT, "}\n}\n}\n", "a\nb\nc", "\n\nx\n", "return\nreturn\n", "x"]) {
      if (script === "x") {
        assert.throws(() => scriptPieces(script), /two characters/);
        continue;
      }
      const pieces = scriptPieces(script, (text) => vocabulary.has(text));
      assert.equal(pieces.join(""), script);
      assert.equal(new Set(pieces).size, pieces.length, `unique pieces of ${JSON.stringify(script)}`);
      for (const piece of pieces) {
        assert.ok([...piece].length >= 2, JSON.stringify(piece));
        assert.ok(!vocabulary.has(piece.replaceAll(" ", "▁")), `${JSON.stringify(piece)} is a new token`);
      }
    }
    assert.deepEqual(scriptPieces("}\n}\n}\n"), ["}\n", "}\n}\n"]);
  });

  test("an empty script and one holding the space mark are refused with a clear message", () => {
    assert.throws(() => scriptPieces(""), /empty/);
    assert.throws(() => scriptPieces("a▁b"), /U\+2581/);
  });

  test("the pieces are NORMAL tokens scored below every other token, and no space prefix is added", () => {
    const plan = planScriptedModel(CHAT_SCRIPT);
    const m = new Map(plan.metadata.map(([k, v]) => [k, v.value]));
    const tokens = m.get("tokenizer.ggml.tokens") as string[];
    const types = Array.from(m.get("tokenizer.ggml.token_type") as Int32Array);
    const scores = Array.from(m.get("tokenizer.ggml.scores") as Float32Array);
    const pieceCount = m.get("freehold.script_pieces") as number;
    assert.equal(pieceCount, scriptPieces(CHAT_SCRIPT).length);
    const first = tokens.length - pieceCount;
    assert.equal(tokens[first], "##▁Adding▁numbers\n\n");
    const baseLowest = Math.min(...scores.slice(0, first));
    for (let id = first; id < tokens.length; id++) {
      assert.equal(types[id], TokenType.NORMAL);
      assert.ok(scores[id] < baseLowest);
    }
    assert.equal(m.get("tokenizer.ggml.add_space_prefix"), false);
    assert.equal(m.get("general.architecture"), "llama");
  });
});

describe("through the worker", () => {
  const workerPath = resolve("dist/worker.mjs");
  let engine: EngineClient;
  let chatModel: string;
  let fimModel: string;
  let chatOnlyModel: string;

  before(async () => {
    assert.ok(existsSync(workerPath), "dist/worker.mjs exists (npm run build)");
    chatModel = await scriptedModelPath("unit-chat", CHAT_SCRIPT);
    fimModel = await scriptedModelPath("unit-fim", FIM_SCRIPT);
    chatOnlyModel = await scriptedModelPath("unit-chat-only", CHAT_SCRIPT, { family: "none" });
    engine = new EngineClient({ workerPath, backoffMs: [0, 100] });
  });
  after(async () => {
    await engine?.dispose();
  });

  const use = async (path: string) => {
    engine.setModel({ path, contextSize: 2048, gpuLayers: 0, threads: 2 });
    return engine.ensureModel();
  };
  const chat = (message: string, history: Array<{ role: "user" | "assistant"; text: string }> = [], temperature?: number) => {
    const streamed: string[] = [];
    return engine
      .chat({ conversationId: "c1", history, message, maxTokens: 400, temperature }, { onEvent: (e) => streamed.push(e.text) })
      .then((result) => ({ ...result, streamed: streamed.join("") }));
  };

  test("a chat answer is the script byte for byte, streamed the same, ended by end-of-generation; a follow-up too", async () => {
    await use(chatModel);
    const first = await chat("How do I add two numbers in TypeScript?");
    assert.equal(first.text, CHAT_SCRIPT);
    assert.equal(first.streamed, CHAT_SCRIPT);
    assert.equal(first.stopReason, "eog");
    const followUp = await chat("And subtract?", [
      { role: "user", text: "How do I add two numbers in TypeScript?" },
      { role: "assistant", text: first.text },
    ], 0.8);
    assert.equal(followUp.text, CHAT_SCRIPT, "the same at a sampling temperature, after a history that holds the script");
  });

  test("a FIM completion is the script too: by the model's infill tokens and by a caller-built Qwen prompt", async () => {
    await use(chatModel);
    const infill = await engine.complete({ infill: { prefix: "function add(a, b) {\n", suffix: "\n}\n" }, maxTokens: 400 });
    assert.equal(infill.text, CHAT_SCRIPT);
    assert.equal(infill.stopReason, "eog");

    const info = await use(fimModel);
    assert.equal(info.infill, true);
    const prompt = [{ special: "<|fim_prefix|>" }, { text: "function add(a, b) {\n" }, { special: "<|fim_suffix|>" }, { text: "\n}\n" }, { special: "<|fim_middle|>" }];
    const streamed: string[] = [];
    const built = await engine.complete({ prompt, maxTokens: 50 }, { onEvent: (e) => streamed.push(e.text) });
    assert.equal(built.text, FIM_SCRIPT, "the leading spaces are kept");
    assert.equal(streamed.join(""), FIM_SCRIPT);
    assert.equal(built.stopReason, "eog");
    assert.equal((await chat("anything at all")).text, FIM_SCRIPT);
  });

  test("a chat-only scripted model (no FIM tokens) chats the script and refuses infill", async () => {
    const info = await use(chatOnlyModel);
    assert.equal(info.infill, false);
    assert.equal((await chat("Hello")).text, CHAT_SCRIPT);
    await assert.rejects(
      engine.complete({ infill: { prefix: "a", suffix: "b" }, maxTokens: 10 }),
      (error: unknown) => error instanceof EngineError && error.code === "no-infill",
    );
  });
});

describe("the freehold command", () => {
  const bin = resolve("bin/freehold.mjs");
  const freehold = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "freehold-scripted-"));
  });

  test("make-model --script, then chat prints the script and complete returns the FIM script", async () => {
    await writeFile(join(dir, "chat.md"), CHAT_SCRIPT);
    await writeFile(join(dir, "fim.txt"), FIM_SCRIPT);
    await writeFile(join(dir, "add.ts"), "export function add(a: number, b: number): number {\n\n}\n");
    for (const [script, out] of [["chat.md", "chat.gguf"], ["fim.txt", "fim.gguf"]]) {
      const made = freehold("make-model", "--script", join(dir, script), "--out", join(dir, out));
      assert.equal(made.status, 0, made.stderr);
    }
    const chat = freehold("chat", "--model", join(dir, "chat.gguf"), "--gpu-layers", "0", "Explain add");
    assert.equal(chat.status, 0, chat.stderr);
    assert.equal(chat.stdout, `${CHAT_SCRIPT}\n`);
    const complete = freehold("complete", `${join(dir, "add.ts")}:2:1`, "--model", join(dir, "fim.gguf"), "--gpu-layers", "0", "--json");
    assert.equal(complete.status, 0, complete.stderr);
    assert.equal(JSON.parse(complete.stdout).completion, FIM_SCRIPT);
  });

  test("bad input: a missing script, a one-character script, --script with --shape", async () => {
    const missing = freehold("make-model", "--script", join(dir, "nope.txt"), "--out", join(dir, "x.gguf"));
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /^freehold: Cannot read the script .*nope\.txt: ENOENT/);
    await writeFile(join(dir, "one.txt"), "x");
    const one = freehold("make-model", "--script", join(dir, "one.txt"), "--out", join(dir, "x.gguf"));
    assert.notEqual(one.status, 0);
    assert.match(one.stderr, /two characters/);
    const both = freehold("make-model", "--script", join(dir, "one.txt"), "--shape", "tiny", "--out", join(dir, "x.gguf"));
    assert.match(both.stderr, /leave out --shape/);
    assert.equal(existsSync(join(dir, "x.gguf")), false);
  });
});
