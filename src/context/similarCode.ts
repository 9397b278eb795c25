// Similar code in other open documents (Jaccard over line windows, as Copilot and Cody do): the best window
// of each document of the same language family, compared with the lines before the cursor's line.
import { DEFAULTS } from "../config/defaults";
import { SimilarityIndex, identifierSet } from "./similarity";
import type { Candidate, OpenDocument } from "./types";
import { lineStartBefore } from "./windows";

export class SimilarCode {
  private readonly index = new SimilarityIndex();

  /** Best first; the lines before the cursor's line are the same while the line is typed, so are the windows. */
  find(path: string, languageId: string, text: string, lineStart: number, documents: readonly OpenDocument[]): Candidate[] {
    const { similarWindowLines, similarMinScore, similarMax, maxOpenDocumentChars } = DEFAULTS.context;
    if (documents.length === 0) return [];
    const targetStart = lineStartBefore(text, lineStart, similarWindowLines);
    const targetText = text.slice(targetStart, lineStart);
    const target = identifierSet(targetText);
    if (target.size < 3) return [];
    const family = languageFamily(languageId);
    const found: Candidate[] = [];
    for (const doc of documents) {
      if (doc.path === path || doc.text.length > maxOpenDocumentChars || languageFamily(doc.languageId) !== family) continue;
      const window = this.index.bestWindow(doc.path, doc.text, target, targetText, similarWindowLines);
      if (window && window.score >= similarMinScore) found.push({ path: doc.path, startLine: window.startLine, endLine: window.endLine, reason: "similar-code", text: window.text, order: 1 - window.score });
    }
    return found.sort((a, b) => a.order - b.order).slice(0, similarMax);
  }
}

function languageFamily(languageId: string): string {
  if (/^(typescript|javascript)(react)?$/.test(languageId)) return "js";
  if (languageId === "c" || languageId === "cpp") return "c";
  return languageId;
}
