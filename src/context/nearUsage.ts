// Which names are used near the cursor, and how close: the imported definitions worth a snippet are those
// of names used there, closest first, and first of all the name being called or typed at the cursor.
import { DEFAULTS } from "../config/defaults";
import type { ImportRef } from "./imports";
import { lineStartBefore } from "./windows";

export interface NearUsage {
  /** Identifiers on the lines around the cursor, with their distance in lines (negative: at the cursor). */
  identifiers: Map<string, number>;
  /** `qualifier.member` / `qualifier::member` uses: qualifier → member → distance. */
  members: Map<string, Map<string, number>>;
}

/** The distance given to the name called or typed at the cursor: before every name merely used nearby. */
export const AT_CURSOR = -1000;

const CHAIN = /[A-Za-z_$][\w$]*(?:\s*(?:\.|::|->)\s*[A-Za-z_$][\w$]*)*/g;
const SEPARATOR = /\s*(?:\.|::|->)\s*/;

/**
 * Identifiers used within the near lines before and after the cursor (whole lines: the column does not
 * matter), a name seen only on an import line ranked after every name really used, and the name at the cursor
 * (see `atCursor`) before all.
 */
export function nearbyUsage(text: string, cursorLineStart: number, cursorLine: number, offset: number, importLines: ReadonlySet<number>): NearUsage {
  const { nearLinesBefore, nearLinesAfter } = DEFAULTS.context;
  const importPenalty = nearLinesBefore + nearLinesAfter;
  const identifiers = new Map<string, number>();
  const members = new Map<string, Map<string, number>>();
  const note = (chain: string, distance: number) => {
    const parts = chain.split(SEPARATOR);
    for (let i = 0; i < parts.length; i++) {
      if ((identifiers.get(parts[i]) ?? Infinity) > distance) identifiers.set(parts[i], distance);
      if (i === 0) continue;
      const qualifier = parts.slice(0, i).join(".");
      let map = members.get(qualifier);
      if (!map) members.set(qualifier, (map = new Map()));
      if ((map.get(parts[i]) ?? Infinity) > distance) map.set(parts[i], distance);
    }
  };
  let at = lineStartBefore(text, cursorLineStart, nearLinesBefore);
  let line = cursorLine - countLines(text, at, cursorLineStart);
  for (; line <= cursorLine + nearLinesAfter && at <= text.length; line++) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const distance = Math.abs(line - cursorLine) + (importLines.has(line) ? importPenalty : 0);
    for (const match of text.slice(at, end).matchAll(CHAIN)) note(match[0], distance);
    if (end >= text.length) break;
    at = end + 1;
  }
  for (const chain of atCursor(text.slice(cursorLineStart, offset))) note(chain, AT_CURSOR);
  return { identifiers, members };
}

/**
 * The names the cursor is at, from the line before it: the name being typed (`formatPr|`, `utils.for|`), the
 * function whose arguments are being written (`total(items, |`) and the type being written (`x: Pri|`,
 * `new Cart|`). Each as its qualified chain.
 */
export function atCursor(linePrefix: string): string[] {
  const found: string[] = [];
  const typed = /([A-Za-z_$][\w$]*(?:\s*(?:\.|::|->)\s*[A-Za-z_$][\w$]*)*)\s*$/.exec(linePrefix);
  if (typed && /[\w$]$/.test(linePrefix)) found.push(typed[1]);
  // The callee of the innermost call still open on the line.
  let depth = 0;
  for (let i = linePrefix.length - 1; i >= 0; i--) {
    const c = linePrefix[i];
    if (c === ")") depth++;
    else if (c === "(") {
      if (depth > 0) depth--;
      else {
        const callee = /([A-Za-z_$][\w$]*(?:\s*(?:\.|::|->)\s*[A-Za-z_$][\w$]*)*)\s*(?:<[^<>()]*>)?\s*$/.exec(linePrefix.slice(0, i));
        if (callee) found.push(callee[1]);
        break;
      }
    }
  }
  return found;
}

/** The names an import contributes near the cursor, with the distance of their closest use. */
export function wantedNames(ref: ImportRef, near: NearUsage): Map<string, number> {
  const wanted = new Map<string, number>();
  switch (ref.kind) {
    case "named":
    case "default": {
      const distance = near.identifiers.get(ref.local);
      if (distance !== undefined) wanted.set(ref.kind === "default" ? "default" : ref.imported, distance);
      if (distance !== undefined && ref.kind === "default") wanted.set(ref.local, distance);
      break;
    }
    case "namespace":
      for (const [member, distance] of near.members.get(ref.local) ?? []) wanted.set(member, distance);
      break;
    case "global":
    case "package":
      for (const [name, distance] of near.identifiers) if (name.length > 1) wanted.set(name, distance);
      break;
  }
  return wanted;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
