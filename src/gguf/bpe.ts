// Byte-pair-encoding pieces: GPT-2's byte ↔ character table, Qwen2's pre-tokenizer, and a small BPE trainer
// (deterministic: ties break by the pair's text) that learns merges from a weighted word list.

/** GPT-2's table: each byte as one printable character, in the order byte-level vocabularies list them. */
export function byteLevelTable(): { byteToChar: string[]; order: number[] } {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const byteToChar: string[] = new Array(256);
  for (const b of printable) byteToChar[b] = String.fromCharCode(b);
  const order = [...printable];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (byteToChar[b] !== undefined) continue;
    byteToChar[b] = String.fromCharCode(256 + extra++);
    order.push(b);
  }
  return { byteToChar, order };
}

const { byteToChar } = byteLevelTable();
const encoder = new TextEncoder();

/** Text in byte-level form: every UTF-8 byte replaced by its table character (" " → "Ġ", "\n" → "Ċ"). */
export function toByteLevel(text: string): string {
  let out = "";
  for (const byte of encoder.encode(text)) out += byteToChar[byte];
  return out;
}

/** llama.cpp's LLAMA_VOCAB_PRE_TYPE_QWEN2 split (the one `tokenizer.ggml.pre = "qwen2"` selects). */
export const QWEN2_PRETOKENIZER =
  /(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

export function pretokenize(text: string): string[] {
  return text.match(QWEN2_PRETOKENIZER) ?? [];
}

/** A max-heap of (count, pair) with the pair's text as tie-break, so training is deterministic. */
class PairHeap {
  private counts: number[] = [];
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  private above(i: number, j: number): boolean {
    return this.counts[i] > this.counts[j] || (this.counts[i] === this.counts[j] && this.keys[i] < this.keys[j]);
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j], this.counts[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }

  push(count: number, key: string): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [count: number, key: string] | undefined {
    if (!this.keys.length) return undefined;
    const top: [number, string] = [this.counts[0], this.keys[0]];
    const lastCount = this.counts.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.keys.length) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.keys.length && this.above(l, best)) best = l;
        if (r < this.keys.length && this.above(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}

export interface TrainOptions {
  /** Stop after this many merges. */
  maxMerges: number;
  /** Stop when the best pair occurs fewer times (1 learns until every word is one token). */
  minCount?: number;
}

/**
 * Learns BPE merges from words with weights. Symbols are the words' characters (so the words must already be
 * in the vocabulary's alphabet, e.g. byte-level form); no symbol may contain a space (merges are "a b").
 */
export function trainBpe(words: ReadonlyMap<string, number>, options: TrainOptions): Array<[string, string]> {
  const minCount = options.minCount ?? 1;
  const symbols: string[][] = [];
  const weights: number[] = [];
  for (const [word, weight] of words) {
    const chars = Array.from(word);
    if (chars.includes(" ")) throw new Error(`A training word contains a space: ${JSON.stringify(word)}`);
    if (chars.length > 1) {
      symbols.push(chars);
      weights.push(weight);
    }
  }
  const counts = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const heap = new PairHeap();
  const account = (w: number, sign: 1 | -1, touched: Set<string>) => {
    const s = symbols[w];
    for (let i = 0; i + 1 < s.length; i++) {
      const key = `${s[i]} ${s[i + 1]}`;
      counts.set(key, (counts.get(key) ?? 0) + sign * weights[w]);
      if (sign > 0) {
        let set = where.get(key);
        if (!set) where.set(key, (set = new Set()));
        set.add(w);
      }
      touched.add(key);
    }
  };
  const initial = new Set<string>();
  for (let w = 0; w < symbols.length; w++) account(w, 1, initial);
  for (const key of initial) heap.push(counts.get(key)!, key);

  const merges: Array<[string, string]> = [];
  while (merges.length < options.maxMerges && heap.size) {
    const [count, key] = heap.pop()!;
    if (counts.get(key) !== count || count <= 0) continue; // stale entry
    if (count < minCount) break;
    const space = key.indexOf(" ");
    const left = key.slice(0, space);
    const right = key.slice(space + 1);
    const merged = left + right;
    merges.push([left, right]);
    const touched = new Set<string>();
    for (const w of [...(where.get(key) ?? [])]) {
      account(w, -1, touched);
      const s = symbols[w];
      const next: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === left && s[i + 1] === right) {
          next.push(merged);
          i++;
        } else next.push(s[i]);
      }
      symbols[w] = next;
      account(w, 1, touched);
    }
    counts.delete(key);
    where.delete(key);
    for (const t of touched) {
      const c = counts.get(t);
      if (c !== undefined && c > 0) heap.push(c, t);
    }
  }
  return merges;
}
