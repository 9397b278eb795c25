import type { Filter } from "./types";

/**
 * "\r\n" and lone "\r" become "\n": a CRLF document's prompt makes the model answer with CRLF, the other
 * filters work on "\n" lines, and VS Code gives inserted "\n" the document's own line ending.
 */
export const normalizeLineEndings: Filter = (candidate) => (candidate.text.includes("\r") ? { ...candidate, text: candidate.text.replace(/\r\n?/g, "\n") } : candidate);
