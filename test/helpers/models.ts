// Generated models for tests, made once per checkout into .freehold-test/models (git-ignored) and reused
// while they match what the generator would write now (same size and same header: metadata, vocabulary,
// tensor layout and generator version). Files are written to a temporary name and renamed into place, so a
// concurrent test process sees either no file or a whole one.
import { mkdir, open, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  modelFileLayout,
  scriptedModelFileLayout,
  writeModelFile,
  writeScriptedModelFile,
  type MakeModelOptions,
  type ModelShape,
  type ScriptedModelOptions,
} from "../../src/gguf/index";

export const MODEL_DIR = resolve(__dirname, "..", "..", ".freehold-test", "models");

const pending = new Map<string, Promise<string>>();

/** True when the file at `path` has exactly the expected size and first bytes. */
async function matches(path: string, expected: { bytes: number; header: Buffer }): Promise<boolean> {
  try {
    if ((await stat(path)).size !== expected.bytes) return false;
    const file = await open(path, "r");
    try {
      const head = Buffer.alloc(expected.header.length);
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      return bytesRead === head.length && head.equals(expected.header);
    } finally {
      await file.close();
    }
  } catch {
    return false;
  }
}

function ensure(name: string, shape: ModelShape, options: MakeModelOptions): Promise<string> {
  const path = join(MODEL_DIR, name);
  let made = pending.get(path);
  if (!made) {
    made = (async () => {
      await mkdir(MODEL_DIR, { recursive: true });
      if (!(await matches(path, modelFileLayout(shape, options)))) await writeModelFile(path, shape, options);
      return path;
    })();
    made.catch(() => pending.delete(path));
    pending.set(path, made);
  }
  return made;
}

/** `.freehold-test/models/tiny-<family>-<seed>.gguf`, generated on first use (about 0.4 MB, well under a second). */
export function tinyModelPath(options: MakeModelOptions = {}): Promise<string> {
  const family = options.family ?? "qwen";
  const seed = options.seed ?? 1;
  return ensure(`tiny-${family}-${seed}.gguf`, "tiny", { family, seed });
}

/** `.freehold-test/models/<shape>-q8_0.gguf` (seed 1, the file `freehold bench` uses too), generated on first use. */
export function realisticModelPath(shape: Exclude<ModelShape, "tiny">): Promise<string> {
  return ensure(`${shape}-q8_0.gguf`, shape, { seed: 1 });
}

/**
 * `.freehold-test/models/scripted-<name>.gguf`: a scripted model (src/gguf/scripted.ts) whose output after any
 * prompt is exactly `script`; remade whenever the script (which is in its header) changes.
 */
export function scriptedModelPath(name: string, script: string, options: ScriptedModelOptions = {}): Promise<string> {
  const path = join(MODEL_DIR, `scripted-${name}.gguf`);
  let made = pending.get(path);
  if (!made) {
    made = (async () => {
      await mkdir(MODEL_DIR, { recursive: true });
      if (!(await matches(path, scriptedModelFileLayout(script, options)))) await writeScriptedModelFile(path, script, options);
      return path;
    })();
    made.catch(() => pending.delete(path));
    pending.set(path, made);
  }
  return made;
}
