// Waivers: a failing check may be accepted until a date, by a named owner; expired or stale waivers fail the run.
import { readFileSync } from "node:fs";
import type { Waiver, WaiversFile } from "../generated/schema-types.js";
import { schemas } from "../model/schemas.js";
import { ConfigError } from "./config.js";

export type WaiverStatus = Waiver & { status: "applied" | "expired" | "stale" | "unused" };

export function loadWaivers(path: string | undefined): Waiver[] {
  if (!path) return [];
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [
        code === "ENOENT"
          ? "the waivers file does not exist."
          : `the waivers file cannot be read: ${(e as Error).message}.`,
      ],
      path,
    );
  }
  const result = schemas().validate("config/waivers.json", data);
  if (!result.valid)
    throw new ConfigError(
      result.violations.map((v) => `${v.pointer}: ${v.message}.`),
      path,
    );
  return (data as WaiversFile).waivers;
}

/** A waiver is expired once its date has passed (it holds through the whole day it names). */
export const isExpired = (w: Waiver, today: string) => w.expires < today;

export const todayUtc = () => new Date().toISOString().slice(0, 10);
