// Shows a proposed replacement of a range as a diff and changes the file only on Accept.
// Shared by the chat view's "Apply to file" and the refactor commands' rewrite flow.
import * as vscode from "vscode";
import { withLineEnding } from "../../platform/lineEndings";

export type ReviewOutcome = "accepted" | "rejected" | "stale";

export interface ReviewRequest {
  readonly document: vscode.TextDocument;
  /** The range whose text the proposal replaces (the whole document for a whole-file proposal). */
  readonly range: vscode.Range;
  /** Title of the diff editor, e.g. "Freehold: Refactor". */
  readonly title: string;
  /** Proposed text for the range so far; a streamed proposal starts empty and grows through update(). */
  readonly proposedText?: string;
  /**
   * The proposal is still being written: Accept waits for finish(), and an edit of the reviewed text ends the
   * review at once as "stale" (the writer should stop) instead of when the user accepts.
   */
  readonly streaming?: boolean;
}

/** One proposal under review: stream text into it, then wait for the user's decision. */
export interface ReviewSession {
  readonly uri: vscode.Uri;
  /** Replaces the proposed text of the range (the diff updates live). */
  update(proposedText: string): void;
  /** Resolves when the user accepts or rejects, or when the document changed under the proposal; the diff is closed by then. */
  readonly outcome: Promise<ReviewOutcome>;
  /** Ends the review without applying (e.g. the generation failed). */
  cancel(): void;
  /** A streamed proposal is complete: Accept applies it from now on. */
  finish(): void;
}

interface ActiveReview {
  readonly request: ReviewRequest;
  /** Offsets of the reviewed text in the document as it is now (moved by edits before it). */
  rangeStart: number;
  rangeEnd: number;
  /** The reviewed text itself was edited: the proposal no longer applies. */
  stale: boolean;
  streaming: boolean;
  proposedText: string;
  /** The diff tab has been opened (only then does closing it count as a rejection). */
  shown: boolean;
  settle(outcome: ReviewOutcome): void;
}

const REVIEW_CONTEXT_KEY = "freehold.reviewActive";

export class EditReview implements vscode.Disposable {
  static readonly scheme = "freehold-proposed";
  private readonly reviews = new Map<string, ActiveReview>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private nextId = 1;

  constructor(private readonly log: (line: string) => void = () => undefined) {
    this.disposables.push(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(EditReview.scheme, {
        onDidChange: this.changed.event,
        provideTextDocumentContent: (uri) => this.proposedDocumentText(uri),
      }),
      vscode.commands.registerCommand("freehold.review.accept", (uri?: vscode.Uri) => this.decide("accept", uri)),
      vscode.commands.registerCommand("freehold.review.reject", (uri?: vscode.Uri) => this.decide("reject", uri)),
      vscode.window.onDidChangeActiveTextEditor(() => void this.updateContextKey()),
      // Closing the diff without deciding is a rejection; otherwise a later Accept would apply a closed proposal.
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        if (event.closed.length === 0) return;
        const open = new Set(
          vscode.window.tabGroups.all.flatMap((group) => group.tabs).flatMap((tab) => (tab.input instanceof vscode.TabInputTextDiff ? [tab.input.modified.toString()] : [])),
        );
        for (const [key, review] of [...this.reviews]) if (review.shown && !open.has(key)) review.settle("rejected");
      }),
      vscode.workspace.onDidChangeTextDocument((event) => this.track(event)),
    );
  }

  /** Opens the diff of the document against the proposal; the file is untouched until Accept. */
  async start(request: ReviewRequest): Promise<ReviewSession> {
    const document = request.document;
    const id = String(this.nextId++);
    const uri = vscode.Uri.from({ scheme: EditReview.scheme, path: document.uri.path, query: `review=${id}` });
    let settle!: (outcome: ReviewOutcome) => void;
    const outcome = new Promise<ReviewOutcome>((resolve) => (settle = resolve));
    const review: ActiveReview = {
      request,
      rangeStart: document.offsetAt(request.range.start),
      rangeEnd: document.offsetAt(request.range.end),
      stale: false,
      streaming: request.streaming ?? false,
      proposedText: request.proposedText ?? "",
      shown: false,
      settle: (result) => {
        if (!this.reviews.delete(uri.toString())) return;
        // The outcome is known once the diff is gone, so whoever awaits it sees the editor layout that follows.
        void this.closeDiff(uri)
          .then(() => this.updateContextKey())
          .catch((error: unknown) => this.log(`review: closing the diff failed: ${String(error)}`))
          .finally(() => settle(result));
      },
    };
    this.reviews.set(uri.toString(), review);
    // The Accept/Reject commands are enabled by this key: set before the diff appears, so a command palette
    // opened the moment the diff shows already lists them.
    await this.updateContextKey();
    await vscode.commands.executeCommand("vscode.diff", document.uri, uri, `${request.title} — ${vscode.workspace.asRelativePath(document.uri)} ↔ proposed`, {
      preview: false,
    } satisfies vscode.TextDocumentShowOptions);
    review.shown = true;
    return {
      uri,
      update: (text) => {
        if (!this.reviews.has(uri.toString())) return;
        review.proposedText = text;
        this.changed.fire(uri);
      },
      outcome,
      cancel: () => review.settle("rejected"),
      finish: () => {
        review.streaming = false;
      },
    };
  }

  /** Number of proposals currently under review (tests and the status bar read it). */
  get activeCount(): number {
    return this.reviews.size;
  }

  private proposedDocumentText(uri: vscode.Uri): string {
    const review = this.reviews.get(uri.toString());
    if (!review) return "";
    const document = review.request.document;
    const text = document.getText();
    // The proposal in the document's own line endings, so a CRLF file's diff shows no line-ending change.
    const proposed = withLineEnding(review.proposedText, document.eol === vscode.EndOfLine.CRLF ? "\r\n" : "\n");
    return text.slice(0, review.rangeStart) + proposed + text.slice(review.rangeEnd);
  }

  /**
   * Follows edits of reviewed documents: an edit before the reviewed text moves it, one after it leaves it,
   * and one that touches it (even an insertion at its edges) makes the proposal stale.
   */
  private track(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    for (const [key, review] of this.reviews) {
      if (review.request.document.uri.toString() !== event.document.uri.toString() || review.stale) continue;
      // Changes of one event refer to the document before the event, in no guaranteed order: apply from the end.
      const changes = [...event.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
      for (const change of changes) {
        const start = change.rangeOffset;
        const end = change.rangeOffset + change.rangeLength;
        if (end < review.rangeStart || (end === review.rangeStart && start < end)) {
          const delta = change.text.length - change.rangeLength;
          review.rangeStart += delta;
          review.rangeEnd += delta;
        } else if (start > review.rangeEnd || (start === review.rangeEnd && start < end)) {
          continue;
        } else {
          review.stale = true;
          break;
        }
      }
      if (review.stale) {
        this.log(`review: the reviewed text of ${event.document.fileName} was edited; the proposal is stale`);
        if (review.streaming) {
          this.warnStale(review);
          review.settle("stale");
          continue;
        }
      }
      this.changed.fire(vscode.Uri.parse(key));
    }
  }

  private warnStale(review: ActiveReview): void {
    void vscode.window.showWarningMessage(
      `Freehold: the reviewed text in ${vscode.workspace.asRelativePath(review.request.document.uri)} was edited; the proposal was not applied. Run the command again on the current text.`,
    );
  }

  /** The review the command is about: the given one, the one in the active diff, or the only one. */
  private target(uri?: vscode.Uri): ActiveReview | undefined {
    if (uri && this.reviews.has(uri.toString())) return this.reviews.get(uri.toString());
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && this.reviews.has(active.toString())) return this.reviews.get(active.toString());
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (tab instanceof vscode.TabInputTextDiff && this.reviews.has(tab.modified.toString())) return this.reviews.get(tab.modified.toString());
    return this.reviews.size === 1 ? [...this.reviews.values()][0] : undefined;
  }

  private async decide(decision: "accept" | "reject", uri?: vscode.Uri): Promise<ReviewOutcome | undefined> {
    const review = this.target(uri);
    if (!review) {
      void vscode.window.showInformationMessage("Freehold: there is no proposed change to review.");
      return undefined;
    }
    if (decision === "reject") {
      review.settle("rejected");
      return "rejected";
    }
    const document = review.request.document;
    if (review.streaming) {
      void vscode.window.showInformationMessage("Freehold is still writing the proposal: accept it when it is complete, or reject it.");
      return undefined;
    }
    if (review.stale || document.isClosed) {
      this.log(`review: ${document.fileName} changed under the proposal; not applied`);
      this.warnStale(review);
      review.settle("stale");
      return "stale";
    }
    const range = new vscode.Range(document.positionAt(review.rangeStart), document.positionAt(review.rangeEnd));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, range, review.proposedText);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      void vscode.window.showWarningMessage(`Freehold: VS Code refused the edit to ${vscode.workspace.asRelativePath(document.uri)}; nothing changed.`);
      review.settle("stale");
      return "stale";
    }
    review.settle("accepted");
    await vscode.window.showTextDocument(document, { preview: false });
    return "accepted";
  }

  private async closeDiff(uri: vscode.Uri): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const diffTabs = tabs.filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === uri.toString());
    if (diffTabs.length) await vscode.window.tabGroups.close(diffTabs);
  }

  private async updateContextKey(): Promise<void> {
    await vscode.commands.executeCommand("setContext", REVIEW_CONTEXT_KEY, this.reviews.size > 0);
  }

  dispose(): void {
    for (const review of [...this.reviews.values()]) review.settle("rejected");
    for (const disposable of this.disposables) disposable.dispose();
  }
}
