/**
 * The sweep report's script: money tied up against drop share for every cell with the Pareto
 * frontier labelled, trigger x amount heat maps of drop share and forfeits, and the sortable cells.
 */
export const CLIENT_SWEEP = String.raw`"use strict";
(function () {
  var d = CC.data, r = d.report, cur = d.currency, cells = r.cells;
  var name = function (c) { return c.trigger + '/' + c.amount + '/' + c.mode; };
  var full = function (c) { return 'recharge ' + c.mode + ' ' + c.amount + ' below ' + c.trigger + ', initial ' + c.initial + ', delay ' + c.delaySeconds + ' s'; };

  // A cell is on the frontier when no other ties up less money without dropping more, or drops less without tying up more.
  var onFrontier = cells.map(function (c) {
    var a = CC.num(c.balanceAvg);
    return !cells.some(function (o) {
      var b = CC.num(o.balanceAvg);
      return o !== c && b <= a && o.dropShare <= c.dropShare && (b < a || o.dropShare < c.dropShare);
    });
  });

  function scatter() {
    var order = cells.map(function (c, i) { return i; }).sort(function (i, j) { return CC.num(cells[i].balanceAvg) - CC.num(cells[j].balanceAvg) || cells[i].dropShare - cells[j].dropShare; });
    var x = order.map(function (i) { return CC.num(cells[i].balanceAvg); });
    var all = order.map(function (i) { return cells[i].dropShare * 100; });
    var front = order.map(function (i) { return onFrontier[i] ? cells[i].dropShare * 100 : null; });
    var box = CC.section('Money tied up against the risk of a drop', 'Each recharge setting tried (' + cells.length + ' cells): the average balance over the horizon (' + cur + ') against the share of trials with a drop. The Pareto frontier (no other setting is better on both) is joined and labelled trigger/amount/mode.');
    CC.chart(box, 'Average balance (' + cur + ') against drop share (%)', {
      height: 360,
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, Math.max(5, max * 1.1)]; } } },
      axes: [CC.moneyAxis('average balance (' + cur + ')'), { label: 'trials with a drop (%)', size: 55 }],
      series: [{ label: 'cell', value: function (u, v, si, i) { return i === null || i === undefined ? '' : full(cells[order[i]]) + ', average balance ' + cells[order[i]].balanceAvg; } },
        Object.assign(CC.points('rgba(51,102,204,0.55)', 8), { label: 'cell', value: function (u, v) { return v === null ? '' : v.toFixed(0) + '% drop'; } }),
        { label: 'frontier', stroke: '#e08a00', width: 2, spanGaps: true, points: { show: true, size: 10, fill: '#e08a00', stroke: '#e08a00' }, value: function (u, v) { return v === null ? '' : v.toFixed(0) + '% drop'; } }],
      hooks: { draw: [function (u) {
        var ctx = u.ctx;
        ctx.save(); ctx.fillStyle = '#8a5a00'; ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
        var drawn = [];
        front.forEach(function (v, i) {
          if (v === null) return;
          var px = u.valToPos(x[i], 'x', true) + 6, py = u.valToPos(v, 'y', true) - 6;
          // Settings that tie exactly share one point: the first (least trigger and amount) names it.
          if (drawn.some(function (p) { return Math.abs(p[0] - px) < 40 * devicePixelRatio && Math.abs(p[1] - py) < 12 * devicePixelRatio; })) return;
          drawn.push([px, py]);
          ctx.fillText(name(cells[order[i]]), px, py);
        });
        ctx.restore();
      }] },
    }, [x, all, front], [{ key: 'cell', label: 'setting' }, { key: 'balanceAvg', label: 'average balance' }, { key: 'dropShare', label: 'drop share' }, { key: 'frontier' }],
    function () { return order.map(function (i) { return { cell: full(cells[i]), balanceAvg: cells[i].balanceAvg, dropShare: cells[i].dropShare, frontier: onFrontier[i] ? 'yes' : '' }; }); });
  }

  // Trigger x amount for each mode (first delay and initial): a table coloured by value.
  function heat(title, note, value, show, max) {
    var box = CC.section(title, note);
    var first = cells[0];
    var modes = cells.map(function (c) { return c.mode; }).filter(function (m, i, all) { return all.indexOf(m) === i; });
    modes.forEach(function (mode) {
      var mine = cells.filter(function (c) { return c.mode === mode && c.delaySeconds === first.delaySeconds && c.initial === first.initial; });
      var triggers = mine.map(function (c) { return c.trigger; }).filter(function (t, i, all) { return all.indexOf(t) === i; });
      var amounts = mine.map(function (c) { return c.amount; }).filter(function (t, i, all) { return all.indexOf(t) === i; });
      var t = CC.el('table', 'heat');
      t.appendChild(CC.el('caption', '', title + ', mode ' + mode + ' (rows: trigger, columns: amount, ' + cur + ')'));
      var head = CC.el('tr');
      head.appendChild(CC.el('th', '', 'trigger \\ amount'));
      amounts.forEach(function (a) { head.appendChild(CC.el('th', '', a)); });
      t.appendChild(head);
      triggers.forEach(function (tr) {
        var row = CC.el('tr');
        row.appendChild(CC.el('th', '', tr));
        amounts.forEach(function (a) {
          var c = mine.filter(function (x) { return x.trigger === tr && x.amount === a; })[0];
          var td = CC.el('td', '', c ? show(c) : '');
          if (c) {
            var share = max > 0 ? Math.min(1, value(c) / max) : 0;
            td.style.background = 'rgba(214,39,40,' + (0.08 + 0.8 * share).toFixed(2) + ')';
            td.title = full(c);
          }
          row.appendChild(td);
        });
        t.appendChild(row);
      });
      box.appendChild(t);
    });
  }

  function table() {
    var box = CC.section('Every cell', 'Averages over trials; click a column header to sort. Frontier cells are marked.');
    var rows = cells.map(function (c, i) { var row = { frontier: onFrontier[i] ? 'yes' : '' }; Object.keys(c).forEach(function (k) { row[k] = c[k]; }); return row; });
    box.appendChild(CC.table('cells', CC.columnsOf(rows), rows));
  }

  scatter();
  var maxForfeit = Math.max.apply(null, cells.map(function (c) { return CC.num(c.forfeited) || 0; }));
  heat('Drop share by trigger and amount', 'Share of trials with a drop: darker is worse.', function (c) { return c.dropShare; }, function (c) { return (c.dropShare * 100).toFixed(0) + '%'; }, 1);
  heat('Forfeits by trigger and amount', 'Average credits forfeited at expiry (' + cur + '): darker is more.', function (c) { return CC.num(c.forfeited) || 0; }, function (c) { return c.forfeited; }, maxForfeit);
  table();
  CC.everyFigure(r);
})();
`;
