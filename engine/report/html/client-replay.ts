/**
 * The replay report's script: balance with its events, spend per month by service beside pool
 * minutes, pools burning down, top spenders, reconciliation and rejects, then every --json figure.
 */
export const CLIENT_REPLAY = String.raw`"use strict";
(function () {
  var d = CC.data, r = d.report, s = d.series, cur = r.currency;
  var sec = function (ms) { return ms / 1e3; };
  var label = function (name) { name = String(name); return name.length > 16 ? name.slice(0, 15) + '\u2026' : name; };

  function balance() {
    var b = s.balance, x = b.atMs.map(sec), close = b.closeMicros.map(CC.micros), low = b.minMicros.map(CC.micros);
    var endX = sec(Date.parse(r.period.end));
    if (x.length === 0 || x[x.length - 1] < endX) {
      x.push(endX); close.push(CC.num(r.credits.closing)); low.push(CC.num(r.credits.closing));
      ['purchases', 'failures', 'forfeits', 'drops'].forEach(function (k) { b[k].push(0); });
    }
    var at = function (counts) { return counts.map(function (n, i) { return n > 0 ? low[i] : null; }); };
    var belowZero = x.map(function (t) { return s.firstBelowZeroAt !== null && Math.floor(s.firstBelowZeroAt / s.bucketMs) * s.bucketMs / 1e3 === t ? 0 : null; });
    var box = CC.section('Balance over time', 'Communications Credits balance at the end of each ' + (s.bucketMs === 3600000 ? 'hour' : 'day') +
      ' with an event (' + cur + '), its lowest point in that ' + (s.bucketMs === 3600000 ? 'hour' : 'day') + ', and the hours with purchases, failed recharges, forfeits, drops' +
      (s.firstBelowZeroAt === null ? '' : ' and the moment it first went below zero (' + CC.utc(s.firstBelowZeroAt) + ')') + '.');
    var stepped = uPlot.paths.stepped({ align: 1 });
    var count = function (counts) { return function (u, v, si, i) { return v === null ? '' : counts[i] + ' at ' + CC.fixed2(v); }; };
    CC.chart(box, 'Balance (' + cur + ')', {
      scales: { y: { range: function (u, min, max) { return [Math.min(0, min), Math.max(0, max) * 1.05 + 1]; } } },
      axes: [CC.timeAxis(), CC.moneyAxis(cur)],
      series: [{}, { label: 'balance', stroke: '#3366cc', width: 2, paths: stepped, value: function (u, v) { return CC.fixed2(v); } },
        { label: 'lowest in bucket', stroke: '#9ab', width: 1, dash: [4, 3], paths: stepped, value: function (u, v) { return CC.fixed2(v); } },
        Object.assign(CC.points('#2a9d3a'), { label: 'purchases', value: count(b.purchases) }),
        Object.assign(CC.points('#e08a00'), { label: 'failed recharges', value: count(b.failures) }),
        Object.assign(CC.points('#8a3ab9'), { label: 'forfeits', value: count(b.forfeits) }),
        Object.assign(CC.points('#d62728', 7), { label: 'drops', value: count(b.drops) }),
        Object.assign(CC.points('#000', 12), { label: 'below zero', value: function (u, v) { return v === null ? '' : 'first below zero'; } })],
      hooks: { drawAxes: [zeroLine] },
    }, [x, close, low, at(b.purchases), at(b.failures), at(b.forfeits), at(b.drops), belowZero],
    [{ key: 'at', label: 'end of bucket (UTC)' }, { key: 'balance' }, { key: 'lowest' }, { key: 'purchases' }, { key: 'failed' }, { key: 'forfeits' }, { key: 'drops' }],
    function () { return x.map(function (t, i) { return { at: CC.utc(t * 1e3), balance: CC.fixed2(close[i]), lowest: CC.fixed2(low[i]), purchases: b.purchases[i], failed: b.failures[i], forfeits: b.forfeits[i], drops: b.drops[i] }; }); });
  }
  function zeroLine(u) {
    var y = Math.round(u.valToPos(0, 'y', true)), ctx = u.ctx;
    ctx.save(); ctx.strokeStyle = '#c33'; ctx.lineWidth = 1; ctx.beginPath();
    ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y); ctx.stroke(); ctx.restore();
  }

  var postpaid = r.billing === 'postpaid';
  // A postpaid month's invoice by service, from the --json split: amounts as exact micros.
  function invoiceRow(invoice) {
    var by = { outbound: 0, dialout: 0, tollfree_in: 0 };
    invoice.split.forEach(function (line) { by[line.service] = (by[line.service] || 0) + Math.round(Number(line.amount) * 1e6); });
    return { outboundMicros: by.outbound, dialoutMicros: by.dialout, tollfree_inMicros: by.tollfree_in, amount: invoice.amount };
  }

  function months() {
    var byMonth = {};
    if (postpaid) r.invoices.forEach(function (invoice) { byMonth[invoice.month] = invoiceRow(invoice); });
    else s.spendByService.forEach(function (m) { byMonth[m.month] = m; });
    var poolMinutes = {};
    r.pools.forEach(function (p) { poolMinutes[p.month] = (poolMinutes[p.month] || 0) + p.used; });
    var rows = (postpaid ? r.invoices : r.months).map(function (m) {
      var v = byMonth[m.month] || { outboundMicros: 0, dialoutMicros: 0, tollfree_inMicros: 0 };
      return { month: m.month, outbound: v.outboundMicros / 1e6, dialout: v.dialoutMicros / 1e6, tollfree: v.tollfree_inMicros / 1e6, spent: postpaid ? m.amount : m.spent, pool: poolMinutes[m.month] || 0 };
    });
    var x = rows.map(function (m, i) { return i; });
    var own = [null, rows.map(function (m) { return m.tollfree; }), rows.map(function (m) { return m.dialout; }), rows.map(function (m) { return m.outbound; })];
    var what = postpaid ? 'Invoice' : 'Spend';
    var box = CC.section(what + ' per month by service', (postpaid ? 'Each month\'s invoice (postpaid: charged whole in the month a call starts)' : 'Credit spend per calendar month') +
      ', stacked: outbound calls, conference dial-outs and toll-free inbound (' + cur + ', left axis); pool-covered minutes beside them (right axis).');
    var value = function (u, v, si, i) { return i === null || i === undefined ? '' : CC.fixed2(own[si][i]); };
    CC.chart(box, what + ' per month by service (' + cur + ') and pool minutes', {
      scales: { x: { time: false, range: function () { return [-0.6, rows.length - 0.4]; } }, min: { range: function (u, a, b) { return [0, Math.max(1, b) * 1.1]; } } },
      axes: [{ label: 'month', splits: function () { return x; }, values: function (u, v) { return v.map(function (i) { return rows[i] ? rows[i].month : ''; }); } },
        CC.moneyAxis(cur), { scale: 'min', side: 1, label: 'pool minutes', grid: { show: false } }],
      series: [{ label: 'month', value: function (u, i) { return rows[i] ? rows[i].month : ''; } },
        { label: 'toll-free', fill: '#f2b134', stroke: '#f2b134', paths: CC.bars(0.5), points: { show: false }, value: value },
        { label: 'dial-out', fill: '#70b77e', stroke: '#70b77e', paths: CC.bars(0.5), points: { show: false }, value: value },
        { label: 'outbound', fill: '#3366cc', stroke: '#3366cc', paths: CC.bars(0.5), points: { show: false }, value: value },
        { label: 'pool minutes', scale: 'min', stroke: '#555', width: 2, points: { show: true } }],
    }, [x, rows.map(function (m) { return m.outbound + m.dialout + m.tollfree; }), rows.map(function (m) { return m.outbound + m.dialout; }), own[3], rows.map(function (m) { return m.pool; })],
    [{ key: 'month' }, { key: 'outbound' }, { key: 'dialout', label: 'dial-out' }, { key: 'tollfree', label: 'toll-free' }, { key: 'spent', label: postpaid ? 'invoice (--json)' : 'spent (--json)' }, { key: 'pool', label: 'pool minutes' }],
    function () { return rows.map(function (m) { return { month: m.month, outbound: CC.fixed2(m.outbound), dialout: CC.fixed2(m.dialout), tollfree: CC.fixed2(m.tollfree), spent: m.spent, pool: m.pool }; }); });
  }

  var MEANING = { 'pool-80': 'a minute pool reached 80% drawn', 'pool-100': 'a minute pool ran out', 'balance-below-zero': 'the credits balance went below zero',
    'balance-exhausted': 'the credits balance reached zero', 'recharge-failed': 'an auto-recharge failed', 'recharge-succeeded': 'an auto-recharge bought credits' };
  function notices() {
    var kinds = Object.keys(r.notifications);
    var box = CC.section('Notifications', kinds.length === 0 ? 'The vendor would have sent no notification over the period.' :
      'The e-mails the vendor would have sent admins over the period, by kind: how many and the first (UTC).');
    if (kinds.length === 0) return;
    box.appendChild(CC.table('Notifications', [{ key: 'kind' }, { key: 'count' }, { key: 'first', label: 'first (UTC)' }, { key: 'meaning' }],
      kinds.map(function (k) { return { kind: k, count: r.notifications[k].count, first: r.notifications[k].first, meaning: MEANING[k] || '' }; })));
  }

  function pools() {
    var followed = {};
    s.poolDays.forEach(function (p) { followed[p.label] = p; });
    var chosen = r.pools.filter(function (p) { return followed[p.capability + '/' + p.country + '/' + p.month + '/' + p.kind] && p.minutes > 0; })
      .sort(function (a, b) { return (a.exhaustedAt ? 0 : 1) - (b.exhaustedAt ? 0 : 1) || b.used / b.minutes - a.used / a.minutes; }).slice(0, 6);
    var box = CC.section('Pools burning down', 'Minutes left at the end of each day in the ' + chosen.length + ' pools that ran out or were used most (of ' + r.pools.length + '), each in its month; a black mark where a pool ran out (the vendor sends its pool-100 notice) and a grey one where it reached 80% drawn (pool-80). Every pool is in the pools table below.');
    if (chosen.length === 0) { box.appendChild(CC.el('p', 'note', 'No pool was drawn.')); return; }
    var lines = chosen.map(function (p) {
      var days = followed[p.capability + '/' + p.country + '/' + p.month + '/' + p.kind], left = p.minutes, pts = [[sec(Date.parse(p.month + '-01T00:00:00Z')), left]];
      days.dayMs.forEach(function (day, i) { left -= days.usedMinutes[i]; pts.push([sec(day + 86400000), Math.max(0, left)]); });
      return pts;
    });
    var xs = [];
    lines.forEach(function (pts) { pts.forEach(function (pt) { xs.push(pt[0]); }); });
    var key = function (p) { return p.capability + '/' + p.country + '/' + p.month + '/' + p.kind; };
    var out = {}, eighty = {};
    chosen.forEach(function (p) { if (p.exhaustedAt) out[sec(Date.parse(p.exhaustedAt))] = 0; });
    s.poolNotices.forEach(function (n) {
      var p = chosen.filter(function (c) { return key(c) === n.label; })[0];
      if (!p) return;
      if (n.type === 'pool-100') out[sec(n.atMs)] = 0;
      else eighty[sec(n.atMs)] = p.minutes * 0.2;
    });
    Object.keys(out).concat(Object.keys(eighty)).forEach(function (t) { xs.push(Number(t)); });
    xs = xs.sort(function (a, b) { return a - b; }).filter(function (t, i, all) { return i === 0 || all[i - 1] !== t; });
    var columns = [xs].concat(lines.map(function (pts) { var m = {}; pts.forEach(function (pt) { m[pt[0]] = pt[1]; }); return xs.map(function (t) { return t in m ? m[t] : null; }); }));
    columns.push(xs.map(function (t) { return t in out ? 0 : null; }));
    columns.push(xs.map(function (t) { return t in eighty ? eighty[t] : null; }));
    var colors = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6'];
    CC.chart(box, 'Pool minutes left', {
      axes: [CC.timeAxis(), { label: 'minutes left', size: 60 }],
      series: [{}].concat(chosen.map(function (p, i) { return { label: p.capability + ' ' + p.country + ' ' + p.month + ' ' + p.kind, stroke: colors[i], width: 2, spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }) }; }))
        .concat([Object.assign(CC.points('#000', 10), { label: 'ran out (pool-100)', value: function (u, v) { return v === null ? '' : 'ran out'; } }),
          Object.assign(CC.points('#888', 8), { label: '80% drawn (pool-80)', value: function (u, v) { return v === null ? '' : '80% drawn'; } })]),
    }, columns, [{ key: 'pool' }, { key: 'minutes' }, { key: 'used' }, { key: 'exhaustedAt', label: 'ran out at (UTC)' }],
    function () { return chosen.map(function (p) { return { pool: p.capability + ' ' + p.country + ' ' + p.month + ' ' + p.kind, minutes: p.minutes, used: p.used, exhaustedAt: p.exhaustedAt || '' }; }); });
  }

  function ranked(title, note, list, color) {
    var box = CC.section(title, note);
    if (list.length === 0) { box.appendChild(CC.el('p', 'note', 'No credit spend.')); return; }
    var x = list.map(function (n, i) { return i; });
    CC.chart(box, title + ' (' + cur + ')', {
      height: 280,
      scales: { x: { time: false, range: function () { return [-0.6, list.length - 0.4]; } } },
      axes: [{ splits: function () { return x; }, rotate: -35, size: 90, values: function (u, v) { return v.map(function (i) { return list[i] ? label(list[i].name) : ''; }); } }, CC.moneyAxis(cur)],
      series: [{ label: 'name', value: function (u, i) { return list[i] ? list[i].name : ''; } }, { label: 'credit spend', fill: color, stroke: color, paths: CC.bars(0.7), points: { show: false }, value: function (u, v) { return CC.fixed2(v); } }],
    }, [x, list.map(function (n) { return n.spentMicros / 1e6; })], [{ key: 'name' }, { key: 'calls' }, { key: 'spent' }],
    function () { return list.map(function (n) { return { name: n.name, calls: n.calls, spent: CC.fixed2(n.spentMicros / 1e6) }; }); });
  }

  function reconciliation() {
    var rows = r.reconciliation.filter(function (row) { return CC.num(row.recorded) !== 0 || CC.num(row.rerated) !== 0; });
    var box = CC.section('Recorded vs re-rated charges', 'Per destination, the export\'s own charges against the same calls re-rated from the rate tables (' + cur + ').');
    if (rows.length === 0) { box.appendChild(CC.el('p', 'note', 'No recorded charge to reconcile.')); return; }
    var x = rows.map(function (row, i) { return i; });
    CC.chart(box, 'Recorded vs re-rated (' + cur + ')', {
      height: 280,
      scales: { x: { time: false, range: function () { return [-0.6, rows.length - 0.4]; } } },
      axes: [{ splits: function () { return x; }, rotate: -35, size: 90, values: function (u, v) { return v.map(function (i) { return rows[i] ? label(rows[i].destination) : ''; }); } }, CC.moneyAxis(cur)],
      series: [{ label: 'destination', value: function (u, i) { return rows[i] ? rows[i].destination : ''; } },
        { label: 'recorded', fill: '#c9d6f0', stroke: '#7f9ad6', paths: CC.bars(0.8), points: { show: false }, value: function (u, v) { return CC.fixed2(v); } },
        { label: 're-rated', fill: '#3366cc', stroke: '#3366cc', paths: CC.bars(0.35), points: { show: false }, value: function (u, v) { return CC.fixed2(v); } }],
    }, [x, rows.map(function (row) { return CC.num(row.recorded); }), rows.map(function (row) { return CC.num(row.rerated); })],
    [{ key: 'destination' }, { key: 'calls' }, { key: 'recorded' }, { key: 'rerated', label: 're-rated' }, { key: 'difference' }], function () { return rows; });
  }

  function rejects() {
    var reasons = Object.keys(r.rejects.byReason);
    var box = CC.section('Rejected rows by reason', r.rejects.count + ' row(s) rejected; each is in --rejects FILE with its file, line and reason.');
    if (reasons.length === 0) { box.appendChild(CC.el('p', 'note', 'No row was rejected.')); return; }
    var x = reasons.map(function (n, i) { return i; });
    CC.chart(box, 'Rejected rows by reason', {
      height: 240,
      scales: { x: { time: false, range: function () { return [-0.6, reasons.length - 0.4]; } } },
      axes: [{ splits: function () { return x; }, values: function (u, v) { return v.map(function (i) { return reasons[i] || ''; }); } }, { label: 'rows', size: 60 }],
      series: [{ label: 'reason', value: function (u, i) { return reasons[i] || ''; } }, { label: 'rows', fill: '#d62728', stroke: '#d62728', paths: CC.bars(0.6), points: { show: false } }],
    }, [x, reasons.map(function (k) { return r.rejects.byReason[k]; })], [{ key: 'reason' }, { key: 'rows' }],
    function () { return reasons.map(function (k) { return { reason: k, rows: r.rejects.byReason[k] }; }); });
  }

  if (!postpaid) balance();
  months();
  notices();
  pools();
  ranked('Top destinations by credit spend', 'Where the credits went, by rate-table destination.', s.topDestinations, '#0099c6');
  ranked('Top users by credit spend', 'Who spent the credits.', s.topUsers, '#990099');
  reconciliation();
  rejects();
  CC.everyFigure(r);
})();
`;
