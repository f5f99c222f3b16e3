// What every refusal of the reference server looks like: a 4xx whose body is one of the operation's failure
// envelopes, with one of the expected statusCodes when the profile has them.
import type request from "supertest";
import { expect } from "vitest";
import { schemas } from "../../src/model/schemas.js";

export function expectRefusal(res: request.Response, failure: string[], codes?: number[]) {
  expect(res.status, res.text).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text).toBeLessThan(500);
  expect(
    failure.some((p) => schemas().validate(p, res.body).valid),
    res.text,
  ).toBe(true);
  if (codes) expect(codes).toContain(res.body.statusCode);
}
