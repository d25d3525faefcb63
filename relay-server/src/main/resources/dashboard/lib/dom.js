// Small DOM helpers shared by the views: element building, times, a virtualised list.

/** h('tag.class', {attr: value, onclick: fn, text: '...'}, ...children). Never sets style attributes (CSP). */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = value;
    else if (key === 'class') el.className += (el.className ? ' ' : '') + value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** "12 s ago", "3 min ago", "in 2 h"... relative to `now`. */
export function relative(ms, now) {
  if (ms === null || ms === undefined) return '—';
  const diff = Math.round((now - ms) / 1000);
  const abs = Math.abs(diff);
  const [value, unit] = abs < 60 ? [abs, 's'] : abs < 3600 ? [Math.floor(abs / 60), 'min']
    : abs < 86400 ? [Math.floor(abs / 3600), 'h'] : [Math.floor(abs / 86400), 'd'];
  if (abs < 5) return 'just now';
  return diff >= 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

export function absolute(ms) {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A <time> showing relative time, with the absolute time as its title; refreshed by refreshTimes(). */
export function time(ms, model) {
  return h('time', { datetime: ms ? new Date(ms).toISOString() : '', title: absolute(ms), 'data-ts': ms ?? '',
    text: relative(ms, model.now()) });
}

export function refreshTimes(root, model) {
  const now = model.now();
  root.querySelectorAll('time[data-ts]').forEach((el) => {
    const ts = Number(el.dataset.ts);
    if (ts) el.textContent = relative(ts, now);
  });
}

export function emptyState(text) {
  return h('p.empty', { text });
}

export function badge(text, kind = text) {
  return h('span.badge', { class: `b-${String(kind).replace(/[^a-z_-]/gi, '')}`, text });
}

/**
 * A list that renders only the rows in view, so thousands of items cost a screenful of DOM. Rows
 * have a fixed height (CSS var --row). Keyboard: ArrowUp/ArrowDown or j/k move, Enter opens.
 */
export class VirtualList {
  constructor({ rowHeight = 32, render, onOpen, label }) {
    this.rowHeight = rowHeight;
    this.render = render;
    this.onOpen = onOpen;
    this.items = [];
    this.selected = -1;
    this.el = h('div.vlist', { tabindex: 0, role: 'listbox', 'aria-label': label || 'list' });
    this.spacer = h('div.vspacer');
    this.rows = h('div.vrows');
    this.el.append(this.spacer, this.rows);
    this.el.addEventListener('scroll', () => this.draw());
    this.el.addEventListener('keydown', (e) => this.key(e));
    this.el.addEventListener('click', (e) => {
      const row = e.target.closest('[data-index]');
      if (row && !e.target.closest('button, a, input, select')) this.select(Number(row.dataset.index), true);
    });
  }

  setItems(items) {
    const selectedItem = this.items[this.selected];
    this.items = items;
    if (selectedItem) this.selected = items.indexOf(selectedItem);
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    this.draw();
  }

  draw() {
    const top = this.el.scrollTop;
    const height = this.el.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - 5);
    const last = Math.min(this.items.length, Math.ceil((top + height) / this.rowHeight) + 5);
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i += 1) {
      const row = this.render(this.items[i], i);
      row.dataset.index = i;
      row.classList.add('vrow');
      row.setAttribute('role', 'option');
      if (i === this.selected) {
        row.classList.add('selected');
        row.setAttribute('aria-selected', 'true');
      }
      row.style.transform = `translateY(${i * this.rowHeight}px)`;
      fragment.append(row);
    }
    this.rows.replaceChildren(fragment);
  }

  select(index, open = false) {
    if (index < 0 || index >= this.items.length) return;
    this.selected = index;
    const rowTop = index * this.rowHeight;
    if (rowTop < this.el.scrollTop) this.el.scrollTop = rowTop;
    else if (rowTop + this.rowHeight > this.el.scrollTop + this.el.clientHeight) {
      this.el.scrollTop = rowTop + this.rowHeight - this.el.clientHeight;
    }
    this.draw();
    if (open && this.onOpen) this.onOpen(this.items[index]);
  }

  key(e) {
    if (e.target !== this.el) return;
    if (e.key === 'ArrowDown' || e.key === 'j') { this.select(Math.min(this.items.length - 1, this.selected + 1)); e.preventDefault(); }
    if (e.key === 'ArrowUp' || e.key === 'k') { this.select(Math.max(0, this.selected - 1)); e.preventDefault(); }
    if (e.key === 'Enter' && this.selected >= 0) { this.onOpen(this.items[this.selected]); e.preventDefault(); }
  }
}

/** Runs an action, showing the relay's error (or success) in `status`. */
export async function attempt(status, action, done = 'done') {
  status.textContent = '…';
  status.className = 'status';
  try {
    const result = await action();
    status.textContent = done;
    status.className = 'status ok';
    return result;
  } catch (e) {
    status.textContent = e.message;
    status.className = 'status error';
    return undefined;
  }
}
