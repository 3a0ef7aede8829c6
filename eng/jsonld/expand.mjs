// Expands JSON-LD with jsonld.js, offline: the schema.org context is served from the trimmed copy beside this file
// (the terms ClaimReview markup uses, with schema.org's own IRIs and value types), never fetched.
//   node eng/jsonld/expand.mjs FILE   prints the expanded form of FILE (a JSON-LD object or an array of them)
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import jsonld from 'jsonld';

const schemaOrg = JSON.parse(await readFile(fileURLToPath(new URL('./schema.org.context.jsonld', import.meta.url)), 'utf8'));
const schemaOrgAddresses = new Set(['https://schema.org', 'https://schema.org/', 'http://schema.org', 'http://schema.org/']);

const documentLoader = async (url) => {
  if (schemaOrgAddresses.has(url)) {
    return { contextUrl: null, documentUrl: url, document: schemaOrg };
  }
  throw new Error(`refusing to fetch ${url}: only the schema.org context is known offline`);
};

const file = process.argv[2];
if (!file) {
  console.error('usage: node expand.mjs FILE');
  process.exit(2);
}

const input = JSON.parse(await readFile(file, 'utf8'));
const expanded = await jsonld.expand(input, { documentLoader, safe: true });
process.stdout.write(JSON.stringify(expanded));
