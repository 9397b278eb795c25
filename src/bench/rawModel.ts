// node-llama-cpp used directly, in the benchmark's own process, as the baseline the engine is compared to.
import type { LlamaContextSequence, LlamaModel, Llama, LlamaContext, Token } from "node-llama-cpp";
import type { PromptPiece } from "../engine/protocol";
import { loadLlama } from "../engine/worker/llamaBuild";

export class RawModel {
  private constructor(
    private readonly llama: Llama,
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
  ) {}

  static async load(path: string, contextSize: number, threads: number, build: "native" | "prebuilt"): Promise<RawModel> {
    const lib = await import("node-llama-cpp");
    const { llama } = await loadLlama(lib, build, { gpu: false, maxThreads: threads, logLevel: lib.LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    const context = await model.createContext({ contextSize, sequences: 1, threads, batchSize: Math.min(512, contextSize) });
    return new RawModel(llama, model, context, context.getSequence());
  }

  tokens(pieces: readonly PromptPiece[]): Token[] {
    const out: Token[] = [];
    if (this.model.tokens.shouldPrependBosToken && this.model.tokens.bos != null) out.push(this.model.tokens.bos);
    for (const piece of pieces) out.push(...("text" in piece ? this.model.tokenize(piece.text, false) : this.model.tokenize(piece.special, true)));
    return out;
  }

  /** Time to the first generated token for `tokens`, reusing this sequence's KV cache the plain way. */
  async firstTokenMs(tokens: Token[]): Promise<{ ms: number; evaluated: number }> {
    const started = performance.now();
    await this.sequence.adaptStateToTokens(tokens, false);
    if (this.sequence.nextTokenIndex >= tokens.length) {
      await this.sequence.eraseContextTokenRanges([{ start: tokens.length - 1, end: this.sequence.nextTokenIndex }]);
    }
    const evaluated = tokens.length - this.sequence.nextTokenIndex;
    const iterator = this.sequence.evaluate(tokens.slice(this.sequence.nextTokenIndex), { temperature: 0 });
    await iterator.next();
    const ms = performance.now() - started;
    await iterator.return();
    return { ms, evaluated };
  }

  /** Generation speed: tokens per second over `count` tokens after a short prompt. */
  async generationSpeed(count: number): Promise<number> {
    await this.sequence.clearHistory();
    const prompt = this.model.tokenize("function main() {\n", false);
    const iterator = this.sequence.evaluate(prompt, { temperature: 0 });
    await iterator.next();
    const started = performance.now();
    for (let i = 0; i < count; i++) await iterator.next();
    const seconds = (performance.now() - started) / 1000;
    await iterator.return();
    await this.sequence.clearHistory();
    return count / seconds;
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}
