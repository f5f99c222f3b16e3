// The redactor: every secret, whatever characters it holds, is replaced wherever it appears, including ones
// learned during the run; secret headers are replaced whole.
import { describe, expect, it } from "vitest";
import { REDACTED, Redactor } from "../src/runner/redact.js";

describe("Redactor", () => {
  it("replaces secrets holding regular-expression characters, the longest first", () => {
    const r = new Redactor(["p.a+ss(1)$", "p.a+ss", "[x]"]);
    expect(r.text("a p.a+ss(1)$ b p.a+ss c [x] d pXa+ss")).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED} d pXa+ss`);
  });

  it("replaces secrets learned later, and ignores ones too short to be secrets", () => {
    const r = new Redactor(["hunter2"]);
    expect(r.text("JSESSIONID=abc123")).toBe("JSESSIONID=abc123");
    r.add("abc123");
    r.add("ab");
    expect(r.text("JSESSIONID=abc123; hunter2; ab")).toBe(`JSESSIONID=${REDACTED}; ${REDACTED}; ab`);
  });

  it("redacts a string seen before once it learns a secret the string holds, however short that secret", () => {
    const r = new Redactor(["hunter2"]);
    const cookie = "JSESSIONID=abc123";
    expect(r.text(cookie)).toBe(cookie);
    expect(r.text(cookie)).toBe(cookie);
    r.add("abc123");
    expect(r.text(cookie)).toBe(`JSESSIONID=${REDACTED}`);
    // Shorter than every secret known so far, so not scanned; scanned once a secret that short is known.
    expect(r.text("xyz1")).toBe("xyz1");
    r.add("xyz1");
    expect(r.text("xyz1")).toBe(REDACTED);
  });

  it("redacts keys and values of nested JSON, and secret headers whole", () => {
    const r = new Redactor(["s3cret"], ["X-Hook-Key"]);
    expect(r.value({ a: ["x s3cret"], s3cret: 1 })).toEqual({ a: [`x ${REDACTED}`], [REDACTED]: 1 });
    expect(r.headers({ authorization: "Basic whatever", "x-hook-key": "k", accept: "s3cret" })).toEqual({
      authorization: REDACTED,
      "x-hook-key": REDACTED,
      accept: REDACTED,
    });
  });

  it("scans a megabyte for 500 secrets in under half a second", () => {
    const r = new Redactor(Array.from({ length: 500 }, (_, i) => `session-${i}-${"x".repeat(20)}`));
    const text = "y".repeat(1_000_000) + "session-499-" + "x".repeat(20);
    const started = performance.now();
    expect(r.text(text).endsWith(REDACTED)).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
