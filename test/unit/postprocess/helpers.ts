import type { FilterContext } from "../../../src/completion/postprocess/types";

export function context(overrides: Partial<FilterContext> = {}): FilterContext {
  return { linePrefix: "", lineSuffix: "", nextLines: [], indentUnit: "  ", multiline: false, ...overrides };
}

export const candidate = (text: string) => ({ text, replaceChars: 0 });
