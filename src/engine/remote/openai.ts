// OpenAI-compatible servers (vLLM, SGLang, LM Studio, llama-server's /v1): Freehold's FIM prompt as a raw prompt to
// `/v1/completions` (no chat template is applied to it; the server's tokenizer reads the special-token texts) and
// `/v1/chat/completions`, both streamed as SSE. `/v1/models` names the model and (vLLM) its context length; the
// FIM family is read by tokenizing the known FIM token texts with the server's `/tokenize` (vLLM has it). A server
// without `/tokenize` cannot be checked for FIM tokens: it serves chat only, and says so.
import { FAMILY_PROBE_TOKENS } from "../../models/fimFamilies";
import { EngineError } from "../protocol";
import { openAiChat } from "./llamaServer";
import { openAiStreamReader, rawPrompt, type ChatCall, type CompletionCall, type Send, type ServerFacts, type ServerOutcome, type ServerProtocol } from "./serverProtocol";

const DEFAULT_CONTEXT = 4096;

interface ModelsAnswer {
  data?: Array<{ id?: string; max_model_len?: number; context_length?: number }>;
}

export class OpenAiProtocol implements ServerProtocol {
  private canTokenize = true;

  constructor(
    private readonly send: Send,
    private readonly model: string,
  ) {}

  async probe(signal?: AbortSignal): Promise<ServerFacts> {
    const models = (await this.send({ method: "GET", path: "/v1/models", signal })) as ModelsAnswer;
    const entry = models.data?.find((m) => m.id === this.model);
    if (!entry) {
      const names = (models.data ?? []).map((m) => m.id).filter(Boolean);
      throw new EngineError("server-error", `The server does not serve ${JSON.stringify(this.model)}${names.length ? `; it serves ${names.join(", ")}` : ""}.`);
    }
    const contextSize = entry.max_model_len ?? entry.context_length ?? DEFAULT_CONTEXT;
    const specialTokens: string[] = [];
    let noFim: string | undefined;
    for (const text of FAMILY_PROBE_TOKENS) {
      const tokens = await this.tokens(text, signal);
      if (!tokens) {
        noFim = "the server has no /tokenize endpoint, so the model's FIM tokens cannot be checked";
        break;
      }
      if (tokens.length === 1) specialTokens.push(text);
    }
    return {
      modelName: this.model,
      architecture: "openai-compatible",
      contextSize,
      trainContextSize: contextSize,
      sizeBytes: 0,
      specialTokens,
      specialIds: {},
      chatTemplate: true,
      slots: 1,
      ...(noFim ? { noFim } : {}),
    };
  }

  async complete(call: CompletionCall): Promise<ServerOutcome> {
    const outcome: ServerOutcome = {};
    await this.send({
      method: "POST",
      path: "/v1/completions",
      body: {
        model: this.model,
        prompt: rawPrompt(call.pieces),
        max_tokens: call.evaluateOnly ? 1 : call.maxTokens,
        temperature: call.temperature,
        ...(call.stop.length ? { stop: call.stop } : {}),
        stream: true,
        stream_options: { include_usage: true },
      },
      signal: call.signal,
      onLine: openAiStreamReader(outcome, call.evaluateOnly ? () => undefined : call.onText),
    });
    return outcome;
  }

  chat(call: ChatCall): Promise<ServerOutcome> {
    return openAiChat(this.send, call, this.model);
  }

  tokenize(text: string): Promise<number[] | undefined> {
    return this.tokens(text);
  }

  /** vLLM's `/tokenize`; undefined (and not asked again) when the server has none. */
  private async tokens(text: string, signal?: AbortSignal): Promise<number[] | undefined> {
    if (!this.canTokenize) return undefined;
    try {
      const answer = (await this.send({ method: "POST", path: "/tokenize", body: { model: this.model, prompt: text, add_special_tokens: false }, signal })) as { tokens?: number[] };
      return Array.isArray(answer?.tokens) ? answer.tokens : undefined;
    } catch (error) {
      if (error instanceof EngineError && /HTTP 404|HTTP 405/.test(error.message)) {
        this.canTokenize = false;
        return undefined;
      }
      throw error;
    }
  }
}
