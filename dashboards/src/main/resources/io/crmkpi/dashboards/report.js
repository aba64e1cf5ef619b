// Draws every card of the report from the JSON data block; each card records what it drew
// (data-points, data-values) so a headless browser can check the page against the views.
(function () {
  var report = JSON.parse(document.getElementById('report-data').textContent);
  function fmt(v, f) {
    if (v === null || v === undefined) return '—';
    switch (f) {
      case 'percent': case 'fraction': return (v * 100).toFixed(1) + '%';
      case 'money': return Math.round(v).toLocaleString('en-US') + (report.currency ? ' ' + report.currency : '');
      case 'count': return Number.isInteger(v) || Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
      case 'days': return (Number.isInteger(v) ? String(v) : v.toFixed(1)) + ' d';
      case 'minutes': return v.toFixed(0) + ' min';
      case 'hours': return v.toFixed(1) + ' h';
      case 'score': return v.toFixed(1);
      default: return (typeof v === 'number') ? (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2)) : String(v);
    }
  }
  function col(card, name) { return card.columns.indexOf(name); }
  function values(card, name) { var i = col(card, name); return card.rows.map(function (r) { return r[i]; }); }
  function distinct(a) { var s = []; a.forEach(function (v) { if (s.indexOf(v) < 0) s.push(v); }); return s; }
  function axisFmt(card, name) { return function (v) { return fmt(v, card.format[name]); }; }
  // axis labels stay short: 1.2M, 350k
  function axisShort(card, name) {
    return function (v) {
      var f = card.format[name];
      if ((f === 'money' || f === 'count' || f === 'number') && Math.abs(v) >= 1000) {
        return Math.abs(v) >= 1e6 ? (v / 1e6).toFixed(1) + 'M' : (v / 1e3).toFixed(Math.abs(v) < 1e4 ? 1 : 0) + 'k';
      }
      return fmt(v, f);
    };
  }

  function option(card) {
    var base = { tooltip: { trigger: card.chart === 'funnel' || card.chart === 'heatmap' ? 'item' : 'axis' },
                 legend: { top: 0 }, grid: { left: 10, right: 20, top: 40, bottom: 10, containLabel: true }, animation: false };
    if (card.chart === 'funnel') {
      var groups = card.series ? distinct(values(card, card.series)) : [null];
      var w = 100 / groups.length;
      base.series = groups.map(function (g, k) {
        var rows = card.rows.filter(function (r) { return g === null || r[col(card, card.series)] === g; });
        return { type: 'funnel', name: g || card.title, sort: 'none', left: (k * w + 2) + '%', width: (w - 4) + '%',
          top: 40, bottom: 10, label: { position: 'inside', formatter: '{b}: {c}', fontSize: 11, color: '#fff', textBorderWidth: 0 },
          data: rows.map(function (r) {
            var bottleneck = card.callout && r[col(card, card.callout)] === true;
            return { name: r[col(card, card.x)] + (bottleneck ? ' ⚠ bottleneck' : ''), value: r[col(card, card.y[0])],
              itemStyle: bottleneck ? { color: '#d9534f' } : undefined };
          }) };
      });
      base.legend = { show: false };
      base.title = groups.length > 1 ? groups.map(function (g, k) { return { text: g, left: (k * w + w / 2) + '%', textAlign: 'center', textStyle: { fontSize: 13 } }; }) : undefined;
      return base;
    }
    if (card.chart === 'heatmap') {
      var xs = distinct(values(card, card.x)), ys = distinct(values(card, card.series)), v = card.y[0];
      var data = card.rows.map(function (r) { return [xs.indexOf(r[col(card, card.x)]), ys.indexOf(r[col(card, card.series)]), r[col(card, v)]]; });
      var nums = data.map(function (d) { return d[2]; }).filter(function (n) { return n !== null; });
      base.xAxis = { type: 'category', data: xs, name: card.x };
      base.yAxis = { type: 'category', data: ys };
      base.grid.bottom = 70;
      base.visualMap = { min: Math.min.apply(null, nums), max: Math.max.apply(null, nums), calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
        formatter: axisFmt(card, v) };
      base.tooltip.formatter = function (p) { return ys[p.value[1]] + ', +' + xs[p.value[0]] + ': ' + fmt(p.value[2], card.format[v]); };
      base.series = [{ type: 'heatmap', name: v, data: data }];
      return base;
    }
    var cats = distinct(values(card, card.x));
    base.xAxis = { type: 'category', data: cats };
    base.yAxis = { type: 'value', axisLabel: { formatter: axisShort(card, card.y[0]) } };
    var type = card.chart === 'line' ? 'line' : 'bar';
    var stack = card.chart === 'stacked_bar' ? 'total' : undefined;
    if (card.series) {
      base.series = distinct(values(card, card.series)).map(function (s) {
        return { type: type, name: String(s), stack: stack, data: cats.map(function (c) {
          var row = card.rows.find(function (r) { return r[col(card, card.x)] === c && r[col(card, card.series)] === s; });
          return row ? row[col(card, card.y[0])] : null; }) };
      });
    } else {
      base.series = card.y.map(function (y) { return { type: type, name: y, stack: stack, data: values(card, y) }; });
    }
    base.tooltip.valueFormatter = axisFmt(card, card.y[0]);
    return base;
  }

  function tiles(card, el) {
    var unit = col(card, 'unit'), better = col(card, 'better'), change = col(card, 'change_pct');
    var shown = [];
    card.rows.forEach(function (r) {
      var f = unit >= 0 ? r[unit] : card.format[card.y[0]];
      var now = r[col(card, card.y[0])], before = r[col(card, card.y[1])];
      var t = document.createElement('div');
      t.className = 'tile';
      var up = change >= 0 && r[change] !== null ? r[change] > 0 : null;
      var good = up === null || r[change] === 0 ? '' : ((up ? 'up' : 'down') === r[better] ? 'good' : 'bad');
      t.innerHTML = '<div class="label"></div><div class="value" data-value=""></div><div class="trend ' + good + '"></div>';
      t.querySelector('.label').textContent = r[col(card, card.x)];
      t.querySelector('.value').textContent = fmt(now, f);
      t.querySelector('.value').setAttribute('data-value', now === null ? '' : String(now));
      t.querySelector('.trend').textContent = (up === null ? '' : (up ? '▲ ' : '▼ ') + fmt(r[change], 'percent')) + ' (was ' + fmt(before, f) + ')';
      el.appendChild(t);
      shown.push(now);
    });
    return shown;
  }

  // a table card: x first, then y and extra, in the card's column order; numbers formatted and right-aligned
  function table(card, el) {
    var names = [card.x].concat(card.y, card.columns.filter(function (c) { return c !== card.x && card.y.indexOf(c) < 0; }));
    var t = document.createElement('table'), head = t.createTHead().insertRow();
    names.forEach(function (n) { var th = document.createElement('th'); th.textContent = n.replace(/_/g, ' '); head.appendChild(th); });
    var body = t.createTBody();
    card.rows.forEach(function (r) {
      var tr = body.insertRow();
      names.forEach(function (n) {
        var v = r[col(card, n)], td = tr.insertCell();
        td.textContent = typeof v === 'number' || card.format[n] ? fmt(v, card.format[n]) : (v === null ? '—' : String(v));
        if (typeof v === 'number') td.className = 'num';
      });
    });
    el.appendChild(t);
    return values(card, card.y[0]);
  }

  // report.html#sales shows that dashboard alone (a link to share, a screenshot to take)
  var only = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (report.dashboards.some(function (d) { return d.name === only; })) {
    report.dashboards = report.dashboards.filter(function (d) {
      if (d.name !== only) document.getElementById(d.name).remove();
      return d.name === only;
    });
    window.scrollTo(0, 0);
  }
  report.dashboards.forEach(function (d) {
    d.cards.forEach(function (card) {
      var box = document.getElementById(card.dom);
      var el = box.querySelector('.chart');
      if (card.rows.length === 0) { el.className = 'chart empty'; el.textContent = card.empty; box.setAttribute('data-points', '0'); return; }
      if (card.chart === 'number' || card.chart === 'table') {
        var shown = card.chart === 'number' ? tiles(card, el) : table(card, el);
        el.className = card.chart === 'number' ? 'chart tiles' : 'chart rows';
        box.setAttribute('data-points', String(shown.length));
        box.setAttribute('data-values', JSON.stringify(shown));
        return;
      }
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(option(card));
      var drawn = chart.getOption().series;
      var points = 0;
      drawn.forEach(function (s) { (s.data || []).forEach(function (p) { var v = (p && typeof p === 'object' && !Array.isArray(p)) ? p.value : (Array.isArray(p) ? p[2] : p); if (v !== null && v !== undefined && v !== '-') points++; }); });
      box.setAttribute('data-points', String(points));
      var first = drawn[0].data.map(function (p) { return (p && typeof p === 'object' && !Array.isArray(p)) ? p.value : (Array.isArray(p) ? p[2] : p); });
      box.setAttribute('data-values', JSON.stringify(first));
      window.addEventListener('resize', function () { chart.resize(); });
    });
  });
  document.body.setAttribute('data-drawn', 'true');
})();
