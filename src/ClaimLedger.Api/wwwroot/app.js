// ClaimLedger's web app: plain DOM in small modules under js/, no framework, every piece of user text set as text.
import { apiKey } from './js/api.js';
import { showList } from './js/list.js';
import { showClaim } from './js/claim.js';
import { showDocuments, showRegister, showDocument } from './js/documents.js';

const keyInput = document.getElementById('api-key');
const keyState = document.getElementById('key-state');

function route() {
  const hash = location.hash || '#/';
  const [path, search] = hash.slice(1).split('?');
  const params = new URLSearchParams(search || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  document.querySelectorAll('header nav a').forEach((a) => a.removeAttribute('aria-current'));
  const current = parts[0] === 'documents' ? 'nav-documents' : 'nav-claims';
  document.getElementById(parts[1] === 'new' ? 'nav-register' : current)?.setAttribute('aria-current', 'page');
  if (parts[0] === 'claims' && parts[1]) return showClaim(parts[1]);
  if (parts[0] === 'documents' && parts[1] === 'new') return showRegister(params);
  if (parts[0] === 'documents' && parts[1]) return showDocument(parts[1], params);
  if (parts[0] === 'documents') return showDocuments();
  return showList(params);
}

document.getElementById('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (keyInput.value) apiKey.set(keyInput.value.trim());
  keyInput.value = '';
  keyState.textContent = apiKey.get() ? 'Key set for this tab' : '';
  route();
});
keyState.textContent = apiKey.get() ? 'Key set for this tab' : '';
window.addEventListener('hashchange', route);
route();
document.querySelector('.skip').addEventListener('click', (e) => {
  e.preventDefault();
  document.getElementById('main').focus();
});
