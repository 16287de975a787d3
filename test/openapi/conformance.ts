// Checks response bodies against Autodesk's OpenAPI 3.0 files (vendored beside this file, see README.md).
// OpenAPI 3.0 schemas are JSON Schema with differences; they are translated, not loosened:
// - `nullable: true` adds null to the schema's type (and to its enum); without a type it changes nothing.
// - annotations JSON Schema does not know (`example`, `x-*` extensions, `discriminator`, `xml`,
//   `externalDocs`) are dropped; they never constrain a value.
// - formats are checked (ajv-formats, with OpenAPI's int32/int64/float/double/byte/binary/password).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export type Json = Record<string, unknown>;

export const SPEC_FILES = ['authentication.yaml', 'datamanagement.yaml', 'oss.yaml'] as const;
/** The vendored files; tests run from out/test/openapi, where esbuild copies no YAML, so from the source tree. */
export const SPEC_DIR = resolve(__dirname, '..', '..', '..', 'test', 'openapi');
export type SpecFile = (typeof SPEC_FILES)[number];

const ANNOTATIONS = new Set(['example', 'discriminator', 'xml', 'externalDocs']);
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An OpenAPI 3.0 Schema Object as draft-07 JSON Schema; `$ref`s to components become `#/definitions/…`. */
export function toJsonSchema(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') || ANNOTATIONS.has(key) || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace('#/components/schemas/', '#/definitions/');
    else if (key === 'properties' && isObject(value)) out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]));
    else if ((key === 'items' || key === 'not' || key === 'additionalProperties') && isObject(value)) out[key] = toJsonSchema(value);
    else if (SUBSCHEMA_LISTS.includes(key) && Array.isArray(value)) out[key] = value.map(toJsonSchema);
    else out[key] = value;
  }
  if (schema.nullable === true) {
    if (typeof out.$ref === 'string') return { anyOf: [{ $ref: out.$ref }, { type: 'null' }] };
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

interface Operation {
  file: SpecFile;
  operationId: string;
  method: string;
  template: string;
  segments: string[];
  responses: Json;
  requestBody?: Json;
}

export interface Checked {
  file: SpecFile;
  operationId: string;
  status: number;
  /** The media type the schema was taken from (it may differ from the one the response carried). */
  mediaType?: string;
  /** Set when the answer carried a JSON media type the operation does not declare for that status. */
  undeclaredMediaType?: string;
  /** Set when the operation declares no such status. */
  undeclaredStatus?: boolean;
  /** Set when the spec gives no schema for this status (nothing to check). */
  noSchema?: boolean;
  errors: ErrorObject[];
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** A correction of one defect of the spec itself (see specDefects.ts). */
export interface SpecFix {
  id: string;
  file: SpecFile;
  /** Changes the parsed file; answers false when it found nothing to change (the defect is gone). */
  fix(doc: Json): boolean;
}

/** Autodesk's OpenAPI files, compiled once, with the given corrections applied. */
export class Conformance {
  private readonly ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  private readonly operations: Operation[] = [];
  private readonly docs = new Map<SpecFile, Json>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(fixes: readonly SpecFix[] = [], dir = SPEC_DIR) {
    addFormats(this.ajv);
    for (const format of ['int32', 'int64', 'float', 'double']) this.ajv.addFormat(format, { type: 'number', validate: () => true });
    for (const file of SPEC_FILES) {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as Json;
      for (const fix of fixes.filter((candidate) => candidate.file === file)) {
        if (!fix.fix(doc)) throw new Error(`spec defect ${fix.id}: ${file} no longer has it`);
      }
      this.docs.set(file, doc);
      const components = (doc.components ?? {}) as Json;
      const definitions = Object.fromEntries(Object.entries((components.schemas ?? {}) as Json).map(([name, schema]) => [name, toJsonSchema(schema)]));
      this.ajv.addSchema({ $id: schemaId(file), definitions });
      for (const [template, item] of Object.entries((doc.paths ?? {}) as Json)) {
        for (const [method, operation] of Object.entries(item as Json)) {
          if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue;
          const op = operation as Json;
          this.operations.push({
            file,
            operationId: String(op.operationId ?? `${method} ${template}`),
            method: method.toUpperCase(),
            template,
            segments: template.split('/').filter(Boolean),
            responses: (op.responses ?? {}) as Json,
            ...(op.requestBody ? { requestBody: op.requestBody as Json } : {}),
          });
        }
      }
    }
  }

  /** The operation a request went to, by method and path template (`{param}` matches one segment). */
  operationFor(method: string, path: string): Operation | undefined {
    const segments = path.split('/').filter(Boolean);
    return this.operations.find(
      (op) => op.method === method.toUpperCase() && op.segments.length === segments.length && op.segments.every((segment, index) => /^\{.+\}$/.test(segment) || segment === segments[index]),
    );
  }

  /** Checks one response; undefined when no spec file describes the path. */
  check(method: string, path: string, status: number, contentType: string, body: unknown): Checked | undefined {
    const op = this.operationFor(method, path);
    if (!op) return undefined;
    const base = { file: op.file, operationId: op.operationId, status };
    const response = this.resolveResponse(op, status);
    if (!response) return { ...base, undeclaredStatus: true, errors: [] };
    const content = (response.content ?? {}) as Json;
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    let declared = mediaType in content ? mediaType : undefined;
    let undeclaredMediaType: string | undefined;
    if (!declared && isJsonMediaType(mediaType)) {
      declared = Object.keys(content).find(isJsonMediaType);
      if (declared) undeclaredMediaType = mediaType;
    }
    const schema = declared ? (content[declared] as Json | undefined)?.schema : undefined;
    if (!declared || schema === undefined) return { ...base, ...(undeclaredMediaType ? { undeclaredMediaType } : {}), noSchema: true, errors: [] };
    const validate = this.validator(op, status, declared, schema);
    validate(body);
    return { ...base, mediaType: declared, ...(undeclaredMediaType ? { undeclaredMediaType } : {}), errors: [...(validate.errors ?? [])] };
  }

  /** Checks a request body against the operation's requestBody (by its media type); undefined when no spec file describes the path. */
  checkRequest(method: string, path: string, contentType: string, body: unknown): Checked | undefined {
    const op = this.operationFor(method, path);
    if (!op) return undefined;
    const base = { file: op.file, operationId: op.operationId, status: 0 };
    const content = (op.requestBody?.content ?? {}) as Json;
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    const schema = (content[mediaType] as Json | undefined)?.schema;
    if (schema === undefined) return { ...base, undeclaredMediaType: mediaType, noSchema: true, errors: [] };
    const validate = this.validator(op, 0, `request ${mediaType}`, schema);
    validate(body);
    return { ...base, mediaType, errors: [...(validate.errors ?? [])] };
  }

  private resolveResponse(op: Operation, status: number): Json | undefined {
    const found = (op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default) as Json | undefined;
    if (!found) return undefined;
    if (typeof found.$ref === 'string') {
      const [, , kind, name] = found.$ref.split('/');
      return ((this.docs.get(op.file)?.components as Json)[kind] as Json)[name] as Json;
    }
    return found;
  }

  private validator(op: Operation, status: number, mediaType: string, schema: unknown): ValidateFunction {
    const key = `${op.file}|${op.operationId}|${status}|${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      // Inline schemas refer to components by `#/definitions/…` of the file they came from.
      validate = this.ajv.compile(rebase(toJsonSchema(schema), op.file) as Json);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/** Where a file's component schemas are registered (a URI, as ajv resolves references by URI). */
function schemaId(file: string): string {
  return `https://openapi.aps-explorer.invalid/${file}`;
}

function rebase(schema: unknown, file: string): unknown {
  if (Array.isArray(schema)) return schema.map((entry) => rebase(entry, file));
  if (!isObject(schema)) return schema;
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/') ? `${schemaId(file)}${value}` : rebase(value, file)]));
}
