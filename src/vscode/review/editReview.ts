// Shows a proposed replacement of a range as a diff and changes the file only on Accept.
// Shared by the chat view's "Apply to file" and the refactor commands' rewrite flow.
import * as vscode from "vscode";

export type ReviewOutcome = "accepted" | "rejected" | "stale";

export interface ReviewRequest {
  readonly document: vscode.TextDocument;
  /** The range whose text the proposal replaces (the whole document for a whole-file proposal). */
  readonly range: vscode.Range;
  /** Title of the diff editor, e.g. "Freehold: Refactor". */
  readonly title: string;
  /** Proposed text for the range so far; a streamed proposal starts empty and grows through update(). */
  readonly proposedText?: string;
}

/** One proposal under review: stream text into it, then wait for the user's decision. */
export interface ReviewSession {
  readonly uri: vscode.Uri;
  /** Replaces the proposed text of the range (the diff updates live). */
  update(proposedText: string): void;
  /** Resolves when the user accepts or rejects, or when the document changed under the proposal. */
  readonly outcome: Promise<ReviewOutcome>;
  /** Ends the review without applying (e.g. the generation failed). */
  cancel(): void;
}

interface ActiveReview {
  readonly request: ReviewRequest;
  readonly originalText: string;
  readonly originalRangeText: string;
  readonly rangeStart: number;
  readonly rangeEnd: number;
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
      originalText: document.getText(),
      originalRangeText: document.getText(request.range),
      rangeStart: document.offsetAt(request.range.start),
      rangeEnd: document.offsetAt(request.range.end),
      proposedText: request.proposedText ?? "",
      shown: false,
      settle: (result) => {
        if (!this.reviews.delete(uri.toString())) return;
        settle(result);
        void this.closeDiff(uri).then(() => this.updateContextKey());
      },
    };
    this.reviews.set(uri.toString(), review);
    await vscode.commands.executeCommand("vscode.diff", document.uri, uri, `${request.title} — ${vscode.workspace.asRelativePath(document.uri)} ↔ proposed`, {
      preview: false,
    } satisfies vscode.TextDocumentShowOptions);
    review.shown = true;
    await this.updateContextKey();
    return {
      uri,
      update: (text) => {
        if (!this.reviews.has(uri.toString())) return;
        review.proposedText = text;
        this.changed.fire(uri);
      },
      outcome,
      cancel: () => review.settle("rejected"),
    };
  }

  /** Number of proposals currently under review (tests and the status bar read it). */
  get activeCount(): number {
    return this.reviews.size;
  }

  private proposedDocumentText(uri: vscode.Uri): string {
    const review = this.reviews.get(uri.toString());
    if (!review) return "";
    return review.originalText.slice(0, review.rangeStart) + review.proposedText + review.originalText.slice(review.rangeEnd);
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
    const range = this.currentRange(review);
    if (!range) {
      this.log(`review: ${document.fileName} changed under the proposal; not applied`);
      void vscode.window.showWarningMessage(
        `Freehold: ${vscode.workspace.asRelativePath(document.uri)} changed while the proposal was made; the proposal was not applied. Run the command again on the current text.`,
      );
      review.settle("stale");
      return "stale";
    }
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

  /**
   * Where the reviewed text is now: unchanged document → the original range; edits elsewhere → the original
   * text found again at one place; the reviewed text itself changed → undefined (refuse rather than corrupt).
   */
  private currentRange(review: ActiveReview): vscode.Range | undefined {
    const document = review.request.document;
    const text = document.getText();
    if (text === review.originalText) return review.request.range;
    const before = review.originalText.slice(0, review.rangeStart);
    const after = review.originalText.slice(review.rangeEnd);
    // Edits outside the range: the range text is still there, framed by the same line before and after.
    const needle = review.originalRangeText;
    if (needle.length === 0) return undefined;
    const first = text.indexOf(needle);
    if (first < 0 || text.indexOf(needle, first + 1) >= 0) return undefined;
    const lineBefore = before.slice(before.lastIndexOf("\n") + 1);
    const lineAfter = after.split("\n", 1)[0];
    if (!text.slice(0, first).endsWith(lineBefore) || !text.slice(first + needle.length).startsWith(lineAfter)) return undefined;
    return new vscode.Range(document.positionAt(first), document.positionAt(first + needle.length));
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
