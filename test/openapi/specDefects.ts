// The one list of defects of Autodesk's OpenAPI files themselves (test/openapi/*.yaml) that the conformance
// check corrects before validating, each with its reason. Nothing else is excused: a body that fails the
// corrected files fails the test, and each correction must still be needed by the traffic the test checks.
import type { Json, SpecFix } from './conformance';

export interface SpecDefect extends SpecFix {
  /** Why the spec, not the emulator, is wrong here (sources: seeds/, the spec's own examples, aps-api.md). */
  reason: string;
}

function schemas(doc: Json): Json {
  return (doc.components as Json).schemas as Json;
}

function operation(doc: Json, path: string, method: string): Json {
  return ((doc.paths as Json)[path] as Json)[method] as Json;
}

export const SPEC_DEFECTS: readonly SpecDefect[] = [
  {
    id: 'extension-data-values-typed-object',
    file: 'datamanagement.yaml',
    reason:
      'extension.data is "key-value pairs" whose values the same file shows as strings, booleans and arrays (projectType: "BIM360", ' +
      'isRoot: false, allowedTypes: [...] in its own examples, and in the topFolders reference page), but types every value as an object.',
    fix(doc) {
      let fixed = false;
      for (const name of [
        'folder_extension_with_schema_link',
        'top_folder_extension_with_schema_link',
        'version_extension_with_schema_link',
        'item_extension_with_schema_link',
        'base_attributes_extension_object_with_schema_link',
        'base_attributes_extension_object_without_schema_link',
        'project_extension_with_schema_link',
      ]) {
        const data = ((schemas(doc)[name] as Json).properties as Json).data as Json;
        if ((data.additionalProperties as Json | undefined)?.type === 'object') {
          data.additionalProperties = {};
          fixed = true;
        }
      }
      return fixed;
    },
  },
  {
    id: 'created-download-data-array',
    file: 'datamanagement.yaml',
    reason:
      'CreatedDownload types data as an array of one job, while the reference page (seeds/000) and the schema\'s own example answer one ' +
      'object: the data object of the 202 takes either form.',
    fix(doc) {
      const data = ((schemas(doc).CreatedDownload as Json).properties as Json).data as Json;
      if (data.type !== 'array') return false;
      ((schemas(doc).CreatedDownload as Json).properties as Json).data = { oneOf: [data.items, data] };
      return true;
    },
  },
  {
    id: 'job-type-enum-downloads',
    file: 'datamanagement.yaml',
    reason: 'type_job allows only "downloads" while its own description says "jobs", which the reference page (seeds/000) and the spec\'s examples of Job and CreatedDownload show.',
    fix(doc) {
      const typeJob = schemas(doc).type_job as Json;
      if (JSON.stringify(typeJob.enum) !== '["downloads"]') return false;
      typeJob.enum = ['jobs'];
      return true;
    },
  },
  {
    id: 'listing-min-items',
    file: 'datamanagement.yaml',
    reason:
      'Projects and Versions require at least one entry, yet a hub can have no active project, and a page asked for past the last one ' +
      '(the product asks ahead while paging) has nothing on it; folder contents, the same kind of listing, allow an empty data array.',
    fix(doc) {
      let fixed = false;
      for (const name of ['Projects', 'Versions']) {
        const data = ((schemas(doc)[name] as Json).properties as Json).data as Json;
        if (data.minItems === 1) {
          delete data.minItems;
          fixed = true;
        }
      }
      return fixed;
    },
  },
  {
    id: 'create-download-error-statuses',
    file: 'datamanagement.yaml',
    reason: 'POST projects/:id/downloads declares only 202; its reference page (seeds/000) documents 400, 403 and 404 as well.',
    fix(doc) {
      const responses = operation(doc, '/data/v1/projects/{project_id}/downloads', 'post').responses as Json;
      if (responses['400'] || responses['403'] || responses['404']) return false;
      for (const status of ['400', '403', '404']) responses[status] = { $ref: `#/components/responses/${status}-general` };
      return true;
    },
  },
];
