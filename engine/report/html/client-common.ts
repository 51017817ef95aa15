/**
 * The page script every report shares (plain browser JavaScript, run under the page's CSP): it
 * reads the data from its JSON element and builds every element with textContent, never HTML
 * text, so a string from an input stays text. Charts are uPlot; each has a title, axis units,
 * UTC dates, a hover legend and its numbers in a table below it (the text alternative).
 */
export const CLIENT_COMMON = String.raw`"use strict";
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var main = document.getElementById('main');
  var charts = [];
  window.__charts = charts;
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function section(title, note) {
    var box = el('section');
    box.appendChild(el('h2', '', title));
    if (note) box.appendChild(el('p', 'note', note));
    main.appendChild(box);
    return box;
  }
  function num(value) {
    if (value === null || value === undefined || value === '') return null;
    var n = Number(value);
    return isFinite(n) ? n : null;
  }
  function micros(value) { return value / 1e6; }
  function fixed2(v) { return v === null || v === undefined ? '' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function utc(ms) { return ms === null || ms === undefined ? '' : new Date(ms).toISOString().replace('.000Z', 'Z'); }
  function isNumeric(values) {
    return values.every(function (v) { return v === null || v === '' || (typeof v === 'number') || (typeof v === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(v)); });
  }
  function cellText(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
  // A table whose every column sorts on a click on its header (numbers as numbers).
  function table(caption, columns, rows) {
    var t = el('table');
    if (caption) t.appendChild(el('caption', '', caption));
    var head = el('tr');
    var numeric = columns.map(function (c) { return isNumeric(rows.map(function (r) { return r[c.key]; })); });
    var body = el('tbody');
    var order = { key: null, up: true };
    function fill(list) {
      while (body.firstChild) body.removeChild(body.firstChild);
      list.forEach(function (row) {
        var tr = el('tr');
        columns.forEach(function (c, i) { tr.appendChild(el('td', numeric[i] ? '' : 'text', cellText(row[c.key]))); });
        body.appendChild(tr);
      });
    }
    columns.forEach(function (c, i) {
      var th = el('th', numeric[i] ? '' : 'text', c.label || c.key);
      th.setAttribute('scope', 'col');
      th.addEventListener('click', function () {
        order.up = order.key === c.key ? !order.up : true;
        order.key = c.key;
        var sorted = rows.slice().sort(function (a, b) {
          var x = a[c.key], y = b[c.key];
          var d = numeric[i] ? (num(x) === null ? -Infinity : num(x)) - (num(y) === null ? -Infinity : num(y)) : cellText(x).localeCompare(cellText(y));
          return order.up ? d : -d;
        });
        fill(sorted);
      });
      head.appendChild(th);
    });
    var thead = el('thead');
    thead.appendChild(head);
    t.appendChild(thead);
    t.appendChild(body);
    fill(rows);
    return t;
  }
  function columnsOf(rows) {
    var keys = [];
    rows.forEach(function (r) { Object.keys(r).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
    return keys.map(function (k) { return { key: k }; });
  }
  function flatten(value, prefix, into) {
    Object.keys(value).forEach(function (k) {
      var v = value[k], name = prefix ? prefix + '.' + k : k;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, name, into);
      else into.push({ field: name, value: Array.isArray(v) ? JSON.stringify(v) : v });
    });
    return into;
  }
  // A long table costs the page more to lay out than all its charts: it is built when first opened.
  var EAGER_ROWS = 500;
  function later(summary, build) {
    var more = el('details');
    more.appendChild(el('summary', '', summary));
    more.addEventListener('toggle', function () { if (more.open && more.children.length === 1) more.appendChild(build()); });
    return more;
  }
  // Every key of the --json document as a table, known or not: a key added later shows up here.
  function everyFigure(document) {
    var box = section('Every figure of --json', 'The same document the command prints with --json, as tables; click a column header to sort.');
    var scalars = [];
    Object.keys(document).forEach(function (k) {
      var v = document[k];
      if (Array.isArray(v) && v.length > 0 && v.every(function (r) { return r !== null && typeof r === 'object' && !Array.isArray(r); })) {
        var rows = v.map(function (r) { return flatten(r, '', []).reduce(function (o, f) { o[f.field] = f.value; return o; }, {}); });
        if (rows.length <= EAGER_ROWS) box.appendChild(table(k + ' (' + v.length + ')', columnsOf(rows), rows));
        else box.appendChild(later(k + ' (' + v.length + ' rows)', function () { return table(k + ' (' + v.length + ')', columnsOf(rows), rows); }));
      } else if (Array.isArray(v)) {
        scalars.push({ field: k, value: v.length === 0 ? '(none)' : JSON.stringify(v) });
      } else if (v !== null && typeof v === 'object') {
        box.appendChild(table(k, [{ key: 'field' }, { key: 'value' }], flatten(v, '', [])));
      } else scalars.push({ field: k, value: v });
    });
    if (scalars.length > 0) box.insertBefore(table('values', [{ key: 'field' }, { key: 'value' }], scalars), box.children[2] || null);
  }
  function width() { return Math.max(320, Math.min(1060, main.clientWidth - 8)); }
  function moneyAxis(label) {
    return { label: label, size: 70, values: function (u, vals) { return vals.map(fixed2); } };
  }
  function timeAxis() { return { label: 'date (UTC)' }; }
  // A chart with its text alternative: the same numbers in a table below it.
  function chart(box, title, options, columns, altColumns, altRows) {
    var holder = el('div', 'chart');
    holder.setAttribute('role', 'img');
    holder.setAttribute('aria-label', title + ' (numbers in the table below)');
    box.appendChild(holder);
    options.title = title;
    options.width = options.width || width();
    options.height = options.height || 300;
    options.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };
    var plot = new uPlot(options, columns, holder);
    charts.push({ title: title, plot: plot, holder: holder });
    // The rows are made now, their table when first opened: a long period has thousands of hours.
    var rows = altRows();
    var more = el('details');
    more.appendChild(el('summary', '', 'Numbers of "' + title + '" (' + rows.length + ' rows)'));
    more.addEventListener('toggle', function () { if (more.open && more.children.length === 1) more.appendChild(table(title, altColumns, rows)); });
    box.appendChild(more);
    return plot;
  }
  function bars(size) { return uPlot.paths.bars({ size: [size || 0.6, 60], align: 0 }); }
  function points(color, size) {
    return { stroke: color, fill: color, paths: function () { return null; }, points: { show: true, size: size || 9, stroke: color, fill: color } };
  }
  var CC = { data: data, el: el, section: section, num: num, micros: micros, fixed2: fixed2, utc: utc, table: table, everyFigure: everyFigure,
    chart: chart, moneyAxis: moneyAxis, timeAxis: timeAxis, bars: bars, points: points, columnsOf: columnsOf };
`;
