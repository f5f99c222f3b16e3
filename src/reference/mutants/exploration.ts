// Mutants that only a sequence of operations or particular userData shows (issue 23): each breaks what a source
// states (gws-facts: userData holds strings, numbers, null and nested objects, Attach adds keys, Update overwrites
// them; RFC 8259: a string is any Unicode text), the way key-value stores and caches do, and no fixed check meets it.
import { Op } from "../../generated/vocabulary.js";
import { after, before, notifier, opName, type Json, type Mutant } from "./support.js";

/** What the request wrote: the userData of an Attach or an Update. */
const written = (body: unknown): Json | undefined => {
  const b = body as { operationName?: string; userData?: Json } | undefined;
  return b?.operationName === Op.AttachUserData || b?.operationName === Op.UpdateUserData ? b.userData : undefined;
};

/** A mutant that stores each written value through `store` (undefined: the key is not kept). */
function storing(
  name: string,
  description: string,
  store: (value: unknown, key: string, index: number) => unknown,
): Mutant {
  return {
    name,
    description,
    family: "data",
    apply: (app, engine) =>
      after(app, engine, "*", (r, request) => {
        Object.keys(written(request.body) ?? {}).forEach((key, index) => {
          const kept = store(r.userData[key], key, index);
          if (kept === undefined) delete r.userData[key];
          else r.userData[key] = kept;
        });
      }),
  };
}

const deep = (v: unknown, leaf: (x: unknown) => unknown): unknown =>
  v !== null && typeof v === "object"
    ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x, leaf)]))
    : leaf(v);

export const EXPLORATION_MUTANTS: Mutant[] = [
  storing(
    "userdata-latin1",
    "userData strings are stored as Latin-1: text beyond it (CJK, Cyrillic, emoji) reads back mangled.",
    (v) => deep(v, (x) => (typeof x === "string" ? Buffer.from(x, "latin1").toString("latin1") : x)),
  ),
  storing("userdata-numbers-as-text", "userData numbers read back as strings.", (v) =>
    deep(v, (x) => (typeof x === "number" ? String(x) : x)),
  ),
  storing("userdata-twenty-keys", "An Attach or Update keeps only the first 20 keys it is given.", (v, _k, i) =>
    i < 20 ? v : undefined,
  ),
  storing("userdata-null-removes", "A null userData value removes the key instead of storing null.", (v) =>
    v === null ? undefined : v,
  ),
  storing("userdata-nested-as-text", "A nested userData object is stored as its JSON text.", (v) =>
    v !== null && typeof v === "object" ? JSON.stringify(v) : v,
  ),
  storing("userdata-varchar-255", "userData strings are cut at 255 characters.", (v) =>
    deep(v, (x) => (typeof x === "string" ? x.slice(0, 255) : x)),
  ),
  storing(
    "userdata-control-stripped",
    "Control characters (NUL, tab, line breaks) are stripped from userData strings.",
    (v) =>
      // eslint-disable-next-line no-control-regex -- the mutant strips exactly these
      deep(v, (x) => (typeof x === "string" ? x.replace(/[\u0000-\u001f]/g, "") : x)),
  ),
  storing("userdata-empty-string-removes", "An empty string value removes the key.", (v) => (v === "" ? undefined : v)),
  {
    name: "userdata-keys-case-insensitive",
    description:
      "userData keys are case-insensitive: writing 'key' overwrites 'Key' and reads back under the first spelling.",
    family: "data",
    apply: (app, engine) =>
      after(app, engine, "*", (r, request) => {
        for (const key of Object.keys(written(request.body) ?? {})) {
          const first = Object.keys(r.userData).find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
          if (first) {
            r.userData[first] = r.userData[key];
            delete r.userData[key];
          }
        }
      }),
  },
  {
    name: "attach-after-delete-lost",
    description: "After a DeleteUserData, an Attach on the same interaction is answered ok but writes nothing.",
    family: "sequence",
    apply: (app, engine) => {
      const deleted = new Set<string>();
      const saved = new Map<string, Json>();
      before(app, engine, (r, request) => {
        if (r && opName(request) === Op.AttachUserData && deleted.has(r.id)) saved.set(r.id, { ...r.userData });
      });
      after(app, engine, "*", (r, request) => {
        if (opName(request) === Op.DeleteUserData) deleted.add(r.id);
        const before = saved.get(r.id);
        if (opName(request) === Op.AttachUserData && before) {
          for (const k of Object.keys(r.userData)) if (!(k in before)) delete r.userData[k];
          saved.delete(r.id);
        }
      });
    },
  },
  {
    name: "userdata-lost-on-transfer",
    description: "A Transfer hands the interaction over without the userData written since it was offered.",
    family: "sequence",
    apply: (app, engine) => {
      const offered = new Map<string, Json>();
      before(app, engine, (r) => void (r && !offered.has(r.id) && offered.set(r.id, { ...r.userData })));
      after(app, engine, Op.Transfer, (r) => {
        for (const k of Object.keys(r.userData)) delete r.userData[k];
        Object.assign(r.userData, offered.get(r.id));
      });
    },
  },
  {
    name: "workbin-content-userdata-stale",
    description:
      "A workbin's content lists each interaction with the userData it had when it was offered (and its Workbin key), not what was written since.",
    family: "sequence",
    apply: (app, engine) => {
      const offered = new Map<string, Json>();
      before(app, engine, (r) => void (r && !offered.has(r.id) && offered.set(r.id, { ...r.userData })));
      notifier(engine, (username, data, deliver) => {
        const d = data as Json;
        const items = Array.isArray(d) ? d : d?.workbin !== undefined ? d.interactions : undefined;
        if (Array.isArray(items))
          for (const item of items as Json[]) {
            const was = offered.get(item.id as string);
            const now = item.userData as Json | undefined;
            if (was && now) item.userData = { ...was, ...(now.Workbin !== undefined ? { Workbin: now.Workbin } : {}) };
          }
        deliver(username, data);
      });
    },
  },
];
