// Discovery of GGUF models in folders laid out like each tool's store (Hugging Face hub cache, LM Studio,
// Ollama manifests and blobs, node-llama-cpp, a user folder), made at test time in a temp home folder with
// generated models, a truncated file and a non-GGUF file; then `freehold models --json` on the same folders.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { tinyModelPath } from "../helpers/models";
import { discoverModels, ollamaName, type DiscoveredModel } from "../../src/models/discovery";
import { defaultStoreLocations } from "../../src/models/locations";
import { identifyModelFile } from "../../src/models/identify";
import { recommendedModel, CATALOG } from "../../src/models/catalog";
import { fitFromRequirements, estimateTokensPerSecond } from "../../src/models/fit";

let home: string;
let userFolder: string;
const paths: Record<string, string> = {};

async function place(path: string, from: string | Buffer): Promise<string> {
  await mkdir(join(path, ".."), { recursive: true });
  if (typeof from === "string") await copyFile(from, path);
  else await writeFile(path, from);
  return path;
}

before(async () => {
  const root = await mkdtemp(join(tmpdir(), "freehold-discovery-"));
  home = join(root, "home");
  userFolder = join(root, "my-models");
  const qwen = await tinyModelPath({ family: "qwen" });
  const starcoder = await tinyModelPath({ family: "starcoder" });
  const deepseek = await tinyModelPath({ family: "deepseek" });
  const none = await tinyModelPath({ family: "none" });
  const codellama = await tinyModelPath({ family: "codellama" });

  // Hugging Face hub cache: snapshot entries are symlinks into blobs/ named by hash.
  const repo = join(home, ".cache", "huggingface", "hub", "models--Qwen--Tiny-Coder-GGUF");
  const qwenBlob = await place(join(repo, "blobs", "0b5e3d9f"), qwen);
  await mkdir(join(repo, "snapshots", "abc123"), { recursive: true });
  paths.hf = join(repo, "snapshots", "abc123", "tiny-coder-q8_0.gguf");
  await symlink("../../blobs/0b5e3d9f", paths.hf);
  await writeFile(join(repo, "snapshots", "abc123", "README.md"), "# model card\n");

  // LM Studio: models/<publisher>/<repo>/<file>.gguf
  paths.lmstudio = await place(join(home, ".lmstudio", "models", "lmstudio-community", "Tiny-StarCoder-GGUF", "tiny-starcoder.gguf"), starcoder);

  // Ollama: manifests/<host>/<namespace>/<model>/<tag> → the model layer's blob, named by digest.
  const ollama = join(home, ".ollama", "models");
  const bytes = await readFile(deepseek);
  const digest = createHash("sha256").update(bytes).digest("hex");
  paths.ollama = await place(join(ollama, "blobs", `sha256-${digest}`), bytes);
  const config = Buffer.from('{"model_format":"gguf"}');
  const configDigest = createHash("sha256").update(config).digest("hex");
  await place(join(ollama, "blobs", `sha256-${configDigest}`), config);
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: `sha256:${configDigest}`, size: config.length },
    layers: [
      { mediaType: "application/vnd.ollama.image.model", digest: `sha256:${digest}`, size: bytes.length },
      { mediaType: "application/vnd.ollama.image.template", digest: `sha256:${"1".repeat(64)}`, size: 10 },
    ],
  };
  await place(join(ollama, "manifests", "registry.ollama.ai", "library", "tiny-deepseek", "1b"), Buffer.from(JSON.stringify(manifest)));
  const missing = { ...manifest, layers: [{ mediaType: "application/vnd.ollama.image.model", digest: `sha256:${"2".repeat(64)}`, size: 5 }] };
  await place(join(ollama, "manifests", "registry.ollama.ai", "someone", "gone", "latest"), Buffer.from(JSON.stringify(missing)));

  // node-llama-cpp's own folder.
  paths.nodeLlamaCpp = await place(join(home, ".node-llama-cpp", "models", "tiny-plain.gguf"), none);

  // A user folder: a model misnamed as a big one, a truncated download, a text file, and a link to the HF blob.
  paths.misnamed = await place(join(userFolder, "nested", "qwen2.5-coder-7b-instruct-q4_k_m.gguf"), codellama);
  const whole = await readFile(qwen);
  paths.truncated = await place(join(userFolder, "truncated.gguf"), whole.subarray(0, whole.length - 4096));
  paths.text = await place(join(userFolder, "notes.gguf"), Buffer.from("these are my notes, not a model\n"));
  await symlink(qwenBlob, join(userFolder, "same-as-hf.gguf"));
  await writeFile(join(userFolder, "readme.txt"), "not looked at\n");
});

after(async () => {
  await rm(join(home, ".."), { recursive: true, force: true });
});

function locations() {
  return [...defaultStoreLocations({ home, env: {}, platform: "linux" }), { kind: "user" as const, path: userFolder }];
}

function byPath(found: DiscoveredModel[], path: string): DiscoveredModel {
  const hit = found.find((m) => m.path === path);
  assert.ok(hit, `found ${path} among ${found.map((m) => m.path).join(", ")}`);
  return hit;
}

test("every store's models are found, named by the store's convention and identified from their headers", async () => {
  const found = await discoverModels(locations());

  const hf = byPath(found, paths.hf);
  assert.equal(hf.source, "huggingface");
  assert.equal(hf.name, "Qwen/Tiny-Coder-GGUF/tiny-coder-q8_0.gguf");
  assert.equal(hf.valid, true);
  assert.equal(hf.facts?.architecture, "llama");
  assert.equal(hf.facts?.fim, true);
  assert.equal(hf.facts?.fimFamily, "qwen");
  assert.equal(hf.facts?.chatTemplate, true);

  const lm = byPath(found, paths.lmstudio);
  assert.equal(lm.source, "lmstudio");
  assert.equal(lm.name, "lmstudio-community/Tiny-StarCoder-GGUF/tiny-starcoder.gguf");
  assert.equal(lm.facts?.fimFamily, "starcoder");

  const ollama = byPath(found, paths.ollama);
  assert.equal(ollama.source, "ollama");
  assert.equal(ollama.name, "tiny-deepseek:1b");
  assert.equal(ollama.valid, true);
  assert.equal(ollama.facts?.fimFamily, "deepseek");

  const gone = found.find((m) => m.name === "someone/gone:latest");
  assert.ok(gone, "the manifest whose blob is missing is listed");
  assert.equal(gone.valid, false);
  assert.match(gone.reason ?? "", /not found/);

  const plain = byPath(found, paths.nodeLlamaCpp);
  assert.equal(plain.source, "node-llama-cpp");
  assert.equal(plain.valid, true);
  assert.equal(plain.facts?.fim, false, "a model without FIM tokens says so");
  assert.equal(plain.facts?.fimFamily, "none");
});

test("a file is identified by its header, never by its name", async () => {
  const found = await discoverModels(locations());
  const misnamed = byPath(found, paths.misnamed);
  assert.equal(misnamed.valid, true);
  assert.equal(misnamed.source, "user");
  assert.equal(misnamed.facts?.architecture, "llama");
  assert.equal(misnamed.facts?.quantization, "F16", "not the Q4_K_M its name claims");
  assert.equal(misnamed.facts?.sizeLabel, "tiny", "not 7B");
  assert.ok(misnamed.facts!.parameterCount > 10_000 && misnamed.facts!.parameterCount < 1_000_000, String(misnamed.facts?.parameterCount));
  assert.equal(misnamed.facts?.fimFamily, "codellama");
  assert.equal(misnamed.facts?.contextLength, 4096);
});

test("truncated and non-GGUF files are listed with the reason; other files are not looked at", async () => {
  const found = await discoverModels(locations());
  const truncated = byPath(found, paths.truncated);
  assert.equal(truncated.valid, false);
  assert.match(truncated.reason ?? "", /truncated/);
  const text = byPath(found, paths.text);
  assert.equal(text.valid, false);
  assert.match(text.reason ?? "", /not a GGUF model file/);
  assert.ok(!found.some((m) => m.path.endsWith("readme.txt") || m.path.endsWith("README.md")));
});

test("the same file reached twice (a link to a hub blob) is listed once", async () => {
  const found = await discoverModels(locations());
  const sameBlob = found.filter((m) => m.path === join(userFolder, "same-as-hf.gguf") || m.path === paths.hf);
  assert.equal(sameBlob.length, 1, sameBlob.map((m) => m.path).join(", "));
  assert.equal(found.length, 8, found.map((m) => `${m.source}:${m.name}`).join(", "));
});

test("missing store folders are skipped; environment variables move the stores", async () => {
  assert.deepEqual(await discoverModels([{ kind: "user", path: join(home, "nope") }]), []);
  const moved = defaultStoreLocations({ home: "/h", env: { HF_HUB_CACHE: "/hub", OLLAMA_MODELS: "/ol" }, platform: "linux" });
  assert.ok(moved.some((l) => l.kind === "huggingface" && l.path === "/hub"));
  assert.ok(moved.some((l) => l.kind === "ollama" && l.path === "/ol"));
  assert.equal(ollamaName(["registry.ollama.ai", "library", "qwen2.5-coder", "1.5b"]), "qwen2.5-coder:1.5b");
  assert.equal(ollamaName(["registry.ollama.ai", "someone", "m", "q8"]), "someone/m:q8");
  assert.equal(ollamaName(["hf.co", "owner", "repo", "latest"]), "hf.co/owner/repo:latest");
});

test("identify gives a reason for a folder and a missing file", async () => {
  const folder = await identifyModelFile(userFolder);
  assert.equal(folder.ok, false);
  assert.match(!folder.ok ? folder.reason : "", /is a folder/);
  const missing = await identifyModelFile(join(userFolder, "nope.gguf"));
  assert.match(!missing.ok ? missing.reason : "", /not found/);
});

test("the recommendation is the largest catalog model that fits the free memory and keeps up", () => {
  const gib = 1024 ** 3;
  const machine = (freeGib: number, cpuCores: number) => ({ freeRamBytes: freeGib * gib, cpuCores });
  assert.equal(recommendedModel("completion", machine(16, 8)).id, "qwen2.5-coder-3b-base-q4_k_m", "8 cores: a 7B model is too slow to complete while typing");
  assert.equal(recommendedModel("chat", machine(16, 8)).id, "qwen2.5-coder-7b-instruct-q4_k_m", "chat may stream slower");
  assert.equal(recommendedModel("completion", machine(16, 2)).id, "qwen2.5-coder-1.5b-base-q4_k_m", "2 cores: 1.5B Q4_K_M is the largest fast one");
  assert.equal(recommendedModel("completion", { ...machine(16, 2), gpu: { type: "cuda", totalVramBytes: 12 * gib, freeVramBytes: 11 * gib } }).id, "qwen2.5-coder-7b-base-q8_0", "on a GPU the 7B model keeps up");
  assert.equal(recommendedModel("chat", machine(3, 16)).id, "qwen2.5-coder-1.5b-instruct-q4_k_m", "a smaller quantisation of a larger model before a smaller model");
  assert.equal(recommendedModel("chat", machine(2.5, 16)).id, "qwen2.5-coder-0.5b-instruct-q8_0");
  assert.equal(recommendedModel("completion", machine(0.5, 16)).id, "qwen2.5-coder-0.5b-base-q4_k_m", "the smallest when nothing fits");
  for (const m of CATALOG) {
    assert.match(m.uri, /^hf:Qwen\/Qwen2\.5-Coder-[\d.]+B(-Instruct)?-GGUF\/qwen2\.5-coder-[\d.]+b(-instruct)?-q(8_0|4_k_m)\.gguf$/);
    assert.equal(m.role === "completion", m.fim);
  }
});

test("fit levels and speed estimates follow memory and model size", () => {
  const hardware = { totalRamBytes: 8e9, freeRamBytes: 4e9, cpuCores: 2, supportedGpuTypes: [], notes: [] };
  assert.equal(fitFromRequirements({ ramBytes: 1e9, modelBytes: 0.5e9, contextSize: 4096 }, hardware).level, "fits");
  assert.equal(fitFromRequirements({ ramBytes: 3.5e9, modelBytes: 3e9, contextSize: 4096 }, hardware).level, "tight");
  const big = fitFromRequirements({ ramBytes: 9e9, modelBytes: 8e9, contextSize: 4096 }, hardware);
  assert.equal(big.level, "too-big");
  assert.match(big.reason, /too big: needs 8\.4 GB RAM/);
  assert.ok(estimateTokensPerSecond(0.5e9, hardware) > estimateTokensPerSecond(1.5e9, hardware));
  assert.ok(estimateTokensPerSecond(1.5e9, { cpuCores: 8 }) > estimateTokensPerSecond(1.5e9, { cpuCores: 2 }));
});

test("freehold models --json lists each valid model with architecture, size, FIM and fit, and each invalid one with its reason", () => {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const key of ["HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME", "OLLAMA_MODELS"]) delete env[key];
  const run = spawnSync(process.execPath, [resolve("bin/freehold.mjs"), "models", "--json", "--search-path", userFolder, "--gpu-layers", "0"], { encoding: "utf8", env, timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.ok(report.hardware.totalRamBytes > 0 && report.hardware.cpuCores > 0);
  const models = report.models as Array<DiscoveredModel & { fit?: { level: string; reason: string; ramBytes: number; estimatedTokensPerSecond: number } }>;
  const valid = models.filter((m) => m.valid);
  const invalid = models.filter((m) => !m.valid);
  assert.deepEqual(valid.map((m) => m.source).sort(), ["huggingface", "lmstudio", "node-llama-cpp", "ollama", "user"]);
  for (const m of valid) {
    assert.equal(m.facts?.architecture, "llama", m.name);
    assert.ok(m.facts!.sizeBytes > 100_000, m.name);
    assert.equal(typeof m.facts?.fim, "boolean");
    assert.equal(m.fit?.level, "fits", `${m.name}: ${m.fit?.reason}`);
    assert.match(m.fit!.reason, /^fits: needs .* RAM with a 4096-token context/);
    assert.ok(m.fit!.ramBytes > m.facts!.sizeBytes, "the context's memory is counted too");
    assert.ok(m.fit!.estimatedTokensPerSecond > 0);
  }
  assert.equal(valid.find((m) => m.name === "tiny-deepseek:1b")?.facts?.fim, true);
  assert.equal(valid.find((m) => m.name === "tiny-plain.gguf")?.facts?.fim, false);
  assert.deepEqual(invalid.map((m) => m.name).sort(), ["notes.gguf", "someone/gone:latest", "truncated.gguf"]);
  for (const m of invalid) assert.ok(m.reason && m.reason.length > 10, m.name);
  assert.equal(report.recommended.completion.role, "completion");
  assert.equal(report.recommended.chat.role, "chat");

  const text = spawnSync(process.execPath, [resolve("bin/freehold.mjs"), "models", "--search-path", userFolder, "--gpu-layers", "0"], { encoding: "utf8", env, timeout: 120_000 });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /✓ tiny-deepseek:1b/);
  assert.match(text.stdout, /✗ truncated\.gguf[^\n]*\n\s+.*truncated/);
  assert.match(text.stdout, /recommended downloads for this machine/);
  assert.match(text.stdout, /together: [\d.]+ [MG]B RAM of [\d.]+ [MG]B free/, "the pair's memory together");
});
