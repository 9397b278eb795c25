// llama.cpp's llama-server: Freehold's own FIM prompt as a raw prompt to `/completion` (special tokens sent as
// their ids, text as strings, `cache_prompt` and a stable `id_slot` so the server's KV cache keeps the prompt
// between keystrokes), `/v1/chat/completions` for chat, `/tokenize` for budgets and for probing which FIM
// tokens the model's vocabulary has, `/props` and `/v1/models` for the model and its context.
import { FAMILY_PROBE_TOKENS } from "../../models/fimFamilies";
import { EngineError } from "../protocol";
import { openAiStreamReader, sseData, streamError, type ChatCall, type CompletionCall, type Send, type ServerFacts, type ServerOutcome, type ServerProtocol } from "./serverProtocol";

interface Props {
  total_slots?: number;
  model_path?: string;
  model_alias?: string;
  chat_template?: string;
  default_generation_settings?: { n_ctx?: number };
}

interface ModelsList {
  data?: Array<{ id?: string; meta?: { n_ctx_train?: number; size?: number; n_params?: number } }>;
}

interface CompletionChunk {
  content?: string;
  stop?: boolean;
  stop_type?: string;
  tokens_evaluated?: number;
  tokens_predicted?: number;
  tokens_cached?: number;
  timings?: { prompt_n?: number; cache_n?: number; predicted_n?: number };
}

export class LlamaServerProtocol implements ServerProtocol {
  constructor(private readonly send: Send) {}

  async probe(signal?: AbortSignal): Promise<ServerFacts> {
    const props = (await this.send({ method: "GET", path: "/props", signal })) as Props;
    const models = (await this.send({ method: "GET", path: "/v1/models", signal }).catch(() => undefined)) as ModelsList | undefined;
    const model = models?.data?.[0];
    const specialIds: Record<string, number> = {};
    await Promise.all(
      FAMILY_PROBE_TOKENS.map(async (text) => {
        const asSpecial = await this.tokens(text, true, signal);
        if (asSpecial?.length !== 1) return;
        const asText = await this.tokens(text, false, signal);
        if (asText && asText.length === 1 && asText[0] === asSpecial[0]) return; // an ordinary word of the vocabulary
        specialIds[text] = asSpecial[0];
      }),
    );
    const specialTokens = FAMILY_PROBE_TOKENS.filter((text) => text in specialIds);
    const name = props.model_alias || model?.id || baseName(props.model_path) || "llama-server model";
    const contextSize = props.default_generation_settings?.n_ctx ?? 0;
    return {
      modelName: name,
      architecture: "llama-server",
      contextSize,
      trainContextSize: model?.meta?.n_ctx_train ?? contextSize,
      sizeBytes: model?.meta?.size ?? 0,
      specialTokens,
      specialIds,
      chatTemplate: typeof props.chat_template === "string" && props.chat_template.length > 0,
      slots: Math.max(1, props.total_slots ?? 1),
    };
  }

  async complete(call: CompletionCall, facts: ServerFacts): Promise<ServerOutcome> {
    const prompt = call.pieces.map((piece) => {
      if ("text" in piece) return piece.text;
      const id = facts.specialIds[piece.special];
      if (id === undefined) throw new EngineError("no-infill", `The server's model has no ${piece.special} token.`);
      return id;
    });
    const body = {
      prompt,
      // llama-server generates at least one token; a warm-up asks for one and ignores it.
      n_predict: call.evaluateOnly ? 1 : call.maxTokens,
      temperature: call.temperature,
      stop: call.stop,
      stream: true,
      cache_prompt: true,
      id_slot: call.slot ?? -1,
      ...(call.timeLimitMs ? { t_max_predict_ms: call.timeLimitMs } : {}),
    };
    const outcome: ServerOutcome = {};
    await this.send({
      method: "POST",
      path: "/completion",
      body,
      signal: call.signal,
      onLine: (line) => {
        const data = sseData(line);
        if (data === undefined || data === "done") return;
        const problem = streamError(data);
        if (problem) throw new EngineError(/context|too long|exceeds/i.test(problem) ? "bad-request" : "server-error", `llama-server: ${problem}`);
        const chunk = data as CompletionChunk;
        if (chunk.content && !call.evaluateOnly && call.onText(chunk.content) === "stop") return "stop";
        if (chunk.stop) readFinal(chunk, outcome);
      },
    });
    return outcome;
  }

  async chat(call: ChatCall, facts: ServerFacts): Promise<ServerOutcome> {
    return openAiChat(this.send, call, facts.modelName, { cache_prompt: true, id_slot: call.slot ?? -1 });
  }

  async tokenize(text: string, special: boolean): Promise<number[] | undefined> {
    return this.tokens(text, special);
  }

  private async tokens(text: string, special: boolean, signal?: AbortSignal): Promise<number[] | undefined> {
    const answer = (await this.send({ method: "POST", path: "/tokenize", body: { content: text, add_special: false, parse_special: special }, signal })) as { tokens?: unknown };
    return Array.isArray(answer?.tokens) ? (answer.tokens as number[]) : undefined;
  }
}

function readFinal(chunk: CompletionChunk, outcome: ServerOutcome): void {
  outcome.stop = chunk.stop_type === "eos" ? "eog" : chunk.stop_type === "word" ? "stop-string" : chunk.stop_type === "limit" ? "max-tokens" : undefined;
  outcome.promptTokens = chunk.tokens_evaluated;
  outcome.evaluatedTokens = chunk.timings?.prompt_n;
  outcome.cachedTokens = chunk.timings?.cache_n ?? chunk.tokens_cached;
  outcome.generatedTokens = chunk.timings?.predicted_n ?? chunk.tokens_predicted;
}

/** `/v1/chat/completions`, streamed (llama-server and OpenAI-compatible servers such as vLLM). */
export async function openAiChat(send: Send, call: ChatCall, model: string | undefined, extra: Record<string, unknown> = {}): Promise<ServerOutcome> {
  const outcome: ServerOutcome = {};
  await send({
    method: "POST",
    path: "/v1/chat/completions",
    body: {
      ...(model ? { model } : {}),
      messages: call.messages,
      max_tokens: call.maxTokens,
      temperature: call.temperature,
      ...(call.stop.length ? { stop: call.stop } : {}),
      stream: true,
      stream_options: { include_usage: true },
      ...extra,
    },
    signal: call.signal,
    onLine: openAiStreamReader(outcome, call.onText),
  });
  return outcome;
}

function baseName(path: string | undefined): string | undefined {
  if (!path) return undefined;
  return path.split(/[\\/]/).pop() || undefined;
}
