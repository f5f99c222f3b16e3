// One check in the HTML report: its summary line, and its body (expectations, clauses, schema violations, HTTP
// exchanges, CometD messages), which travels packed and is unpacked by the page once it has loaded.
import { gunzipSync, gzipSync } from "node:zlib";
import type { CheckResult, ConformanceResults, ExpectationResult } from "../generated/schema-types.js";
import { specModel } from "../model/catalog.js";
import { clip, esc, json, levelBadge, OUTCOME_LABEL, type Evidence } from "./format.js";

function headers(h: Record<string, string>): string {
  const lines = Object.entries(h).map(([k, v]) => `${k}: ${v}`);
  return lines.length ? `<pre class="headers">${esc(lines.join("\n"))}</pre>` : "";
}

function renderExchanges(evidence: Evidence, full: boolean): string {
  if (evidence.exchanges.length === 0) return "";
  const items = evidence.exchanges.map((x, i) => {
    const status = x.status === 0 ? `no answer: ${x.error ?? "?"}` : String(x.status);
    const line = `<span class="method">${esc(x.method)}</span> ${esc(x.url)}${x.as ? ` <span class="muted">as ${esc(x.as)}</span>` : ""} → <b class="status s${String(x.status).charAt(0)}">${esc(status)}</b> <span class="muted">at +${x.at} ms, ${x.durationMs} ms</span>`;
    // Setup steps stay one line; the last exchanges and every refusal show headers and bodies.
    const detailed = full && (i >= evidence.exchanges.length - 2 || x.status === 0 || x.status >= 300);
    if (!detailed) return `<li class="exchange-line">${line}</li>`;
    const body = x.responseBody !== undefined ? json(x.responseBody, true) : (x.responseText ?? "");
    return `<li class="exchange" id="x-${i}">
<div class="exchange-line">${line}</div>
<div class="grid2"><div><h5>Request</h5>${headers(x.requestHeaders)}${x.requestBody !== undefined ? `<pre class="body">${esc(json(x.requestBody, true))}</pre>` : ""}</div>
<div><h5>Response</h5>${headers(x.responseHeaders)}${body ? `<pre class="body">${esc(body)}</pre>` : `<p class="muted">(empty body)</p>`}</div></div>
<details class="curl"><summary>curl</summary><pre>${esc(x.curl)}</pre></details></li>`;
  });
  return `<h4>HTTP exchanges (${evidence.exchanges.length})</h4><ol class="exchanges">${items.join("")}</ol>`;
}

function renderNotifications(evidence: Evidence, full: boolean): string {
  if (evidence.notifications.length === 0) return "";
  const rows = evidence.notifications.map((n) => {
    const before = [...evidence.exchanges].reverse().find((x) => x.at <= n.at);
    const relative = before
      ? `${n.at - before.at} ms after ${esc(before.method)} ${esc(new URL(before.url, "http://x").pathname)}`
      : "";
    return `<tr><td>${esc(n.agent)}</td><td>+${n.at} ms<br><span class="muted">${relative}</span></td><td>${esc(n.channel)}</td><td>${full ? `<pre class="body">${esc(clip(json(n.data, false), 300))}</pre>` : `<code>${esc(clip(json(n.data, false), 100))}</code>`}</td></tr>`;
  });
  return `<h4>CometD messages received (${evidence.notifications.length})</h4><table class="notifications"><thead><tr><th>agent</th><th>received</th><th>channel</th><th>data</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function renderViolations(evidence: Evidence): string {
  if (evidence.violations.length === 0) return "";
  const shown = new Set<string>();
  const rows = evidence.violations.map((v) => {
    // The actual value is shown once per document and pointer, however many keywords it breaks.
    const key = `${v.what}\u0000${v.pointer}`;
    const actual = shown.has(key)
      ? `<span class="muted">(as above)</span>`
      : `<pre class="body">${esc(v.actual === undefined ? "(absent)" : json(v.actual, JSON.stringify(v.actual).length > 60))}</pre>`;
    shown.add(key);
    return `<tr><td>${esc(v.what)}</td><td><code>${esc(v.schema)}</code></td><td><code>${esc(v.pointer)}</code></td><td>${esc(v.keyword)}: ${esc(v.message)}${v.params && Object.keys(v.params).length ? ` <code>${esc(JSON.stringify(v.params))}</code>` : ""}</td><td>${actual}</td></tr>`;
  });
  return `<h4>Schema violations (${evidence.violations.length})</h4><table class="violations"><thead><tr><th>document</th><th>schema</th><th>pointer</th><th>expected</th><th>actual</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** What a clause says: a requirement's quote (a protocol clause's reference too), or the register entry's title. */
function clauseText(clause: string): string | undefined {
  const model = specModel();
  try {
    if (clause.startsWith("AMB-")) return model.ambiguity(clause).title;
    const r = model.requirement(clause);
    return r.reference ? `${r.reference}: “${r.quote}”` : `“${r.quote}”`;
  } catch {
    return undefined;
  }
}

/** Every expectation the check asserted: level, clause (what it says as a tooltip, and below a broken one), outcome. */
function renderExpectations(expectations: ExpectationResult[]): string {
  if (expectations.length === 0) return "";
  const rows = expectations.map((e) => {
    const about = clauseText(e.clause);
    const anchor = e.level === "decided" ? `amb-${e.clause}` : `req-${e.clause}`;
    const quote = about && e.outcome !== "held" ? `<div class="muted">${esc(e.clause)}: ${esc(about)}</div>` : "";
    return `<tr class="e-${e.outcome}"><td>${levelBadge(e.level)}</td><td><a href="#${esc(anchor)}"${about ? ` title="${esc(about)}"` : ""}><code>${esc(e.clause)}</code></a></td><td class="eo">${e.outcome}</td><td>${esc(e.message)}${quote}</td></tr>`;
  });
  return `<h4>Expectations (${expectations.length})</h4><table class="expectations"><thead><tr><th>level</th><th>clause</th><th>outcome</th><th>expected, or what was wrong</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export function renderCheck(c: CheckResult, profile: ConformanceResults["profile"]): { summary: string; body: string } {
  const model = specModel();
  const full = c.outcome !== "passed" && c.outcome !== "not-applicable";
  // Failed checks quote what they verify and the decisions they rest on; the others link to them (size).
  const requirements = c.requirements.map((id) => {
    const r = full ? model.requirements.find((x) => x.id === id) : undefined;
    return `<li><a href="#req-${esc(id)}"><code>${esc(id)}</code></a>${r ? ` “${esc(r.quote)}”` : ""}</li>`;
  });
  // The decisions a failure names are spelled out; the others link to the register section (size).
  const ambiguities = c.ambiguities.map((id) => {
    const a = full ? model.ambiguities.find((x) => x.id === id) : undefined;
    const named = a && c.reason?.includes(id);
    return `<li><a href="#amb-${esc(id)}"><code>${esc(id)}</code></a>${a && named ? ` <b>${esc(a.title)}</b>: ${esc(a.decision[profile])}` : ""}</li>`;
  });
  const waiver = c.waiver
    ? `<p class="waiver">Waiver (${esc(c.waiver.status)}): ${esc(c.waiver.reason)} — owner ${esc(c.waiver.owner)}, expires ${esc(c.waiver.expires)}</p>`
    : "";
  const body = `${c.reason ? `<p class="reason">${esc(c.reason)}</p>` : ""}${waiver}
${renderExpectations(c.expectations ?? [])}
${requirements.length ? `<h4>Verifies</h4><ul class="${full ? "reqs" : "inline"}">${requirements.join("")}</ul>` : ""}
${ambiguities.length ? `<h4>Rests on these ambiguity decisions (${profile})</h4><ul class="${full ? "ambs" : "inline"}">${ambiguities.join("")}</ul>` : ""}
${renderViolations(c.evidence)}${renderExchanges(c.evidence, full)}${renderNotifications(c.evidence, full)}
${c.evidence.notes.length ? `<h4>Notes</h4><ul>${c.evidence.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
${full ? "" : `<p class="muted">Full evidence of this check is in results.json.</p>`}`;
  const summary = `<details class="check o-${c.outcome}" id="check-${esc(c.id)}" data-id="${esc(c.id)}" data-outcome="${c.outcome}" data-family="${esc(c.family)}" data-operation="${esc(c.operation ?? "request")}"${full ? " open" : ""}>
<summary><span class="pill o-${c.outcome}">${OUTCOME_LABEL[c.outcome]}</span> <code class="id">${esc(c.id)}</code> <span class="title">${esc(c.title)}</span> <span class="muted">${c.durationMs} ms</span></summary>
<div class="check-body"></div>
</details>`;
  return { summary, body };
}

/**
 * The check bodies travel as one gzip'd, base64'd JSON array (in check order) that the page unpacks with the
 * browser's own DecompressionStream after it has loaded: a megabyte of evidence costs the HTML parser a tenth
 * of that, so a 200-check report with a hundred failures still opens in well under a second.
 */
export const EVIDENCE_ID = "evidence";
export const packEvidence = (bodies: string[]) => gzipSync(JSON.stringify(bodies), { level: 9 }).toString("base64");

/** The report's check bodies, unpacked: what a reader sees once the page has opened (for tests and greps). */
export function reportEvidence(html: string): string[] {
  const packed = new RegExp(`<script type="application/gzip;base64" id="${EVIDENCE_ID}">([^<]*)</script>`).exec(html);
  if (!packed) throw new Error("This is not a gws-conformance report: it has no packed evidence.");
  return JSON.parse(gunzipSync(Buffer.from(packed[1]!, "base64")).toString("utf8")) as string[];
}
