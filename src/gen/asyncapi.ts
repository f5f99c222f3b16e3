// Generates docs/api/asyncapi.<profile>.json: the CometD notifications of the catalog as one AsyncAPI 3.0
// document per profile: the Bayeux endpoint, the /v2/me/interactions channel, one message and one send operation
// per notification variant, with that profile's notification schemas embedded from schemas/. They are embedded in
// AsyncAPI's default schema format, a superset of JSON Schema draft-07, so they may use no keyword draft-07 lacks.
import type { NotificationVariant } from "../generated/schema-types.js";
import { specModel, type Profile, type SpecModel } from "../model/catalog.js";
import { loadSchemaFiles, type SchemaFile } from "../model/schemas.js";
import { NOTIFICATIONS_PATH } from "../reference/notifier.js";
import {
  camel,
  ComponentSchemas,
  EXAMPLE_BASE_URL,
  documentInfo,
  securitySchemes,
  type JsonObject,
} from "./api-common.js";

export const asyncApiFile = (profile: Profile) => `docs/api/asyncapi.${profile}.json`;

const BAYEUX_MESSAGE = "notifications/bayeux-message.json";
// JSON Schema 2020-12 keywords that draft-07 does not have ($defs never reaches a component).
const NOT_IN_DRAFT_07 = new Set([
  "$anchor",
  "$dynamicAnchor",
  "$dynamicRef",
  "dependentRequired",
  "dependentSchemas",
  "prefixItems",
  "unevaluatedItems",
  "unevaluatedProperties",
  "minContains",
  "maxContains",
]);

/** Throws where an embedded schema would mean something else, or nothing, as draft-07. */
function assertDraft07(schemas: Record<string, JsonObject>): void {
  const visit = (node: unknown, at: string): void => {
    if (typeof node !== "object" || node === null) return;
    if (!Array.isArray(node) && "$ref" in node && Object.keys(node).length > 1) {
      throw new Error(
        `The schema at ${at} has keywords beside $ref, which draft-07 ignores: put them in an allOf with the $ref.`,
      );
    }
    for (const [key, value] of Object.entries(node)) {
      if (NOT_IN_DRAFT_07.has(key)) throw new Error(`The schema at ${at} uses ${key}, which draft-07 does not have.`);
      visit(value, `${at}/${key}`);
    }
  };
  for (const [name, schema] of Object.entries(schemas)) visit(schema, `#/components/schemas/${name}`);
}

/** Which operations cause a variant, to whom, in which state: "Accept (to the actor, state Processing)". */
function causes(model: SpecModel, variant: NotificationVariant): string {
  const sent = model.catalog.operations.flatMap((op) =>
    op.notifications
      .filter((n) => n.variant === variant)
      .map(
        (n) =>
          `${op.operationName} (to the ${n.to}${n.state ? `, state ${n.state}` : ""}; ${op.requirements.join(", ")})`,
      ),
  );
  return `Among the API's operations, these cause it: ${sent.join("; ")}.`;
}

function message(schemas: ComponentSchemas, variant: NotificationVariant, paths: string[]): JsonObject {
  const forms = paths.map((p) => schemas.name(p)).join(" or ");
  return {
    name: variant,
    title: `${variant} notification`,
    summary: `The ${variant} notification: a Bayeux message whose data is ${forms}.`,
    description:
      `The Bayeux message as a CometD subscriber receives it (${schemas.name(BAYEUX_MESSAGE)}); its data is ${forms}. ` +
      "Which forms each variant may take: AMB-NOTIFICATION-NAMES; how it is matched with the request that caused it: AMB-REFERENCE-ID.",
    contentType: "application/json",
    payload: {
      allOf: [{ $ref: schemas.ref(BAYEUX_MESSAGE) }, { type: "object", properties: { data: schemas.union(paths) } }],
    },
  };
}

export function generateAsyncApi(profile: Profile, files: SchemaFile[] = loadSchemaFiles()): JsonObject {
  const model = specModel();
  const schemas = new ComponentSchemas(files);
  const channel = model.catalog.notificationChannel;
  const variants = Object.entries(model.catalog.notificationSchemas[profile]) as [NotificationVariant, string[]][];
  const messages = Object.fromEntries(
    variants.map(([variant, paths]) => [camel(variant), message(schemas, variant, paths)]),
  );
  const operations = Object.fromEntries(
    variants.map(([variant]) => [
      camel(`send-${variant}`),
      {
        action: "send",
        channel: { $ref: "#/channels/interactions" },
        title: `Send the ${variant} notification`,
        description: `The server delivers it to the sessions of the agent it concerns. ${causes(model, variant)}`,
        messages: [{ $ref: `#/channels/interactions/messages/${camel(variant)}` }],
      },
    ]),
  );
  const body = {
    defaultContentType: "application/json",
    servers: {
      gws: {
        host: "{host}",
        protocol: "http",
        pathname: NOTIFICATIONS_PATH,
        title: "GWS CometD endpoint",
        description:
          "Bayeux (CometD 3) over HTTP long-polling; GWS does not support websocket (gws-facts: CometD notifications). " +
          "A client POSTs Bayeux messages here: /meta/handshake, authenticated like the REST API; /meta/subscribe to " +
          `${channel} (or /v2/me/*); then /meta/connect, whose held responses carry the notifications. ` +
          "Use https where the server does.",
        variables: {
          host: {
            default: new URL(EXAMPLE_BASE_URL).host,
            description: "Host and port of the server (the OpenAPI document's baseUrl without its scheme).",
          },
        },
        security: ["basicAuth", "sessionCookie"].map((name) => ({ $ref: `#/components/securitySchemes/${name}` })),
      },
    },
    channels: {
      interactions: {
        address: channel,
        title: "The agent's interactions",
        description:
          "seed: 'the true response arrives on the CometD topic (channel) /v2/me/interactions/' (AMB-CHANNEL-NAME). " +
          "Each agent receives the notifications of its own interactions only.",
        servers: [{ $ref: "#/servers/gws" }],
        messages,
      },
    },
    operations,
    components: {
      schemas: schemas.schemas(),
      securitySchemes: securitySchemes("httpApiKey"),
    },
  };
  assertDraft07(body.components.schemas);
  return {
    asyncapi: "3.0.0",
    info: {
      ...documentInfo(
        model,
        profile,
        "asyncapi",
        ["GWS Interactions notifications", "The CometD notifications of the GWS Interactions API"],
        body,
      ),
      tags: [
        {
          name: channel,
          description: `The notifications an agent receives on ${channel} about its own interactions.`,
        },
      ],
    },
    ...body,
  };
}
