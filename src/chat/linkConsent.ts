// Which web addresses from the chat open without asking again: none, until the user says "trust this domain"
// in the confirmation, and then only that host for the rest of the session (never stored). A link in model
// output can be prompt-injected to carry code out in its query string, so every other one shows its full URL first.

/** The scope of a consent: scheme, host and port (`https://example.com`, `http://localhost:8080`). */
export function linkDomain(url: string): string {
  return new URL(url).origin;
}

export class LinkConsent {
  private readonly trusted = new Set<string>();

  needsConfirmation(url: string): boolean {
    return !this.trusted.has(linkDomain(url));
  }

  trustForSession(url: string): void {
    this.trusted.add(linkDomain(url));
  }
}
