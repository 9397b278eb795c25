import { availableParallelism } from "node:os";

/**
 * CPU threads for a model that runs beside the editor when `freehold.model.threads` is 0: one per core but one,
 * which is left to VS Code. Its renderer, its extension host and the TypeScript server work on every keystroke
 * too, and llama.cpp's threads wait for each other at every step of a decode: when one of them loses its core,
 * the others wait until it has it back. In the real editor on 2 cores (`scripts/bench-editor.ts`, 0.5B shape, back
 * to back), 1 thread against 2: key to ghost text p50 282–291 ms against 325, p95 374–434 against 951, with the
 * suggest widget open p50 586–650 against 745, the first ghost text in a fresh file 420–455 against 1,364. The
 * price is chat speed on 2 cores: 24 tokens/s against 42 on the 0.5B shape (`freehold.model.threads: 2` chooses
 * that instead).
 */
export function editorThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}
