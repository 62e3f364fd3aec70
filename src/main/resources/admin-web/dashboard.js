// netserver's admin dashboard: renders each stats reply the server pushes on /events (server-sent events).
// Counter names come from the replies themselves, so a counter added on the server shows without a change here.
'use strict';
(function () {
  const HISTORY = 300; // 5 minutes at one reply a second
  const history = {};   // listener -> {main: [], bytes: []}
  const $ = (sel, el) => (el || document).querySelector(sel);
  const fmt = n => n >= 1e9 ? (n / 1e9).toFixed(1) + 'G' : n >= 1e6 ? (n / 1e6).toFixed(1) + 'M'
    : n >= 1e4 ? (n / 1e3).toFixed(1) + 'k' : (Math.round(n * 10) / 10).toString();
  const reasonOf = name => name.replace(/^(refused|dropped)/, '').replace(/^./, c => c.toLowerCase());

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function figure(card, field, label) {
    let f = $('[data-field="' + field + '"]', card);
    if (!f) {
      const box = el('div', {class: 'figure'});
      f = el('b', {'data-field': field}, '0');
      box.append(f, el('small', {}, label));
      $('.figures', card).append(box);
    }
    return f;
  }

  function spark(card, key, label, values) {
    let svg = $('svg[data-spark="' + key + '"]', card);
    if (!svg) {
      card.append(el('div', {class: 'sparklabel'}, label));
      svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('class', 'spark');
      svg.setAttribute('data-spark', key);
      svg.setAttribute('viewBox', '0 0 ' + (HISTORY - 1) + ' 100');
      svg.setAttribute('preserveAspectRatio', 'none');
      svg.append(document.createElementNS('http://www.w3.org/2000/svg', 'polyline'));
      card.append(svg);
    }
    const max = Math.max(1, ...values);
    const offset = HISTORY - values.length;
    svg.firstChild.setAttribute('points', values.map((v, i) => (offset + i) + ',' + (100 - 95 * v / max).toFixed(1)).join(' '));
  }

  function card(name, l) {
    let c = $('[data-listener="' + CSS.escape(name) + '"]');
    if (!c) {
      c = el('article', {class: 'card', 'data-listener': name});
      const h = el('h2', {}, name + ' ');
      h.append(el('span', {'data-field': 'what'}));
      c.append(h, el('div', {class: 'figures'}), el('ul', {class: 'reasons'}));
      $('#listeners').append(c);
    }
    return c;
  }

  function render(reply) {
    $('#node').textContent = reply.node;
    const cluster = reply.cluster || {};
    $('#status').textContent = 'updated ' + new Date(reply.timestamp).toLocaleTimeString()
      + (cluster.clustered ? ' · cluster: ' + cluster.liveNodes + ' live, ' + cluster.departedNodes + ' departed' : '');
    Object.entries(reply.listeners || {}).forEach(([name, l]) => {
      const c = card(name, l);
      const counters = l.counters || {}, rates = l.rates || {};
      $('[data-field="what"]', c).textContent = l.kind + ' ' + l.protocol + ' · ' + l.instances + ' instance' + (l.instances === 1 ? '' : 's');
      const bytesPerSecond = (rates.bytesIn || 0) + (rates.bytesOut || 0);
      let main;
      if (l.kind === 'tcp') {
        main = rates.connectionsAccepted || 0;
        figure(c, 'active', 'active').textContent = fmt(counters.connectionsActive || 0);
        figure(c, 'accepted', 'accepted').textContent = fmt(counters.connectionsAccepted || 0);
        figure(c, 'connRate', 'conn/s').textContent = fmt(main);
      } else {
        main = rates.datagramsIn || 0;
        figure(c, 'datagrams', 'datagrams').textContent = fmt(counters.datagramsIn || 0);
        figure(c, 'echoed', 'echoed').textContent = fmt(counters.datagramsEchoed || 0);
        figure(c, 'dgramRate', 'dgram/s').textContent = fmt(main);
      }
      figure(c, 'bytesRate', 'bytes/s').textContent = fmt(bytesPerSecond);
      figure(c, 'bytesIn', 'bytes in').textContent = fmt(counters.bytesIn || 0);
      figure(c, 'bytesOut', 'bytes out').textContent = fmt(counters.bytesOut || 0);
      const list = $('.reasons', c);
      list.replaceChildren(...Object.keys(counters).filter(k => /^(refused|dropped)[A-Z]/.test(k)).map(k => {
        const li = el('li', {class: counters[k] > 0 ? 'nonzero' : '', 'data-reason': k});
        li.append(el('span', {}, (k.startsWith('refused') ? 'refused: ' : 'dropped: ') + reasonOf(k)), el('span', {}, fmt(counters[k])));
        return li;
      }));
      const h = history[name] || (history[name] = {main: [], bytes: []});
      h.main.push(main);
      h.bytes.push(bytesPerSecond);
      if (h.main.length > HISTORY) { h.main.shift(); h.bytes.shift(); }
      spark(c, 'main', l.kind === 'tcp' ? 'connections/s, 5 min' : 'datagrams/s, 5 min', h.main);
      spark(c, 'bytes', 'bytes/s, 5 min', h.bytes);
    });
    const nodes = Object.entries(reply.nodes || {});
    $('#nodes-section').hidden = !cluster.clustered && nodes.length <= 1;
    $('#nodes tbody').replaceChildren(...nodes.map(([name, n]) => {
      const tr = el('tr', {'data-node': name});
      tr.append(el('td', {}, name), el('td', {class: n.state === 'live' ? '' : 'departed'}, n.state + (n.reason ? ' (' + n.reason + ')' : '')),
        el('td', {}, Object.keys(n.listeners || {}).join(', ')));
      return tr;
    }));
  }

  const events = new EventSource('events');
  events.onmessage = e => render(JSON.parse(e.data));
  events.onerror = () => { $('#status').textContent = 'disconnected; retrying…'; };
})();
