// The conversation log. Finished messages are rendered once; the streaming answer is re-rendered at most once
// per animation frame, and only its own element, so long conversations stay responsive while tokens arrive.
import type { ViewMessage } from "./messages";

export type Renderer = (text: string) => DocumentFragment;

export class MessageList {
  private streaming: { element: HTMLElement; body: HTMLElement; text: string; renders: number } | undefined;
  private frame = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly render: Renderer,
  ) {}

  get streamingText(): string | undefined {
    return this.streaming?.text;
  }

  clear(): void {
    this.cancelFrame();
    this.streaming = undefined;
    this.root.replaceChildren();
  }

  add(message: ViewMessage): HTMLElement {
    const { element, body } = this.shell(message.role);
    if (message.role === "user") {
      body.textContent = message.text;
      if (message.chips?.length) element.insertBefore(chipLine(message.chips), body);
    } else {
      this.fill(body, message.text);
    }
    if (message.stopped) element.appendChild(note("Stopped.", "stopped"));
    for (const text of message.notes ?? []) element.appendChild(note(text, "cut"));
    if (message.failed) element.appendChild(failedNote(message.failed));
    this.root.appendChild(element);
    this.scrollToEnd();
    return element;
  }

  /** Removes the last message when it is an answer (Regenerate). */
  removeLastAnswer(): void {
    const last = this.root.lastElementChild;
    if (last?.classList.contains("assistant")) last.remove();
  }

  startReply(): void {
    const { element, body } = this.shell("assistant");
    element.setAttribute("aria-busy", "true");
    element.classList.add("streaming");
    this.root.appendChild(element);
    this.streaming = { element, body, text: "", renders: 0 };
    this.scrollToEnd();
  }

  appendReply(text: string): void {
    if (!this.streaming) return;
    this.streaming.text += text;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.renderStreaming());
  }

  finishReply(outcome: { stopped?: boolean; error?: string }): void {
    const current = this.streaming;
    if (!current) {
      // The log was replaced (a regeneration kept the previous answer): the reason still shows.
      if (outcome.error) this.root.appendChild(note(outcome.error, "error"));
      return;
    }
    this.cancelFrame();
    this.renderStreaming();
    current.element.removeAttribute("aria-busy");
    current.element.classList.remove("streaming");
    if (!current.text && !outcome.stopped) current.element.remove();
    if (outcome.stopped) current.element.appendChild(note("Stopped.", "stopped"));
    if (outcome.error) this.root.appendChild(note(outcome.error, "error"));
    this.streaming = undefined;
    this.scrollToEnd();
  }

  private renderStreaming(): void {
    this.frame = 0;
    const current = this.streaming;
    if (!current) return;
    const follow = this.atEnd();
    this.fill(current.body, current.text);
    current.renders++;
    current.element.dataset.renders = String(current.renders);
    if (follow) this.scrollToEnd();
  }

  private fill(body: HTMLElement, text: string): void {
    body.replaceChildren(this.render(text));
    for (const pre of body.querySelectorAll("pre")) pre.appendChild(codeActions());
  }

  private shell(role: ViewMessage["role"]): { element: HTMLElement; body: HTMLElement } {
    const element = document.createElement("article");
    element.className = `message ${role}`;
    const body = document.createElement("div");
    body.className = "body";
    element.appendChild(body);
    return { element, body };
  }

  private atEnd(): boolean {
    return this.root.scrollHeight - this.root.scrollTop - this.root.clientHeight < 40;
  }

  private scrollToEnd(): void {
    this.root.scrollTop = this.root.scrollHeight;
  }

  private cancelFrame(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}

function note(text: string, kind: string): HTMLElement {
  const element = document.createElement("div");
  element.className = `note ${kind}`;
  element.textContent = text;
  return element;
}

function chipLine(labels: string[]): HTMLElement {
  const line = document.createElement("div");
  line.className = "sent-chips";
  for (const label of labels) {
    const chip = document.createElement("span");
    chip.className = "chip";
    const icon = document.createElement("span");
    icon.className = "codicon codicon-file-code";
    chip.append(icon, document.createTextNode(label));
    line.appendChild(chip);
  }
  return line;
}

function codeActions(): HTMLElement {
  const bar = document.createElement("div");
  bar.className = "code-actions";
  for (const [action, icon, title] of [
    ["copy", "copy", "Copy"],
    ["insert", "insert", "Insert at cursor"],
    ["apply", "git-pull-request-go-to-changes", "Apply to file (shows a diff first)"],
  ] as const) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "icon-button";
    button.dataset.action = action;
    button.title = title;
    button.setAttribute("aria-label", title);
    const glyph = document.createElement("span");
    glyph.className = `codicon codicon-${icon}`;
    button.appendChild(glyph);
    bar.appendChild(button);
  }
  return bar;
}

/** Under a user message whose turn failed: the reason and a Retry button (handled by the log's click listener). */
function failedNote(reason: string): HTMLElement {
  const element = note(`Not answered: ${reason}`, "error failed");
  const retry = document.createElement("button");
  retry.type = "button";
  retry.className = "retry";
  retry.dataset.retry = "";
  retry.textContent = "Retry";
  element.appendChild(retry);
  return element;
}
