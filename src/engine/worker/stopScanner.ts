/**
 * Turns the growing decoded text of a generation into safe-to-show deltas:
 * cuts at the first stop string, and holds back a tail that may still become a stop string
 * or is an incomplete multi-byte character.
 */
export class StopScanner {
  private emitted = 0;
  private finalText = "";

  constructor(private readonly stops: readonly string[]) {}

  get text(): string {
    return this.finalText;
  }

  /** `decoded` is the whole text generated so far. */
  update(decoded: string): { delta: string; stopped: boolean } {
    let cut = -1;
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
    while (safe > this.emitted && decoded.charCodeAt(safe - 1) === 0xfffd) safe--;
    return { delta: this.take(decoded, safe), stopped: false };
  }

  /** Whatever is still held back, once generation has ended without a stop string. */
  flush(): string {
    return this.take(this.finalText, this.finalText.length);
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
