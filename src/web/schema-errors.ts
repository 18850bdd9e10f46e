/**
 * Route-schema (Ajv) validation failures as one field and a sentence, for the `{error:{code,message,field}}`
 * shape: `field` is the dotted path of the bad value in its request part ("limit", "tags.2"), or the unknown or
 * missing property itself. Messages come from the schema, never from the request (they may be shown on HTML pages).
 */
import type { FastifySchemaValidationError } from 'fastify';

/** The request part Fastify names in `validationContext`. */
type SchemaErrorDataVar = 'body' | 'headers' | 'params' | 'querystring';

const PART_NOUNS: Record<SchemaErrorDataVar, string> = { querystring: 'query parameter', body: 'field', params: 'path parameter', headers: 'header' };

type AjvError = FastifySchemaValidationError & { propertyName?: string };

function pathOf(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `field` and `message` for the first failure of `errors` in `part` of the request. */
export function describeSchemaErrors(errors: readonly FastifySchemaValidationError[], part: SchemaErrorDataVar | undefined): { field?: string; message: string } {
  const noun = PART_NOUNS[part ?? 'body'];
  const all = errors as readonly AjvError[];
  // An unknown property (propertyNames enum) reports first; name the property, not the object holding it.
  const unknown = all.find((e) => e.keyword === 'propertyNames' || e.propertyName !== undefined);
  if (unknown) {
    const name = unknown.propertyName ?? String(unknown.params.propertyName ?? '');
    const allowed = all.find((e) => Array.isArray(e.params.allowedValues))?.params.allowedValues as string[] | undefined;
    const field = [...pathOf(unknown.instancePath), name].join('.');
    // The unknown name itself goes only in `field` (JSON): messages may be shown on HTML pages, which never echo requests.
    return { field, message: `Unknown ${noun}${allowed ? `; use ${allowed.join(', ')}` : ''}.` };
  }
  const first = all[0];
  if (!first) return { message: 'The request is not valid.' };
  const path = pathOf(first.instancePath);
  if (first.keyword === 'required') path.push(String(first.params.missingProperty));
  if (first.keyword === 'additionalProperties') path.push(String(first.params.additionalProperty));
  const field = path.join('.') || undefined;
  if (first.keyword === 'required') return { field, message: `The ${noun} "${field}" is required.` };
  if (first.keyword === 'additionalProperties') return { field, message: `Unknown ${noun}.` };
  const allowed = Array.isArray(first.params.allowedValues) ? ` (${(first.params.allowedValues as unknown[]).join(', ')})` : '';
  return { field, message: field ? `The ${noun} "${field}" ${first.message ?? 'is not valid'}${allowed}.` : `The request ${noun === 'field' ? 'body' : noun} ${first.message ?? 'is not valid'}.` };
}
