// What `freehold models --json` reports (the editor reads it through the CLI): the models on this machine with
// their fit, the hardware, and the recommended download per role.
import type { CatalogModel } from "./catalog";
import type { DiscoveredModel } from "./discovery";
import type { ModelFit } from "./fit";
import type { HardwareState } from "./hardware";
import type { StoreLocation } from "./locations";

export interface ModelListing extends DiscoveredModel {
  fit?: ModelFit;
}

export interface SearchedLocation extends StoreLocation {
  /** Whether the folder exists (missing default stores are normal: the tool is not installed). */
  exists: boolean;
  /** Models found there. */
  found: number;
}

export interface ModelsReport {
  /** Every folder looked in, in order. */
  searched: SearchedLocation[];
  hardware: HardwareState;
  contextSize: number;
  models: ModelListing[];
  recommended: Record<"completion" | "chat", CatalogModel & { fit: ModelFit }>;
}
