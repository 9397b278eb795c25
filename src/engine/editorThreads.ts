import { availableParallelism } from "node:os";

/**
 * CPU threads for a model that runs beside the editor when `freehold.model.threads` is 0: one per core but one,
 * which is left to VS Code. Its renderer, its extension host and the TypeScript server work on every keystroke
 * too, and llama.cpp's threads wait for each other at every step of a decode: when one of them loses its core,
 * the others wait until it has it back. In the real editor on 2 cores (`scripts/bench-editor.ts`, 0.5B shape, two
 * runs each way, back to back), 1 thread against 2: key to ghost text p95 270–305 ms against 276–489, with the
 * suggest widget open p50 328–360 against 401–638, the first ghost text in a fresh file 338–358 against 526–769
 * (p50 without the widget 235–245 against 206–229). The price is chat speed on 2 cores: 24 tokens/s against 42
 * on the 0.5B shape (`freehold.model.threads: 2` chooses that instead).
 */
export function editorThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}
