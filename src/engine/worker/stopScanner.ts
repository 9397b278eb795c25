import type { LineStops } from "../protocol";

/**
 * Turns the growing decoded text of a generation into safe-to-show deltas:
 * cuts at the first stop string or at the first line a line rule ends on, and holds back a tail that may still
 * become a stop string, an incomplete line a rule may still cut, or an incomplete multi-byte character.
 */
export class StopScanner {
  private emitted = 0;
  private finalText = "";

  constructor(
    private readonly stops: readonly string[],
    private readonly lines: LineStops = {},
  ) {}

  get text(): string {
    return this.finalText;
  }

  /** `decoded` is the whole text generated so far. */
  update(decoded: string): { delta: string; stopped: boolean } {
    let cut = this.lineCut(decoded);
    for (const stop of this.stops) {
      if (!stop) continue;
      const at = decoded.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.finalText = decoded.slice(0, cut);
      return { delta: this.take(this.finalText, this.finalText.length), stopped: true };
    }
    this.finalText = decoded;
    let safe = decoded.length - this.pendingStopPrefix(decoded);
    if (this.hasLineRules()) {
      // A line after the first may still turn out to be the one cut off (with the newline before it).
      const lastBreak = decoded.lastIndexOf("\n");
      if (lastBreak >= 0) safe = Math.min(safe, lastBreak);
    }
    while (safe > this.emitted && decoded.charCodeAt(safe - 1) === 0xfffd) safe--;
    return { delta: this.take(decoded, safe), stopped: false };
  }

  /** Whatever is still held back, once generation has ended without a stop string (the last line is complete now). */
  flush(): string {
    const cut = this.lineCut(`${this.finalText}\n`);
    if (cut >= 0 && cut < this.finalText.length) this.finalText = this.finalText.slice(0, cut);
    return this.take(this.finalText, this.finalText.length);
  }

  private hasLineRules(): boolean {
    return this.lines.equal !== undefined || (this.lines.indentBelow ?? 0) > 0;
  }

  /** Where a line rule ends the text (complete lines after the first only), or -1. */
  private lineCut(decoded: string): number {
    if (!this.hasLineRules()) return -1;
    const equal = this.lines.equal?.trimEnd();
    const indentBelow = this.lines.indentBelow ?? 0;
    for (let start = decoded.indexOf("\n"); start >= 0; ) {
      const end = decoded.indexOf("\n", start + 1);
      if (end < 0) break;
      const line = decoded.slice(start + 1, end);
      if (equal !== undefined && line.trimEnd() === equal) return start;
      if (indentBelow > 0 && line.trim() && /^[ \t]*/.exec(line)![0].length < indentBelow) return end;
      start = end;
    }
    return -1;
  }

  private take(text: string, upTo: number): string {
    if (upTo <= this.emitted) return "";
    const delta = text.slice(this.emitted, upTo);
    this.emitted = upTo;
    return delta;
  }

  /** Length of the longest tail of `text` that is a proper prefix of some stop string. */
  private pendingStopPrefix(text: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let len = Math.min(stop.length - 1, text.length); len > longest; len--) {
        if (text.endsWith(stop.slice(0, len))) {
          longest = len;
          break;
        }
      }
    }
    return longest;
  }
}
