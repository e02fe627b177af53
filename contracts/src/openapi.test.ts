import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { hubOpenApiDocument, nodeOpenApiDocument } from './openapi.ts';

const committed = (name: string) => readFileSync(new URL(`../openapi/${name}`, import.meta.url), 'utf8');
const generated = (name: string) => readFileSync(new URL(`../generated/${name}`, import.meta.url), 'utf8');

describe.each([
  ['hub', hubOpenApiDocument],
  ['node', nodeOpenApiDocument],
])('the %s OpenAPI document', (name, emit) => {
  it('is committed exactly as the contracts emit it (run `npm run openapi` after a change)', () => {
    expect(JSON.parse(committed(`${name}.json`))).toEqual(emit());
  });

  it('is valid OpenAPI 3.1 for an independent validator', async () => {
    const result = await validate(structuredClone(emit()) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('has generated types that match the committed document', async () => {
    const ast = await openapiTS(committed(`${name}.json`));
    const file = generated(`${name}.d.ts`);
    expect(file.slice(file.indexOf('export '))).toEqual(astToString(ast));
  });
});
