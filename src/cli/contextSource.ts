import type { ContextSource } from "../completion/pipeline";
import { plainContext } from "../completion/plainContext";

/** The context source the CLI and the benchmark use: the same one as the editor. */
export async function createContextSource(_workspaceRoot: string): Promise<ContextSource> {
  return { build: (position, multiline) => plainContext(position, multiline) };
}
