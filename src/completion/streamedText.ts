// What of a completion still streaming can be shown already (ghost text before generation ends). The worker
// streams raw text: it may run past a stop string it has not yet recognised, or end inside one, so the shown
// part stops before any stop string and before a tail that could be the start of one. A multi-line completion
// shows its first line while that line streams, then whole lines only, cut by the same line rules the worker
// applies (streamStops.ts), so a line the final text will not have is not shown on the way.
import type { LineStops } from "../engine/protocol";

export function showablePart(streamed: string, stops: readonly string[], multiline: boolean, lineStops?: LineStops): string {
  let end = streamed.length;
  for (const stop of stops) {
    if (!stop) continue;
    const at = streamed.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  let text = streamed.slice(0, end);
  if (end === streamed.length) text = text.slice(0, text.length - heldBack(text, stops));
  if (!multiline) return text;
  const lines = text.split("\n");
  if (lines.length === 1) return text;
  const whole = lines.slice(0, -1);
  for (let i = 1; i < whole.length; i++) {
    const line = whole[i];
    if (lineStops?.equal !== undefined && line.trimEnd() === lineStops.equal) return whole.slice(0, i).join("\n");
    if (lineStops?.indentBelow !== undefined && line.trim() && /^[ \t]*/.exec(line)![0].length < lineStops.indentBelow) return whole.slice(0, i + 1).join("\n");
  }
  return whole.join("\n");
}

/** The length of the longest tail of `text` that is a proper start of a stop string (it may yet become one). */
function heldBack(text: string, stops: readonly string[]): number {
  let longest = 0;
  for (const stop of stops) {
    for (let n = Math.min(stop.length - 1, text.length); n > longest; n--) {
      if (text.endsWith(stop.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}
