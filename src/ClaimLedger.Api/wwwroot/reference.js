// Renders the OpenAPI document as a reference with a small "try it" form per operation.
const main = document.getElementById('main');

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

const doc = await (await fetch('/openapi/v1.json')).json();
main.append(el('h1', {}, doc.info?.title || 'API'), el('p', {}, 'Send your key in the X-Api-Key header. Writes need If-Match with the claim\'s ETag.'));
for (const [path, operations] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(operations)) {
    const params = (op.parameters || []).map((p) => el('label', {}, `${p.name} (${p.in})`, el('input', { name: p.name, 'data-in': p.in })));
    const output = el('pre', { class: 'article' });
    const form = el('form', { class: 'action', onsubmit: async (e) => {
      e.preventDefault();
      const data = new FormData(e.target);
      let url = path;
      const query = new URLSearchParams();
      for (const input of e.target.querySelectorAll('input[data-in]')) {
        if (!input.value) continue;
        if (input.dataset.in === 'path') url = url.replace(`{${input.name}}`, encodeURIComponent(input.value));
        else if (input.dataset.in === 'query') query.set(input.name, input.value);
      }
      const headers = { 'X-Api-Key': data.get('key') || '' };
      if (data.get('ifMatch')) headers['If-Match'] = `"${data.get('ifMatch')}"`;
      if (data.get('body')) headers['Content-Type'] = 'application/json';
      const response = await fetch(`${url}${query.size ? `?${query}` : ''}`, { method: method.toUpperCase(), headers, body: data.get('body') || undefined });
      output.textContent = `${response.status} ${response.statusText}\n${await response.text()}`;
    } }, params,
      el('label', {}, 'API key', el('input', { name: 'key', type: 'password' })),
      method === 'post' ? [el('label', {}, 'If-Match (version)', el('input', { name: 'ifMatch' })), el('label', {}, 'JSON body', el('textarea', { name: 'body', rows: 4 }))] : [],
      el('button', { type: 'submit' }, 'Try it'), output);
    const responses = Object.entries(op.responses || {}).map(([code, r]) => `${code} ${r.description || ''}`).join(' · ');
    main.append(el('details', { class: 'card' }, el('summary', {}, el('strong', {}, method.toUpperCase()), ` ${path} — ${op.summary || ''}`),
      el('p', { class: 'muted' }, `Responses: ${responses}`), form));
  }
}
