// Conforming variants of the reference server, the dual of mutants (`--variant NAME[,NAME]`): each gives another
// answer that the ambiguity register accepts (schemas/ambiguities.json `answers`), so `npm run mutation` can show
// the suite passes servers that read the spec otherwise than the reference server does. The variants themselves are
// in variants/, one file per group, concatenated here in order.
import type { Profile } from "../model/catalog.js";
import type { EngineContext } from "./operations.js";
import type { Reading } from "./reading.js";
import { REFUSAL_VARIANTS } from "./variants/refusals.js";
import { INTERACTION_VARIANTS } from "./variants/interactions.js";
import { CHANNEL_VARIANTS } from "./variants/channel.js";

export interface Variant {
  name: string;
  /** What it answers otherwise, in one sentence. */
  description: string;
  /** The register entry whose other answer it gives. */
  register: string;
  /** The profiles it applies to (default both). */
  profiles?: Profile[];
  /** A larger request body limit it needs, in bytes. */
  bodyLimit?: number;
  apply(reading: Reading, engine: EngineContext): void;
}

export const VARIANTS: Variant[] = [...REFUSAL_VARIANTS, ...INTERACTION_VARIANTS, ...CHANNEL_VARIANTS];

/** The variant named `name` for `profile`, or a one-sentence error naming the choices. */
export function variant(name: string, profile: Profile): Variant {
  const found = VARIANTS.find((v) => v.name === name);
  if (!found)
    throw new Error(`There is no variant named ${name}; the variants are: ${VARIANTS.map((v) => v.name).join(", ")}.`);
  if (found.profiles && !found.profiles.includes(profile))
    throw new Error(`The variant ${name} applies only to the ${found.profiles.join(" and ")} profile, not ${profile}.`);
  return found;
}
