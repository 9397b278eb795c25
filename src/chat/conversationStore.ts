// Conversations on disk: one JSON file per conversation plus a small index, in a folder of the extension's
// storage. Every write goes to a temporary file that is renamed into place, so a crash leaves the old file or the
// new one, never half of one. The index is read on first use, a conversation only when it is opened. A file that
// cannot be read is renamed aside (`<name>.corrupt-<time>`) and reported, never silently replaced by an empty one.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renameWithRetry } from "../platform/renameWithRetry";
import { summarize, type Conversation, type ConversationSummary, type StoredMessage } from "./types";

const INDEX = "index.json";
const FORMAT_VERSION = 1;

export interface StoreOptions {
  /** Told when a file was unreadable and set aside: the message names the file kept for inspection. */
  warn?: (message: string) => void;
  now?: () => number;
}

export class ConversationStore {
  private index: Map<string, ConversationSummary> | undefined;
  private indexLoading: Promise<Map<string, ConversationSummary>> | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly options: StoreOptions = {},
  ) {}

  /** Conversations, newest first. */
  async list(): Promise<ConversationSummary[]> {
    const index = await this.loadIndex();
    return [...index.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** One conversation, read from disk; undefined when it does not exist or was unreadable (then set aside). */
  async load(id: string): Promise<Conversation | undefined> {
    if (!isSafeId(id)) return undefined;
    await this.writes;
    const file = this.fileOf(id);
    let raw: string;
    try {
      raw = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const conversation = parseConversation(raw);
    if (!conversation || conversation.id !== id) {
      const aside = await this.setAside(file);
      const index = await this.loadIndex();
      if (index.delete(id)) await this.enqueue(() => this.writeIndex(index));
      this.warn(`Freehold could not read the saved conversation ${id}; the file was kept as ${aside}.`);
      return undefined;
    }
    return conversation;
  }

  async save(conversation: Conversation): Promise<void> {
    if (!isSafeId(conversation.id)) throw new Error(`Bad conversation id ${JSON.stringify(conversation.id)}.`);
    const index = await this.loadIndex();
    index.set(conversation.id, summarize(conversation));
    const data = `${JSON.stringify({ version: FORMAT_VERSION, ...conversation })}\n`;
    await this.enqueue(async () => {
      await writeAtomically(this.fileOf(conversation.id), data);
      await this.writeIndex(index);
    });
  }

  async delete(id: string): Promise<void> {
    if (!isSafeId(id)) return;
    const index = await this.loadIndex();
    index.delete(id);
    await this.enqueue(async () => {
      await unlink(this.fileOf(id)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
      await this.writeIndex(index);
    });
  }

  /** Waits for every write started so far. */
  flush(): Promise<void> {
    return this.writes.then(() => undefined);
  }

  private fileOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private loadIndex(): Promise<Map<string, ConversationSummary>> {
    if (this.index) return Promise.resolve(this.index);
    this.indexLoading ??= this.readIndex().then((index) => (this.index = index));
    return this.indexLoading;
  }

  private async readIndex(): Promise<Map<string, ConversationSummary>> {
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, INDEX);
    let raw: string | undefined;
    try {
      raw = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (raw !== undefined) {
      const summaries = parseIndex(raw);
      if (summaries) return new Map(summaries.map((s) => [s.id, s]));
      const aside = await this.setAside(file);
      this.warn(`Freehold could not read its list of conversations; the file was kept as ${aside} and the list is rebuilt from the conversations.`);
    }
    // No (readable) index: rebuild it from the conversation files, so nothing is lost.
    const index = new Map<string, ConversationSummary>();
    for (const name of await readdir(this.dir)) {
      const id = name.endsWith(".json") && name !== INDEX ? name.slice(0, -5) : undefined;
      if (!id || !isSafeId(id)) continue;
      const conversation = parseConversation(await readFile(join(this.dir, name), "utf8").catch(() => ""));
      if (conversation && conversation.id === id) index.set(id, summarize(conversation));
    }
    if (index.size) await this.enqueue(() => this.writeIndex(index));
    return index;
  }

  private async writeIndex(index: Map<string, ConversationSummary>): Promise<void> {
    await writeAtomically(join(this.dir, INDEX), `${JSON.stringify({ version: FORMAT_VERSION, conversations: [...index.values()] })}\n`);
  }

  private async setAside(file: string): Promise<string> {
    const aside = `${file}.corrupt-${new Date(this.options.now?.() ?? Date.now()).toISOString().replace(/[:.]/g, "-")}`;
    await renameWithRetry(file, aside);
    return aside;
  }

  private enqueue<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writes.then(async () => {
      await mkdir(this.dir, { recursive: true });
      return write();
    });
    this.writes = next.catch(() => undefined);
    return next;
  }

  private warn(message: string): void {
    this.options.warn?.(message);
  }
}

export async function writeAtomically(file: string, data: string): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(temp, data, { encoding: "utf8", flush: true });
    await renameWithRetry(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function isSafeId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,100}$/.test(id);
}

function parseIndex(raw: string): ConversationSummary[] | undefined {
  try {
    const data = JSON.parse(raw) as { version?: unknown; conversations?: unknown };
    if (data.version !== FORMAT_VERSION || !Array.isArray(data.conversations)) return undefined;
    const summaries = data.conversations as ConversationSummary[];
    const valid = summaries.every((s) => s && typeof s.id === "string" && isSafeId(s.id) && typeof s.title === "string" && typeof s.updatedAt === "number");
    return valid ? summaries : undefined;
  } catch {
    return undefined;
  }
}

function parseConversation(raw: string): Conversation | undefined {
  try {
    const data = JSON.parse(raw) as Partial<Conversation> & { version?: unknown };
    if (data.version !== FORMAT_VERSION || typeof data.id !== "string" || !Array.isArray(data.messages)) return undefined;
    if (!data.messages.every(isMessage)) return undefined;
    return {
      id: data.id,
      title: typeof data.title === "string" ? data.title : "Chat",
      createdAt: typeof data.createdAt === "number" ? data.createdAt : 0,
      updatedAt: typeof data.updatedAt === "number" ? data.updatedAt : 0,
      messages: data.messages,
    };
  } catch {
    return undefined;
  }
}

function isMessage(value: unknown): value is StoredMessage {
  const m = value as StoredMessage;
  return typeof m === "object" && m !== null && (m.role === "user" || m.role === "assistant") && typeof m.text === "string";
}
