// Ollama: Freehold's FIM prompt as a raw prompt to `/api/generate` (`raw: true`: no template, Ollama parses the
// special-token texts), `/api/chat` for chat, both streamed as NDJSON. `/api/show` (verbose) names the model's
// architecture, context length and vocabulary, from which the FIM family is read. Ollama reloads a model when
// `num_ctx` changes, so every request sends the same one. Ollama has no tokenize endpoint: budgets estimate.
import { FAMILY_PROBE_TOKENS } from "../../models/fimFamilies";
import { EngineError } from "../protocol";
import { rawPrompt, streamError, type ChatCall, type CompletionCall, type Send, type ServerFacts, type ServerOutcome, type ServerProtocol } from "./serverProtocol";

/** The context Freehold asks Ollama for (its own default is smaller than a completion prompt needs). */
export const OLLAMA_CONTEXT = 4096;

interface ShowAnswer {
  template?: string;
  capabilities?: string[];
  model_info?: Record<string, unknown>;
  details?: { family?: string; parameter_size?: string };
}

interface GenerateLine {
  response?: string;
  message?: { content?: string };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

export class OllamaProtocol implements ServerProtocol {
  constructor(
    private readonly send: Send,
    private readonly model: string,
  ) {}

  async probe(signal?: AbortSignal): Promise<ServerFacts> {
    let show: ShowAnswer;
    try {
      show = (await this.send({ method: "POST", path: "/api/show", body: { model: this.model, verbose: true }, signal })) as ShowAnswer;
    } catch (error) {
      if (error instanceof EngineError && /HTTP 404/.test(error.message)) throw new EngineError("server-error", `Ollama has no model ${JSON.stringify(this.model)} (run \`ollama pull ${this.model}\` on the server).`);
      throw error;
    }
    const info = show.model_info ?? {};
    const architecture = typeof info["general.architecture"] === "string" ? (info["general.architecture"] as string) : (show.details?.family ?? "unknown");
    const trained = Number(info[`${architecture}.context_length`]) || OLLAMA_CONTEXT;
    const vocabulary = Array.isArray(info["tokenizer.ggml.tokens"]) ? (info["tokenizer.ggml.tokens"] as string[]) : undefined;
    const types = Array.isArray(info["tokenizer.ggml.token_type"]) ? (info["tokenizer.ggml.token_type"] as number[]) : undefined;
    const specialTokens: string[] = [];
    if (vocabulary) {
      const index = new Map(vocabulary.map((text, i) => [text, i]));
      for (const text of FAMILY_PROBE_TOKENS) {
        const at = index.get(text);
        // Token type 1 is an ordinary word; control (3) and user-defined (4) tokens are the special ones.
        if (at !== undefined && (!types || types[at] !== 1)) specialTokens.push(text);
      }
    }
    const noFim = !vocabulary
      ? "Ollama did not list the model's vocabulary (/api/show), so its FIM tokens are unknown"
      : show.capabilities && !show.capabilities.includes("insert") && specialTokens.length === 0
        ? `Ollama says ${this.model} cannot insert (no FIM)`
        : undefined;
    return {
      modelName: this.model,
      architecture,
      contextSize: Math.min(trained, OLLAMA_CONTEXT),
      trainContextSize: trained,
      sizeBytes: 0,
      specialTokens,
      specialIds: {},
      chatTemplate: typeof show.template === "string" && show.template.length > 0,
      slots: 1,
      ...(noFim ? { noFim } : {}),
    };
  }

  async complete(call: CompletionCall): Promise<ServerOutcome> {
    const outcome: ServerOutcome = {};
    await this.send({
      method: "POST",
      path: "/api/generate",
      body: {
        model: this.model,
        prompt: rawPrompt(call.pieces),
        raw: true,
        stream: true,
        options: { temperature: call.temperature, num_predict: call.evaluateOnly ? 1 : call.maxTokens, num_ctx: OLLAMA_CONTEXT, ...(call.stop.length ? { stop: call.stop } : {}) },
      },
      signal: call.signal,
      onLine: (line) => this.line(line, outcome, (value) => value.response, call.evaluateOnly ? () => undefined : call.onText),
    });
    return outcome;
  }

  async chat(call: ChatCall): Promise<ServerOutcome> {
    const outcome: ServerOutcome = {};
    await this.send({
      method: "POST",
      path: "/api/chat",
      body: {
        model: this.model,
        messages: call.messages,
        stream: true,
        options: { temperature: call.temperature, num_predict: call.maxTokens, num_ctx: OLLAMA_CONTEXT, ...(call.stop.length ? { stop: call.stop } : {}) },
      },
      signal: call.signal,
      onLine: (line) => this.line(line, outcome, (value) => value.message?.content, call.onText),
    });
    return outcome;
  }

  async tokenize(): Promise<undefined> {
    return undefined;
  }

  private line(line: string, outcome: ServerOutcome, text: (value: GenerateLine) => string | undefined, onText: (text: string) => "stop" | void): "stop" | void {
    if (!line.trim()) return;
    const value = JSON.parse(line) as GenerateLine;
    const problem = streamError(value);
    if (problem) throw new EngineError("server-error", `Ollama: ${problem}`);
    const piece = text(value);
    if (piece && onText(piece) === "stop") return "stop";
    if (value.done) {
      outcome.stop = value.done_reason === "length" ? "max-tokens" : "eog";
      // Ollama counts the prompt tokens it evaluated (a cached prefix is not counted); the whole prompt is unknown.
      outcome.evaluatedTokens = value.prompt_eval_count;
      outcome.generatedTokens = value.eval_count;
    }
  }
}
