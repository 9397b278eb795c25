// Finds GGUF models already on the machine: the Hugging Face hub cache, LM Studio's folders, Ollama's store
// (blobs named by digest behind JSON manifests), node-llama-cpp's models folder and user folders. Every file
// is identified by its header; ones that are not whole GGUF models are listed with the reason.
import type { Dirent } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import * as nodePath from "node:path";
import { join, relative, sep } from "node:path";
import type { PathRules } from "../platform/paths";
import { identifyModelFile, type ModelFacts } from "./identify";
import type { StoreKind, StoreLocation } from "./locations";

export interface DiscoveredModel {
  /** The path to load. */
  path: string;
  /** How the store names it: `owner/repo/file.gguf` (Hugging Face), `name:tag` (Ollama), the file name otherwise. */
  name: string;
  source: StoreKind;
  /** The store folder it was found in. */
  store: string;
  valid: boolean;
  facts?: ModelFacts;
  /** Why it cannot be used, when not valid. */
  reason?: string;
}

export interface DiscoveryOptions {
  /** Folders scanned this deep at most (user folders and LM Studio). */
  maxDepth?: number;
  signal?: AbortSignal;
}

interface Candidate {
  path: string;
  name: string;
  source: StoreKind;
  store: string;
  /** Set when the store itself already tells that the file is unusable. */
  reason?: string;
}

const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/i;
const OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model";

/** Scans the stores in order; the same file (by real path) is listed once, under the first store naming it. */
export async function discoverModels(locations: readonly StoreLocation[], options: DiscoveryOptions = {}): Promise<DiscoveredModel[]> {
  const seen = new Set<string>();
  const found: DiscoveredModel[] = [];
  for (const location of locations) {
    if (options.signal?.aborted) break;
    if (!(await isDirectory(location.path))) continue;
    const candidates = location.kind === "ollama" ? await ollamaCandidates(location.path) : await folderCandidates(location, options.maxDepth ?? 6);
    for (const candidate of candidates) {
      if (options.signal?.aborted) break;
      const key = await realpath(candidate.path).catch(() => candidate.path);
      if (seen.has(key)) continue;
      seen.add(key);
      if (candidate.reason) {
        found.push({ ...candidate, valid: false, reason: candidate.reason });
        continue;
      }
      const identified = await identifyModelFile(candidate.path);
      found.push(identified.ok ? { ...candidate, valid: true, facts: identified.facts } : { ...candidate, valid: false, reason: identified.reason });
    }
  }
  return found;
}

/** `*.gguf` files under a folder (split models by their first part only); named per store convention. */
async function folderCandidates(location: StoreLocation, maxDepth: number): Promise<Candidate[]> {
  const files = await findGgufFiles(location.path, maxDepth);
  const candidates: Candidate[] = [];
  for (const file of files) {
    const split = SPLIT_PART.exec(file);
    if (split && split[1] !== "00001") continue;
    candidates.push({ path: file, name: storeName(location, file), source: location.kind, store: location.path });
  }
  return candidates;
}

/** A model's name in its store (Hugging Face "Owner/Repo/file.gguf", LM Studio "publisher/repo/file.gguf"). */
export function storeName(location: StoreLocation, file: string, path: PathRules = nodePath): string {
  const rel = path.relative(location.path, file).split(path.sep);
  if (location.kind === "huggingface") {
    // models--Owner--Repo/snapshots/<revision>/path/file.gguf
    const repo = rel[0]?.startsWith("models--") ? rel[0].slice("models--".length).split("--").join("/") : undefined;
    if (repo && rel[1] === "snapshots" && rel.length > 3) return `${repo}/${rel.slice(3).join("/")}`;
  }
  if (location.kind === "lmstudio" && rel.length >= 3) return rel.join("/");
  return path.basename(file);
}

/** A folder's entries by name (stable output); none when it cannot be read. */
async function sortedEntries(dir: string): Promise<Dirent[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[]);
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

async function findGgufFiles(root: string, maxDepth: number): Promise<string[]> {
  const out: string[] = [];
  const visited = new Set<string>();
  const walk = async (dir: string, depth: number) => {
    const real = await realpath(dir).catch(() => dir);
    if (visited.has(real)) return;
    visited.add(real);
    for (const entry of await sortedEntries(dir)) {
      const path = join(dir, entry.name);
      if (entry.name.startsWith(".")) continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        isDir = target?.isDirectory() ?? false;
        // A dangling link still counts as a candidate file, so it is reported instead of silently missing.
        isFile = target ? target.isFile() : /\.gguf$/i.test(entry.name);
      }
      if (isDir && depth < maxDepth) await walk(path, depth + 1);
      else if (isFile && /\.gguf$/i.test(entry.name)) out.push(path);
    }
  };
  await walk(root, 0);
  return out;
}

/** Ollama: each manifest (manifests/<host>/<namespace>/<model>/<tag>) names its model layer's blob by digest. */
async function ollamaCandidates(modelsDir: string): Promise<Candidate[]> {
  const manifestsDir = join(modelsDir, "manifests");
  const manifests: string[] = [];
  const walk = async (dir: string, depth: number) => {
    for (const entry of await sortedEntries(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 4) await walk(path, depth + 1);
      else if (entry.isFile()) manifests.push(path);
    }
  };
  await walk(manifestsDir, 0);

  const candidates: Candidate[] = [];
  for (const manifest of manifests) {
    const name = ollamaName(relative(manifestsDir, manifest).split(sep));
    const base = { name, source: "ollama" as const, store: modelsDir };
    let parsed: { layers?: Array<{ mediaType?: string; digest?: string }> };
    try {
      parsed = JSON.parse(await readFile(manifest, "utf8"));
    } catch {
      candidates.push({ ...base, path: manifest, reason: `The Ollama manifest of ${name} is not valid JSON.` });
      continue;
    }
    const layer = parsed.layers?.find((l) => l.mediaType === OLLAMA_MODEL_LAYER);
    if (!layer?.digest || !/^sha256:[0-9a-f]{64}$/i.test(layer.digest)) {
      candidates.push({ ...base, path: manifest, reason: `The Ollama manifest of ${name} names no model layer.` });
      continue;
    }
    const blob = join(modelsDir, "blobs", layer.digest.replace(":", "-"));
    candidates.push({ ...base, path: blob });
  }
  return candidates;
}

/** registry.ollama.ai/library/qwen2.5-coder/1.5b → "qwen2.5-coder:1.5b"; other namespaces and hosts stay in the name. */
export function ollamaName(parts: string[]): string {
  if (parts.length < 2) return parts.join("/");
  const tag = parts[parts.length - 1];
  let repo = parts.slice(0, -1);
  if (repo[0] === "registry.ollama.ai") repo = repo.slice(1);
  if (repo[0] === "library" && repo.length === 2) repo = repo.slice(1);
  return `${repo.join("/")}:${tag}`;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
