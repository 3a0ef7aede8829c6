// Building the page: plain DOM, every piece of user text set as text, never as HTML.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false || child === '') continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const main = () => document.getElementById('main');

export function toast(text, ok = false) {
  const message = el('div', { class: ok ? 'message ok' : 'message' }, text);
  document.getElementById('toast').append(message);
  setTimeout(() => message.remove(), 8000);
}

/** Shows a new page: its heading gets focus, so keyboard and screen-reader users start at the top of what changed. */
export function showPage(title, ...content) {
  const heading = el('h1', { tabindex: -1 }, title);
  main().replaceChildren(heading, ...content);
  document.title = `${title} — ClaimLedger`;
  return heading;
}

let counter = 0;
export const uniqueId = (prefix) => `${prefix}-${++counter}`;

/**
 * User Timing marks around a page's rendering: `${page}:data` when the API has answered, and a measure named after the
 * page once the browser has painted what was built. The benchmark reads them; they cost nothing otherwise.
 */
export const markData = (page) => performance.mark(`${page}:data`);
export function markRendered(page) {
  requestAnimationFrame(() => setTimeout(() => {
    performance.mark(`${page}:painted`);
    performance.measure(page, `${page}:data`, `${page}:painted`);
  }));
}
