// Fits one chat turn into the model's context: the answer's reserve first, then the typed message, then the
// attached context (cut line by line from the end when it does not fit), then as much of the history as fits,
// newest turns first. Counts in the model's own tokens (the engine's tokenizer). Everything that is cut is said in
// a note the view shows.
import type { ChatMessage } from "../engine/protocol";
import { attachmentLabel, type Attachment } from "./types";

export type TokenCounter = (text: string) => Promise<number>;

export interface BudgetInput {
  /** The turns before this one, oldest first (model-facing text). */
  history: ChatMessage[];
  message: string;
  attachments: Attachment[];
  contextSize: number;
  /** Requested answer length; at most a quarter of the context is reserved for it. */
  maxTokens: number;
  systemPrompt?: string;
  count: TokenCounter;
}

export interface AssembledTurn {
  /** History sent to the worker: a suffix of the input history (whole turns). */
  history: ChatMessage[];
  /** The model-facing user message: attached context, then what was typed. */
  message: string;
  /** Attachments that made it in (some possibly cut). */
  included: Attachment[];
  /** Messages of the history left out (oldest first). */
  droppedMessages: number;
  notes: string[];
  /** Tokens of the prompt as counted (without the chat template's own tokens). */
  promptTokens: number;
  /** Tokens kept free for the answer. */
  reserve: number;
}

/** Chat-template tokens around each message (role markers, separators); generous for ChatML and Llama 3. */
export const TOKENS_PER_MESSAGE = 8;
const FIXED_OVERHEAD = 16;

export async function assembleTurn(input: BudgetInput): Promise<AssembledTurn> {
  const notes: string[] = [];
  const reserve = Math.max(16, Math.min(input.maxTokens, Math.floor(input.contextSize / 4)));
  let available = input.contextSize - reserve - FIXED_OVERHEAD - TOKENS_PER_MESSAGE;
  if (input.systemPrompt) available -= (await input.count(input.systemPrompt)) + TOKENS_PER_MESSAGE;

  let typed = input.message;
  let typedTokens = await input.count(typed);
  if (typedTokens > available) {
    typed = await cutToFit(typed, Math.max(0, available), input.count, "chars");
    typedTokens = await input.count(typed);
    notes.push(`Your message was cut to its first ${typedTokens} tokens to fit the model's ${input.contextSize}-token context.`);
  }
  available -= typedTokens;

  const included: Attachment[] = [];
  const blocks: string[] = [];
  for (const attachment of input.attachments) {
    const block = formatAttachment(attachment);
    const tokens = await input.count(block);
    if (tokens <= available) {
      blocks.push(block);
      included.push(attachment);
      available -= tokens;
      continue;
    }
    const lines = attachment.text.split("\n");
    const wrapper = await input.count(formatAttachment({ ...attachment, text: "" }));
    const keptText = await cutToFit(attachment.text, available - wrapper, input.count, "lines");
    const keptLines = keptText ? keptText.split("\n").length : 0;
    if (keptLines === 0) {
      notes.push(`${attachmentLabel(attachment)} was left out: it does not fit the model's ${input.contextSize}-token context.`);
      continue;
    }
    const startLine = attachment.startLine ?? 1;
    const cut: Attachment = { ...attachment, text: keptText, startLine, endLine: startLine + keptLines - 1 };
    const cutBlock = formatAttachment(cut);
    blocks.push(cutBlock);
    included.push(cut);
    available -= await input.count(cutBlock);
    notes.push(`${attachmentLabel(attachment)} was cut to ${keptLines} of ${lines.length} lines (${attachmentLabel(cut)}) to fit the model's ${input.contextSize}-token context.`);
  }
  const message = blocks.length ? `${blocks.join("\n")}\n${typed}` : typed;

  // Whole turns from the newest back; a partial turn would confuse the model more than a missing one.
  const history = input.history;
  let keptFrom = history.length;
  let historyTokens = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const tokens = (await input.count(history[i].text)) + TOKENS_PER_MESSAGE;
    if (tokens > available) break;
    available -= tokens;
    historyTokens += tokens;
    keptFrom = i;
  }
  // Start the kept history at a user message.
  while (keptFrom < history.length && history[keptFrom].role === "assistant") {
    historyTokens -= (await input.count(history[keptFrom].text)) + TOKENS_PER_MESSAGE;
    keptFrom++;
  }
  if (keptFrom > 0) {
    notes.push(`The ${keptFrom === 1 ? "oldest message was" : `oldest ${keptFrom} messages were`} left out to fit the model's ${input.contextSize}-token context.`);
  }
  const messageTokens = await input.count(message);
  return {
    history: history.slice(keptFrom),
    message,
    included,
    droppedMessages: keptFrom,
    notes,
    promptTokens: messageTokens + historyTokens,
    reserve,
  };
}

export function formatAttachment(attachment: Attachment): string {
  const where = attachment.kind === "selection" ? `Selected code from ${attachmentLabel(attachment)}` : `File ${attachment.path}`;
  const fence = attachment.text.includes("```") ? "````" : "```";
  const body = attachment.text.endsWith("\n") || attachment.text === "" ? attachment.text : `${attachment.text}\n`;
  return `${where}:\n${fence}${attachment.language ?? ""}\n${body}${fence}\n`;
}

/** The longest start of `text` (whole lines, or characters) that counts at most `budget` tokens. */
async function cutToFit(text: string, budget: number, count: TokenCounter, unit: "lines" | "chars"): Promise<string> {
  if (budget <= 0) return "";
  const parts = unit === "lines" ? text.split("\n") : [...text];
  const join = (n: number) => parts.slice(0, n).join(unit === "lines" ? "\n" : "");
  let low = 0;
  let high = parts.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((await count(join(mid))) <= budget) low = mid;
    else high = mid - 1;
  }
  return join(low);
}

/** Remembers token counts by text: the history is counted again on every turn. */
export function cachedCounter(count: TokenCounter, limit = 2000): TokenCounter {
  const cache = new Map<string, number>();
  return async (text) => {
    const known = cache.get(text);
    if (known !== undefined) return known;
    const value = await count(text);
    if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
    cache.set(text, value);
    return value;
  };
}
