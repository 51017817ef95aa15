/**
 * The forecast and recommend reports' scripts. Forecast: the balance fan per day, monthly spend
 * percentiles, when the first call drops across trials and how often pools run out. Recommend:
 * the answer, its explanation and the balance of the trial that needs most.
 */
export const CLIENT_FORECAST = String.raw`"use strict";
(function () {
  var d = CC.data, r = d.report, cur = d.currency;
  var sec = function (ms) { return ms / 1e3; };
  var band = function (color) { return { series: [1, 3], fill: color }; };

  function fan() {
    var f = d.fan, x = f.dayMs.map(sec);
    var box = CC.section('Balance fan', 'Balance at the end of each UTC day over ' + r.trials + ' trial(s): the median (P50) and the band from P5 to P95 (' + cur + ').');
    CC.chart(box, 'Balance P5 / P50 / P95 (' + cur + ')', {
      scales: { y: { range: function (u, min, max) { return [Math.min(0, min), Math.max(0, max) * 1.05 + 1]; } } },
      axes: [CC.timeAxis(), CC.moneyAxis(cur)],
      bands: [band('rgba(51,102,204,0.18)')],
      series: [{}, { label: 'P95', stroke: '#7f9ad6', width: 1, value: function (u, v) { return CC.fixed2(v); } },
        { label: 'P50', stroke: '#3366cc', width: 2, value: function (u, v) { return CC.fixed2(v); } },
        { label: 'P5', stroke: '#7f9ad6', width: 1, value: function (u, v) { return CC.fixed2(v); } }],
    }, [x, f.p95Micros.map(CC.micros), f.p50Micros.map(CC.micros), f.p5Micros.map(CC.micros)],
    [{ key: 'day', label: 'day (UTC)' }, { key: 'p5', label: 'P5' }, { key: 'p50', label: 'P50' }, { key: 'p95', label: 'P95' }],
    function () { return f.dayMs.map(function (t, i) { return { day: CC.utc(t).slice(0, 10), p5: CC.fixed2(f.p5Micros[i] / 1e6), p50: CC.fixed2(f.p50Micros[i] / 1e6), p95: CC.fixed2(f.p95Micros[i] / 1e6) }; }); });
  }

  function monthly() {
    var months = r.months, x = months.map(function (m, i) { return i; });
    var box = CC.section('Spend per month', 'Credit spend per calendar month over trials: median and P5 to P95 band (' + cur + ').');
    var pick = function (k) { return months.map(function (m) { return CC.num(m.spent[k]); }); };
    CC.chart(box, 'Monthly spend P5 / P50 / P95 (' + cur + ')', {
      height: 260,
      scales: { x: { time: false, range: function () { return [-0.5, months.length - 0.5]; } } },
      axes: [{ label: 'month', splits: function () { return x; }, values: function (u, v) { return v.map(function (i) { return months[i] ? months[i].month : ''; }); } }, CC.moneyAxis(cur)],
      bands: [band('rgba(16,150,24,0.18)')],
      series: [{ label: 'month', value: function (u, i) { return months[i] ? months[i].month : ''; } },
        { label: 'P95', stroke: '#6fbf73', value: function (u, v) { return CC.fixed2(v); } },
        { label: 'P50', stroke: '#109618', width: 2, points: { show: true }, value: function (u, v) { return CC.fixed2(v); } },
        { label: 'P5', stroke: '#6fbf73', value: function (u, v) { return CC.fixed2(v); } }],
    }, [x, pick('p95'), pick('p50'), pick('p5')], [{ key: 'month' }, { key: 'p5', label: 'spent P5' }, { key: 'p50', label: 'spent P50' }, { key: 'p95', label: 'spent P95' }],
    function () { return months.map(function (m) { return { month: m.month, p5: m.spent.p5, p50: m.spent.p50, p95: m.spent.p95 }; }); });
  }

  function firstDrops() {
    var fd = r.firstDrop, list = d.firstDrops;
    var box = CC.section('When the first call drops', fd.share === 0 ? 'No call dropped in any trial.' :
      'In ' + Math.round(fd.share * 100) + '% of trials a call drops; first drop P5 ' + fd.p5 + ', P50 ' + fd.p50 + ', P95 ' + (fd.p95 === null ? 'none' : fd.p95) + '. Trials by the week of their first drop.');
    if (list.length === 0) return;
    var week = 7 * 86400000, start = Date.parse(r.horizon.from), counts = {};
    list.forEach(function (at) { var w = start + Math.floor((at - start) / week) * week; counts[w] = (counts[w] || 0) + 1; });
    var weeks = Object.keys(counts).map(Number).sort(function (a, b) { return a - b; });
    CC.chart(box, 'Trials by week of first drop', {
      height: 240,
      scales: { x: { range: [sec(start), sec(Date.parse(r.horizon.to))] } },
      axes: [CC.timeAxis(), { label: 'trials', size: 50 }],
      series: [{}, { label: 'trials', fill: '#d62728', stroke: '#d62728', paths: CC.bars(0.8), points: { show: false } }],
    }, [weeks.map(sec), weeks.map(function (w) { return counts[w]; })], [{ key: 'week', label: 'week from (UTC)' }, { key: 'trials' }],
    function () { return weeks.map(function (w) { return { week: CC.utc(w).slice(0, 10), trials: counts[w] }; }); });
  }

  function pools() {
    var list = r.pools;
    var box = CC.section('Pools that run out', list.length === 0 ? 'No pool ran out in any trial.' : 'Share of trials in which each pool ran out, with the median instant it did.');
    if (list.length === 0) return;
    var x = list.map(function (p, i) { return i; }), name = function (p) { return p.month + ' ' + p.capability + ' ' + p.country + ' ' + p.kind; };
    CC.chart(box, 'Share of trials in which a pool ran out (%)', {
      height: 260,
      scales: { x: { time: false, range: function () { return [-0.6, list.length - 0.4]; } }, y: { range: [0, 100] } },
      axes: [{ splits: function () { return x; }, rotate: -30, size: 90, values: function (u, v) { return v.map(function (i) { return list[i] ? name(list[i]) : ''; }); } }, { label: '% of trials', size: 50 }],
      series: [{ label: 'pool', value: function (u, i) { return list[i] ? name(list[i]) : ''; } }, { label: 'ran out in', fill: '#ff9900', stroke: '#ff9900', paths: CC.bars(0.6), points: { show: false }, value: function (u, v) { return v === null ? '' : v.toFixed(0) + '%'; } }],
    }, [x, list.map(function (p) { return p.exhaustedShare * 100; })], [{ key: 'pool' }, { key: 'share', label: 'share of trials' }, { key: 'p50', label: 'median instant (UTC)' }],
    function () { return list.map(function (p) { return { pool: name(p), share: p.exhaustedShare, p50: p.exhaustedP50 }; }); });
  }

  function recommend() {
    var box = CC.section('Why', 'How the answer was found, trial by trial.');
    var ul = CC.el('ul');
    r.explanation.forEach(function (line) { ul.appendChild(CC.el('li', '', line)); });
    box.appendChild(ul);
    d.worst.forEach(worstTrial);
  }

  // A shaded band over the month in which a tenth less first drops a call.
  function shadeMonth(t) {
    return function (u) {
      var left = u.valToPos(sec(t.monthStartMs), 'x', true), right = u.valToPos(sec(t.monthEndMs), 'x', true), ctx = u.ctx;
      left = Math.max(left, u.bbox.left); right = Math.min(right, u.bbox.left + u.bbox.width);
      if (right <= left) return;
      ctx.save(); ctx.fillStyle = 'rgba(214,39,40,0.12)'; ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height); ctx.restore();
    };
  }

  function worstTrial(w) {
    var t = w.tenthLess, x = w.dayMs.map(sec);
    var drops = t === null ? 'It is the minimum purchase: no smaller amount can be bought.' : t.firstDropMs === null
      ? 'A tenth less (' + t.amount + ' ' + cur + ', dashed) drops nothing in any trial either.'
      : 'A tenth less (' + t.amount + ' ' + cur + ', dashed, in this trial) drops calls in ' + t.dropping + ' of ' + t.trials + ' trial(s); the first at ' + CC.utc(t.firstDropMs) + ': ' + t.month + ' (shaded red) decides the answer.';
    var part = CC.section('The trial that needs most: ' + w.label, 'Balance at the end of each UTC day in trial ' + (w.trial + 1) + ', funded with ' + w.initial + ' ' + cur + ' (' + cur + '). ' + drops);
    var series = [{}, { label: 'balance', stroke: '#3366cc', width: 2, paths: uPlot.paths.stepped({ align: 1 }), value: function (u, v) { return CC.fixed2(v); } }];
    var columns = [x, w.balanceMicros.map(CC.micros)];
    if (t !== null) {
      series.push({ label: 'a tenth less (' + t.amount + ')', stroke: '#d62728', width: 1.5, dash: [5, 4], paths: uPlot.paths.stepped({ align: 1 }), value: function (u, v) { return CC.fixed2(v); } });
      columns.push(t.balanceMicros.map(CC.micros));
    }
    if (t !== null && t.firstDropMs !== null) {
      var day = Math.max(0, Math.min(x.length - 1, Math.floor((t.firstDropMs - w.dayMs[0]) / 86400000)));
      series.push(Object.assign(CC.points('#d62728', 11), { label: 'first drop with a tenth less', value: function (u, v) { return v === null ? '' : CC.utc(t.firstDropMs); } }));
      columns.push(x.map(function (v, i) { return i === day ? 0 : null; }));
    }
    CC.chart(part, 'Worst trial, ' + w.label + ' (' + cur + ')', {
      height: 260,
      scales: { y: { range: function (u, min, max) { return [Math.min(0, min), Math.max(0, max) * 1.05 + 1]; } } },
      axes: [CC.timeAxis(), CC.moneyAxis(cur)],
      series: series,
      hooks: t !== null && t.monthStartMs !== null ? { drawClear: [shadeMonth(t)] } : {},
    }, columns, [{ key: 'day', label: 'day (UTC)' }, { key: 'balance' }, { key: 'tenthLess', label: 'a tenth less' }],
    function () { return w.dayMs.map(function (v, i) { return { day: CC.utc(v).slice(0, 10), balance: CC.fixed2(w.balanceMicros[i] / 1e6), tenthLess: t === null ? '' : CC.fixed2(t.balanceMicros[i] / 1e6) }; }); });
  }

  if (document.getElementById('main').getAttribute('data-kind') === 'recommend') recommend();
  else { fan(); monthly(); firstDrops(); pools(); }
  CC.everyFigure(r);
})();
`;
