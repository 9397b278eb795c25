import type { Filter } from "./types";

/** Makes the indentation of continuation lines use the document's unit (tabs or its number of spaces). */
export const fixIndentation: Filter = (candidate, context) => {
  if (!candidate.text.includes("\n")) return candidate;
  const unit = context.indentUnit;
  const lines = candidate.text.split("\n");
  const continuation = lines.slice(1).filter((line) => line.trim() !== "");
  if (continuation.length === 0) return candidate;

  const usesTabs = continuation.some((line) => line.startsWith("\t"));
  const spaceWidths = continuation.map((line) => /^ */.exec(line)![0].length).filter((w) => w > 0);
  const modelUnit = usesTabs ? "\t" : spaceWidths.length ? " ".repeat(Math.min(...spaceWidths.map((w) => smallestStep(spaceWidths, w)))) : unit;
  if (modelUnit === unit) return candidate;

  const fixed = lines.map((line, index) => {
    if (index === 0) return line;
    const match = /^[ \t]*/.exec(line)![0];
    const levels = modelUnit === "\t" ? (match.match(/\t/g)?.length ?? 0) : Math.round(match.replace(/\t/g, modelUnit).length / modelUnit.length);
    return unit.repeat(levels) + line.slice(match.length);
  });
  return { ...candidate, text: fixed.join("\n") };
};

function smallestStep(widths: number[], fallback: number): number {
  const sorted = [...new Set(widths)].sort((a, b) => a - b);
  let step = sorted[0] ?? fallback;
  for (let i = 1; i < sorted.length; i++) step = Math.min(step, sorted[i] - sorted[i - 1]);
  return step > 0 ? step : fallback;
}
