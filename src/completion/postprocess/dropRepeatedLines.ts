import type { Filter } from "./types";

/** Drops output that repeats the lines already below the cursor. */
export const dropRepeatedLines: Filter = (candidate, context) => {
  const lines = candidate.text.split("\n");
  const below = context.nextLines;
  // A result that is exactly the next line (cursor at the start of a blank line).
  if (lines.length === 1 && context.linePrefix.trim() === "" && context.lineSuffix.trim() === "") {
    const next = below.find((line) => line.trim() !== "");
    if (next !== undefined && next.trim() === lines[0].trim()) return undefined;
  }
  // Lines after the first that copy the next document lines in order: keep what comes before them.
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === "" || below.length === 0) continue;
    const firstBelow = below.findIndex((line) => line.trim() !== "");
    if (firstBelow < 0) break;
    let run = 0;
    while (i + run < lines.length && firstBelow + run < below.length && lines[i + run].trim() === below[firstBelow + run].trim() && lines[i + run].trim() !== "") run++;
    if (run >= 2 || (run === 1 && i + run === lines.length && lines[i].trim().length >= 8)) {
      const kept = lines.slice(0, i).join("\n");
      return kept.trim() === "" ? undefined : { ...candidate, text: kept };
    }
  }
  return candidate;
};
