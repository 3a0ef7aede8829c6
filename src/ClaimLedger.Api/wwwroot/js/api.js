// Talking to the ledger's HTTP API with the key the reader pasted (kept for this browser tab only).
import { fieldWords } from './words.js';

const KEY = 'claimledger.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => (key ? sessionStorage.setItem(KEY, key) : sessionStorage.removeItem(KEY)),
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(path, { method = 'GET', body, ifMatch } = {}) {
  const headers = { Accept: 'application/json' };
  const key = apiKey.get();
  if (key) headers['X-Api-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch !== undefined) headers['If-Match'] = `"${ifMatch}"`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { detail: data });
  return { data, etag: response.headers.get('ETag') };
}

export const versionOf = (etag, fallback) => Number(String(etag ?? '').replaceAll('"', '')) || fallback;

/** A problem as a sentence a checker can act on: which field, what was expected. */
export function problemText(error) {
  if (error.status === 401) return 'Paste an API key above to see the ledger.';
  if (error.status === 403) return 'Your key may read, but not do this: ask an admin for a checker key.';
  if (error.problem?.errors) {
    return Object.entries(error.problem.errors)
      .map(([field, messages]) => `${fieldWords(field)}: ${messages.join(', ')}`).join('; ');
  }
  return error.message;
}
