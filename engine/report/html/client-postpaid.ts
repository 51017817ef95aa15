/**
 * The postpaid forecast and recommend reports' script: no balance to draw, so each month's invoice
 * over trials (P5 to P95 band, P50 line) and, for recommend, the monthly budget against it.
 */
export const CLIENT_POSTPAID = String.raw`"use strict";
(function () {
  var d = CC.data, r = d.report, cur = d.currency, months = d.invoiceMonths;
  var x = months.map(function (m, i) { return i; });
  var pick = function (k) { return months.map(function (m) { return CC.num(m[k]); }); };
  var money = function (u, v) { return v === null || v === undefined ? '' : CC.fixed2(v); };
  var monthAxis = { label: 'month', splits: function () { return x; }, values: function (u, v) { return v.map(function (i) { return months[i] ? months[i].month : ''; }); } };
  var recommend = document.getElementById('main').getAttribute('data-kind') === 'recommend';
  var budgets = {};
  if (recommend) r.months.forEach(function (m) { budgets[m.month] = m.budget; });

  function invoices() {
    var box = CC.section(recommend ? 'Monthly budget against the invoices' : 'Invoice per month',
      (recommend ? 'Each month\'s budget (bars) and the one monthly budget (dashed) against the invoice over ' : 'Each month\'s invoice over ') + r.trials +
      ' trial(s): the median (P50) and the band from P5 to P95 (' + cur + '). Postpaid: every call is invoiced whole in the month it starts; nothing is bought ahead.');
    var series = [{ label: 'month', value: function (u, i) { return months[i] ? months[i].month : ''; } },
      { label: 'invoice P95', stroke: '#7f9ad6', value: money },
      { label: 'invoice P50', stroke: '#3366cc', width: 2, points: { show: true }, value: money },
      { label: 'invoice P5', stroke: '#7f9ad6', value: money }];
    var columns = [x, pick('p95'), pick('p50'), pick('p5')];
    var alt = [{ key: 'month' }, { key: 'p5', label: 'invoice P5' }, { key: 'p50', label: 'invoice P50' }, { key: 'p95', label: 'invoice P95' }];
    if (recommend) {
      series.splice(1, 0, { label: 'budget this month', fill: 'rgba(16,150,24,0.25)', stroke: '#109618', paths: CC.bars(0.7), points: { show: false }, value: money });
      series.push({ label: 'monthly budget', stroke: '#d62728', width: 2, dash: [6, 4], points: { show: false }, value: money });
      columns.splice(1, 0, months.map(function (m) { return CC.num(budgets[m.month]); }));
      columns.push(months.map(function () { return CC.num(r.monthlyBudget); }));
      alt.push({ key: 'budget', label: 'budget this month' });
    }
    CC.chart(box, (recommend ? 'Budget and invoice P5 / P50 / P95' : 'Invoice P5 / P50 / P95') + ' per month (' + cur + ')', {
      height: 300,
      scales: { x: { time: false, range: function () { return [-0.6, months.length - 0.4]; } }, y: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.1]; } } },
      axes: [monthAxis, CC.moneyAxis(cur)],
      bands: [{ series: recommend ? [2, 4] : [1, 3], fill: 'rgba(51,102,204,0.16)' }],
      series: series,
    }, columns, alt, function () { return months.map(function (m) { return { month: m.month, p5: m.p5, p50: m.p50, p95: m.p95, budget: budgets[m.month] }; }); });
  }

  function why() {
    var box = CC.section('Why', 'How the answer was found.');
    var ul = CC.el('ul');
    r.explanation.forEach(function (line) { ul.appendChild(CC.el('li', '', line)); });
    box.appendChild(ul);
  }

  if (recommend) why();
  invoices();
  CC.everyFigure(r);
})();
`;
