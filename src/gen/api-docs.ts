// `npm run gen:docs`: the OpenAPI and AsyncAPI documents of every profile, as [file, text] pairs to write.
import { PROFILES } from "../model/catalog.js";
import { loadSchemaFiles, type SchemaFile } from "../model/schemas.js";
import { jsonText } from "./api-common.js";
import { asyncApiFile, generateAsyncApi } from "./asyncapi.js";
import { generateOpenApi, openApiFile } from "./openapi.js";

export function renderApiDocs(files: SchemaFile[] = loadSchemaFiles()): [string, string][] {
  return PROFILES.flatMap((profile): [string, string][] => [
    [openApiFile(profile), jsonText(generateOpenApi(profile, files))],
    [asyncApiFile(profile), jsonText(generateAsyncApi(profile, files))],
  ]);
}
