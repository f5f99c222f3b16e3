// JSON Pointer (RFC 6901) helpers for the schema self-tests.
const tokens = (pointer: string): string[] =>
  pointer === ""
    ? []
    : pointer
        .slice(1)
        .split("/")
        .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, pointer: string): [Container, string] {
  const parts = tokens(pointer);
  const last = parts.pop();
  if (last === undefined) throw new Error("The root has no parent.");
  let node: unknown = doc;
  for (const part of parts) {
    if (typeof node !== "object" || node === null || !(part in node)) throw new Error(`Nothing at ${pointer}.`);
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node !== "object" || node === null) throw new Error(`Nothing at ${pointer}.`);
  return [node as Container, last];
}

export function setAt(doc: unknown, pointer: string, value: unknown): void {
  const [parent, key] = parentOf(doc, pointer);
  (parent as Record<string, unknown>)[key] = value;
}

/** Removes the member at `pointer`; throws when there is none, so a stale pointer cannot pass silently. */
export function removeAt(doc: unknown, pointer: string): void {
  const [parent, key] = parentOf(doc, pointer);
  if (!(key in parent)) throw new Error(`Nothing at ${pointer}.`);
  delete (parent as Record<string, unknown>)[key];
}
