import { availableParallelism } from "node:os";

/**
 * CPU threads for a model that runs beside the editor when `freehold.model.threads` is 0: one per core but one,
 * which is left to VS Code. Its renderer, its extension host and the TypeScript server work on every keystroke
 * too, and llama.cpp's threads wait for each other at every step of a decode: when one of them loses its core,
 * the others wait until it has it back. In the real editor on 2 cores (`scripts/bench-editor.ts`, 0.5B shape,
 * two runs each way), the first token of a keystroke took 443–611 ms p50 at 2 threads and 125–136 ms at 1.
 */
export function editorThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}
