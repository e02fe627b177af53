// Writes the committed OpenAPI documents from the contracts (`npm run openapi`).
import { writeFileSync } from 'node:fs';
import { hubOpenApiDocument, nodeOpenApiDocument } from '../src/openapi.ts';

const out = new URL('../openapi/', import.meta.url);
writeFileSync(new URL('hub.json', out), `${JSON.stringify(hubOpenApiDocument(), null, 2)}\n`);
writeFileSync(new URL('node.json', out), `${JSON.stringify(nodeOpenApiDocument(), null, 2)}\n`);
console.log('wrote contracts/openapi/hub.json and node.json');
