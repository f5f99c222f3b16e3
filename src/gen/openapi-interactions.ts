// The OpenAPI operation on POST /api/v2/me/interactions/{id}: every catalog operation, told apart by
// operationName, with a Markdown table of what each one takes, answers and causes.
import type { Operation } from "../generated/schema-types.js";
import { unique, type JsonObject } from "./api-common.js";
import { CSRF_PARAMETER, json, responses, type Context } from "./openapi-responses.js";

/** A Markdown table; `|` in cells is escaped. */
function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

function operationRow(ctx: Context, op: Operation): string[] {
  const response = op.response[ctx.profile];
  const names = (paths: string[]) =>
    unique(paths)
      .map((p) => ctx.schemas.name(p))
      .join(" or ");
  const marks = [op.feature && `feature ${op.feature}`, op.auxiliary && "auxiliary"].filter(Boolean);
  return [
    op.operationName + (marks.length > 0 ? ` (${marks.join(", ")})` : ""),
    ctx.schemas.name(op.request[ctx.profile]),
    names(response.success) + (response.emptySuccessAllowed ? " or an empty body (AMB-EMPTY-200)" : ""),
    names(response.failure),
    op.validIn.join(", "),
    op.notifications.map((n) => `${n.variant} to the ${n.to}${n.state ? ` (${n.state})` : ""}`).join("; "),
    op.section,
    op.requirements.join(", "),
    op.ambiguities.join(", "),
  ];
}

/** POST /api/v2/me/interactions/{id}: every operation of the catalog, told apart by operationName. */
export function interactionOperations(ctx: Context): JsonObject {
  const ops = ctx.model.catalog.operations;
  const request = (op: Operation) => op.request[ctx.profile];
  const mapping = Object.fromEntries(ops.map((op) => [op.operationName, ctx.schemas.ref(request(op))]));
  return {
    operationId: "performInteractionOperation",
    summary: "An operation on an interaction, named by operationName",
    description: [
      "The operations supported on me/interactions/{id}: one POST whose JSON body names the operation in operationName. " +
        "Each row gives the request body, the success and failure bodies, the states the operation is valid in " +
        `(AMB-STATE-PRECONDITIONS), the notifications it causes on ${ctx.model.catalog.notificationChannel} (see the ` +
        "AsyncAPI document), and what it rests on. An operation marked with a feature is optional: a server without it " +
        "sets features.<name> false in the suite's configuration. An auxiliary operation is not in the page's table but " +
        "leads to another's precondition. An unparseable body or unknown operationName is refused as " +
        "AMB-UNPARSEABLE-REQUEST says.",
      table(
        [
          "operationName",
          "request",
          "success",
          "failure",
          "valid in",
          "notifications",
          "section",
          "requirements",
          "ambiguities",
        ],
        ops.map((op) => operationRow(ctx, op)),
      ),
    ].join("\n\n"),
    parameters: [CSRF_PARAMETER],
    requestBody: {
      required: true,
      content: json({
        oneOf: unique(ops.map(request)).map((p) => ({ $ref: ctx.schemas.ref(p) })),
        discriminator: { propertyName: "operationName", mapping },
      }),
    },
    responses: responses(
      ctx,
      ops.map((op) => op.response[ctx.profile]),
      true,
      ": the operation's success body (see the table)",
    ),
  };
}
