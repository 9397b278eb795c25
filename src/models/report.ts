// What `freehold models --json` reports (the editor reads it through the CLI): the models on this machine with
// their fit, the hardware, and the recommended download per role.
import type { CatalogModel } from "./catalog";
import type { DiscoveredModel } from "./discovery";
import type { ModelFit } from "./fit";
import type { HardwareState } from "./hardware";

export interface ModelListing extends DiscoveredModel {
  fit?: ModelFit;
}

export interface ModelsReport {
  hardware: HardwareState;
  contextSize: number;
  models: ModelListing[];
  recommended: Record<"completion" | "chat", CatalogModel & { fit: ModelFit }>;
}
