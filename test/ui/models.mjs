// The tiny model for UI tests, made with the built CLI (the same generator as the unit tests).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");

export async function writeModelFile() {
  const dir = join(ROOT, ".freehold-test", "models");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "tiny-qwen-1.gguf");
  if (!existsSync(path)) execFileSync(process.execPath, [join(ROOT, "bin", "freehold.mjs"), "make-model", "--shape", "tiny", "--out", path, "--seed", "1"], { stdio: "inherit" });
  return path;
}
