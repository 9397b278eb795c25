// The file and the scripted completion the llama-server tests type into: a function whose body is `  return `,
// and the FIM model's whole answer.
import type { DocumentPosition } from "../../src/completion/pipeline";

export const FIM_SCRIPT = "a + b;";

export const SOURCE = `import { formatPrice } from "./format";

export function add(a: number, b: number): number {
  return 
}
`;

/** The cursor right after `marker` in `text` (src/add.ts of the sample workspace). */
export function at(text: string, marker: string): DocumentPosition {
  return { key: "src/add.ts", relativePath: "src/add.ts", languageId: "typescript", text, offset: text.indexOf(marker) + marker.length, repoName: "sample-workspace" };
}
