// A well-formed request body for each operation and profile (the one the suites send on the success path),
// built from what the target offers. Every body it returns validates against the catalog's request schema.
import type { Operation } from "../generated/schema-types.js";
import type { Profile } from "./catalog.js";

export interface RequestResources {
  queue: string;
  workbin: string;
  /** The transfer target: seed sends its id (userId), gws its user URI (userUri) (AMB-TRANSFER-TARGET). */
  target: { id: string; uri: string };
  /** Distinguishes the userData this run writes; for DeleteUserData, the value the deleted key holds now. */
  marker: string;
}

export function requestBody(operation: Operation, profile: Profile, r: RequestResources): Record<string, unknown> {
  const operationName = operation.operationName;
  switch (operationName) {
    case "PlaceInQueue":
      return { operationName, queueName: r.queue };
    case "AttachUserData":
    case "UpdateUserData":
      return { operationName, userData: { ConformanceMarker: r.marker } };
    case "DeleteUserData":
      // AMB-DELETE-KEYS: seed names the keys as a userData object (with the value the key holds, `marker`), gws as a keys array.
      return profile === "seed"
        ? { operationName, userData: { ConformanceMarker: r.marker } }
        : { operationName, keys: ["ConformanceMarker"] };
    case "PlaceInWorkbin":
    case "GetWorkbinContent":
      return { operationName, workbin: r.workbin };
    case "Transfer":
      return profile === "seed" ? { operationName, userId: r.target.id } : { operationName, userUri: r.target.uri };
    default:
      return { operationName };
  }
}
