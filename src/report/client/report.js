// The report page's script: draws the inlined data with DOM nodes. Every piece of document or
// question text goes through textContent / createTextNode, never innerHTML.
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('report-data').textContent);
  var app = document.getElementById('app');
  var PAGE_SIZE = 50;
  var PALETTE = ['#2f5bd3', '#e8710a', '#12a4a6', '#c03a8a', '#7a5af5', '#5f8f21', '#d9a300', '#8c564b', '#5a6b85', '#d6456b'];

  // ---------- small DOM helpers ----------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function pill(kind, text, title) {
    return el('span', { class: 'pill ' + kind, text: text, title: title });
  }

  /** Text with [start, end) marks drawn as <mark> elements around text nodes. */
  function markedText(text, marks) {
    var frag = document.createDocumentFragment();
    var at = 0;
    (marks || []).forEach(function (m) {
      if (m[0] > at) frag.appendChild(document.createTextNode(text.slice(at, m[0])));
      frag.appendChild(el('mark', { text: text.slice(m[0], m[1]) }));
      at = m[1];
    });
    if (at < text.length) frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }

  function section(id, title, intro) {
    var s = el('section', { id: id, class: 'card' }, [el('h2', { text: title })]);
    if (intro) s.appendChild(el('p', { class: 'muted', text: intro }));
    app.appendChild(s);
    return s;
  }

  // ---------- numbers ----------

  var columnByPath = data.metrics;

  function unitOf(path) {
    return Object.prototype.hasOwnProperty.call(columnByPath, path) ? columnByPath[path].unit : null;
  }

  function fmt(path, v) {
    if (v === null || v === undefined) return 'n/a';
    if (typeof v === 'string') return v;
    switch (unitOf(path)) {
      case 'ratio': return v.toFixed(3);
      case 'ms': return (v < 10 ? v.toFixed(2) : v.toFixed(1)) + ' ms';
      case 'seconds': return v.toFixed(1) + ' s';
      case 'bytes': return (v / 1048576).toFixed(1) + ' MiB';
      case 'per-second': return v.toFixed(1) + '/s';
      default: return Number.isInteger(v) ? String(v) : v.toPrecision(4);
    }
  }

  function fmtDelta(path, d) {
    var sign = d > 0 ? '+' : d < 0 ? '\u2212' : '\u00b1';
    return sign + fmt(path, Math.abs(d));
  }

  function labelOf(path) {
    return Object.prototype.hasOwnProperty.call(columnByPath, path) ? columnByPath[path].label : path;
  }

  // ---------- sortable tables ----------

  /**
   * columns: [{ label, value(row) -> sortable, cell(row) -> string|Node, num, cls(row) }]
   * Clicking a header sorts by it; clicking again reverses.
   */
  function sortableTable(columns, rows, options) {
    options = options || {};
    var tbody = el('tbody');
    var sortIndex = -1;
    var dir = 1;
    var heads = columns.map(function (c, i) {
      var th = el('th', { class: 'sortable' + (c.num ? ' num' : ''), title: c.title || 'Sort by ' + c.label }, [c.label]);
      th.addEventListener('click', function () {
        dir = sortIndex === i ? -dir : c.num ? -1 : 1;
        sortIndex = i;
        heads.forEach(function (h, j) {
          var old = h.querySelector('.arrow');
          if (old) h.removeChild(old);
          if (j === i) h.appendChild(el('span', { class: 'arrow', text: dir > 0 ? '\u25b2' : '\u25bc' }));
        });
        draw();
      });
      return th;
    });
    function compareRows(a, b) {
      var c = columns[sortIndex];
      var x = c.value(a);
      var y = c.value(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1; // not measured sorts last either way
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * dir;
    }
    function draw() {
      clear(tbody);
      var sorted = sortIndex < 0 ? rows : rows.slice().sort(compareRows);
      if (!sorted.length) {
        tbody.appendChild(el('tr', null, [el('td', { class: 'empty', colspan: columns.length, text: options.empty || 'Nothing to show.' })]));
      }
      sorted.forEach(function (r) {
        tbody.appendChild(el('tr', null, columns.map(function (c) {
          var content = c.cell ? c.cell(r) : c.value(r);
          var cls = [c.num ? 'num' : '', c.cls ? c.cls(r) || '' : ''].join(' ').trim();
          return el('td', { class: cls || null }, [content === null || content === undefined ? '' : typeof content === 'object' ? content : String(content)]);
        })));
      });
    }
    draw();
    return el('div', { class: 'table-wrap' }, [el('table', null, [el('thead', null, [el('tr', null, heads)]), tbody])]);
  }

  // ---------- charts ----------

  if (window.Chart) {
    Chart.defaults.animation = false;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#475467';
    Chart.defaults.maintainAspectRatio = false;
  }

  function chartCard(parent, title, note, config, height) {
    var canvas = el('canvas', { role: 'img', 'aria-label': title });
    var box = el('div', { class: 'chart' }, [canvas]);
    if (height) box.style.height = height + 'px';
    var card = el('div', { class: 'chart-card' }, [el('h3', { text: title }), note ? el('p', { class: 'muted', text: note }) : null, box]);
    parent.appendChild(card);
    if (!window.Chart) {
      card.appendChild(el('p', { class: 'empty', text: 'chart.js did not load.' }));
      return;
    }
    new Chart(canvas, config);
  }

  function barDatasets(series) {
    return series.map(function (s, i) {
      return { label: s.label, data: s.data, backgroundColor: s.color || PALETTE[i % PALETTE.length], borderRadius: 2, maxBarThickness: 14, categoryPercentage: 0.8, barPercentage: 0.9 };
    });
  }

  /** Shortens a long label in the middle, where run ids usually repeat least. */
  function shorten(text, max) {
    if (text.length <= max) return text;
    var half = Math.floor((max - 1) / 2);
    return text.slice(0, half) + '\u2026' + text.slice(text.length - half);
  }

  /** Axis labels as lines: run ids split at "/" so long configurations stay readable. */
  function labelLines(id, sep) {
    return id.split(sep || '/').map(function (part) { return shorten(part, 44); });
  }

  /** Whether values span enough orders of magnitude to need a log axis. */
  function wideRange(values) {
    var pos = values.filter(function (v) { return typeof v === 'number' && v > 0; });
    return pos.length > 1 && Math.max.apply(null, pos) / Math.min.apply(null, pos) > 50;
  }

  /** Value-axis ticks; a log axis labels only its powers of ten, which never collide. */
  function valueTicks(axis) {
    var ticks = { maxRotation: 0, autoSkipPadding: 14 };
    if (axis.type === 'logarithmic') {
      ticks.callback = function (v) {
        var e = Math.log10(v);
        return Math.abs(e - Math.round(e)) < 1e-9 ? String(Number(v.toPrecision(1))) : '';
      };
    }
    return ticks;
  }

  /**
   * Horizontal grouped bars, one group per label: readable with long run ids and many runs,
   * and as tall as its groups need.
   */
  function hbar(parent, title, note, labels, series, valueAxis, tooltipLabel) {
    var rows = labels.length;
    var lines = labels.reduce(function (n, l) { return Math.max(n, Array.isArray(l) ? l.length : 1); }, 1);
    var perGroup = Math.max(series.length * 13 + 14, lines * 15 + 14);
    chartCard(parent, title, note, {
      type: 'bar',
      data: { labels: labels, datasets: barDatasets(series) },
      options: {
        indexAxis: 'y',
        scales: { x: Object.assign({ ticks: valueTicks(valueAxis) }, valueAxis), y: { ticks: { autoSkip: false, font: { size: 11 } } } },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              title: function (items) { var l = items[0].label; return Array.isArray(l) ? l.join('/') : l; },
              label: tooltipLabel || function (c) { return c.dataset.label + ': ' + c.formattedValue; },
            },
          },
        },
      },
    }, Math.max(220, rows * perGroup + 90));
  }

  var completed = data.runs.filter(function (r) { return r.status === 'completed'; });

  /** Draws short run ids beside the points of the scatter chart, inside the plot area. */
  var pointLabels = {
    id: 'pointLabels',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var ds = chart.data.datasets[0];
      var meta = chart.getDatasetMeta(0);
      if (!ds || ds.data.length > 24) return;
      ctx.save();
      ctx.font = '11px ' + Chart.defaults.font.family;
      ctx.fillStyle = '#344054';
      var drawn = [];
      meta.data.forEach(function (p, i) {
        var text = shorten(ds.data[i].id, 34);
        var width = ctx.measureText(text).width;
        var right = p.x + 8 + width > chart.chartArea.right;
        var x = right ? p.x - 8 - width : p.x + 8;
        var y = p.y < chart.chartArea.top + 14 ? p.y + 14 : p.y - 6;
        // Skip a label that would overprint another; the tooltip still names the point.
        var box = { l: x, r: x + width, t: y - 11, b: y + 2 };
        if (drawn.some(function (d) { return box.l < d.r && box.r > d.l && box.t < d.b && box.b > d.t; })) return;
        drawn.push(box);
        ctx.fillText(text, x, y);
      });
      ctx.restore();
    },
  };

  function renderCharts() {
    var s = section('charts', 'Charts');
    var grid = el('div', { class: 'grid' });
    s.appendChild(grid);
    var acc = completed.filter(function (r) { return r.metrics['accuracy.citationAccuracy'] !== null; });
    var accMetrics = ['accuracy.citationAccuracy', 'accuracy.semanticAccuracy', 'accuracy.ndcgAt10', 'accuracy.recallAt5', 'accuracy.recallAt10'];
    hbar(grid, 'Accuracy per configuration', 'Citations verified, questions answered (k = ' + data.summary.settings.k + '), and IR metrics against the evidence passages.',
      acc.map(function (r) { return labelLines(r.id); }),
      accMetrics.map(function (m) { return { label: labelOf(m), data: acc.map(function (r) { return r.metrics[m]; }) }; }),
      { min: 0, max: 1 });

    var lat = completed.filter(function (r) { return r.metrics['latency.p95Ms'] !== null; });
    var latMetrics = ['latency.p50Ms', 'latency.p95Ms', 'latency.p99Ms'];
    var latValues = [];
    lat.forEach(function (r) { latMetrics.forEach(function (m) { latValues.push(r.metrics[m]); }); });
    var logLat = wideRange(latValues);
    hbar(grid, 'Query latency percentiles', 'Query embedding + search, ' + (lat[0] ? lat[0].metrics['latency.samples'] : 0) + ' samples a run' + (logLat ? '; logarithmic axis.' : '.'),
      lat.map(function (r) { return labelLines(r.id); }),
      [['p50', 'latency.p50Ms'], ['p95', 'latency.p95Ms'], ['p99', 'latency.p99Ms']].map(function (p) {
        return { label: p[0], data: lat.map(function (r) { return r.metrics[p[1]]; }) };
      }),
      { type: logLat ? 'logarithmic' : 'linear', title: { display: true, text: 'ms' } },
      function (c) { return c.dataset.label + ': ' + fmt('latency.p95Ms', c.raw); });

    var cost = data.pareto.cost;
    var benefit = data.pareto.metric;
    var pts = completed.filter(function (r) { return r.metrics[cost] !== null && r.metrics[benefit] !== null; }).map(function (r) {
      return { x: r.metrics[cost], y: r.metrics[benefit], id: r.id };
    });
    var front = data.pareto.front.map(function (id) {
      return pts.filter(function (p) { return p.id === id; })[0];
    }).filter(Boolean);
    var minY = pts.reduce(function (m, p) { return Math.min(m, p.y); }, 1);
    chartCard(grid, 'Accuracy vs latency', labelOf(benefit) + ' against ' + labelOf(cost) + '. The dashed line joins the Pareto front: configurations no other one beats on both.', {
      type: 'scatter',
      data: {
        datasets: [
          { label: 'configurations', data: pts, backgroundColor: PALETTE[0], pointRadius: 5, pointHoverRadius: 7, pointStyle: 'circle' },
          { label: 'Pareto front', data: front, showLine: true, borderColor: PALETTE[1], backgroundColor: PALETTE[1], borderWidth: 2, pointRadius: 0, borderDash: [6, 4], fill: false, pointStyle: 'line' },
        ],
      },
      options: {
        layout: { padding: { top: 16, right: 12 } },
        scales: {
          x: { title: { display: true, text: labelOf(cost) + ' (ms)' }, beginAtZero: true, grace: '5%' },
          y: { title: { display: true, text: labelOf(benefit) }, min: Math.max(0, Math.floor((minY - 0.05) * 10) / 10), max: 1 },
        },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true } },
          tooltip: { callbacks: { label: function (c) { return c.raw.id + ': ' + fmt(benefit, c.raw.y) + ' at ' + fmt(cost, c.raw.x); } } },
        },
      },
      plugins: [pointLabels],
    }, 340);

    var ingestValues = [];
    data.ingest.forEach(function (g) { ingestValues.push(g.pagesPerSecond, g.chunksPerSecond, g.embeddingsPerSecond); });
    var logIngest = wideRange(ingestValues);
    hbar(grid, 'Ingest throughput per extractor / chunker', 'Mean over the runs sharing an extractor and chunker; embeddings/s counts embeddings computed (not cached) in the run' + (logIngest ? '; logarithmic axis.' : '.'),
      data.ingest.map(function (g) { return labelLines(g.label, ' / '); }),
      [
        { label: 'pages/s', data: data.ingest.map(function (g) { return g.pagesPerSecond; }) },
        { label: 'chunks/s', data: data.ingest.map(function (g) { return g.chunksPerSecond; }) },
        { label: 'embeddings/s', data: data.ingest.map(function (g) { return g.embeddingsPerSecond || null; }) },
      ],
      { type: logIngest ? 'logarithmic' : 'linear', title: { display: true, text: 'per second' } });

    if (data.baseline) renderDeltaCharts(grid);
  }

  function renderDeltaCharts(grid) {
    var deltas = data.baseline.deltas;
    var runs = [];
    deltas.forEach(function (d) { if (runs.indexOf(d.run) < 0) runs.push(d.run); });
    var find = function (run, metric) {
      return deltas.filter(function (d) { return d.run === run && d.metric === metric; })[0];
    };
    var accMetrics = ['accuracy.citationAccuracy', 'accuracy.semanticAccuracy', 'accuracy.ndcgAt10', 'accuracy.recallAt5', 'accuracy.recallAt10'];
    hbar(grid, 'Accuracy change vs baseline', 'Absolute change against baseline run ' + data.baseline.runId + '; left of zero is worse.',
      runs.map(function (r) { return labelLines(r); }),
      accMetrics.map(function (m) {
        return { label: labelOf(m), data: runs.map(function (r) { var d = find(r, m); return d ? d.delta : null; }) };
      }),
      { title: { display: true, text: 'absolute change' } });
    var relMetrics = ['latency.p50Ms', 'latency.p95Ms', 'latency.p99Ms', 'ingest.pagesPerSecond'];
    hbar(grid, 'Latency and throughput change vs baseline', 'Relative change; for latency, right of zero is slower.',
      runs.map(function (r) { return labelLines(r); }),
      relMetrics.map(function (m) {
        return { label: labelOf(m), data: runs.map(function (r) { var d = find(r, m); return d && d.relative !== null ? d.relative * 100 : null; }) };
      }),
      { title: { display: true, text: '% change' } },
      function (c) { return c.dataset.label + ': ' + (c.raw >= 0 ? '+' : '') + c.raw.toFixed(1) + '%'; });
  }

  // ---------- tables ----------

  var failedCell = {};
  data.verdict.checks.forEach(function (c) {
    if (c.status === 'fail') failedCell[c.run + '\u0000' + c.metric] = true;
  });

  function bestValues() {
    var best = {};
    data.columns.forEach(function (c) {
      if (!c.better) return;
      var vals = completed.map(function (r) { return r.metrics[c.path]; }).filter(function (v) { return v !== null; });
      var hi = Math.max.apply(null, vals);
      var lo = Math.min.apply(null, vals);
      // Only when there is a choice to make: a column of equal values has no best.
      if (vals.length > 1 && hi !== lo) best[c.path] = c.better === 'higher' ? hi : lo;
    });
    return best;
  }

  function renderConfigurations() {
    var s = section('configurations', 'Configurations', 'Every configuration with every metric it measured. Click a header to sort; red cells failed a check, green is the best value of a column.');
    var best = bestValues();
    var text = function (label, f) { return { label: label, value: f, cls: function () { return 'nowrap'; } }; };
    var columns = [
      text('Run', function (r) { return r.id; }),
      text('Extractor', function (r) { return r.config.extractor; }),
      text('Chunker', function (r) { return r.config.chunker; }),
      text('Embedder', function (r) { return r.config.embedder; }),
      text('Store', function (r) { return r.config.store; }),
      text('Retriever', function (r) { return r.config.retriever; }),
      {
        label: 'Status',
        value: function (r) { return r.status; },
        cell: function (r) { return r.status === 'completed' ? pill('pass', 'completed') : pill('fail', 'errored', r.error || ''); },
      },
    ].concat(data.columns.map(function (c) {
      return {
        label: c.label,
        title: c.path + (c.better ? ' (' + c.better + ' is better)' : ''),
        num: true,
        value: function (r) { return r.metrics[c.path]; },
        cell: function (r) { return fmt(c.path, r.metrics[c.path]); },
        cls: function (r) {
          if (failedCell[r.id + '\u0000' + c.path]) return 'bad';
          return best[c.path] !== undefined && r.metrics[c.path] === best[c.path] ? 'best' : '';
        },
      };
    }));
    s.appendChild(sortableTable(columns, data.runs, { empty: 'No runs.' }));
    var errored = data.runs.filter(function (r) { return r.error; });
    if (errored.length) {
      s.appendChild(el('h3', { text: 'Errors' }));
      s.appendChild(el('ul', { class: 'failures' }, errored.map(function (r) {
        return el('li', null, [el('span', { class: 'run', text: r.id }), ': ', el('code', { text: r.error })]);
      })));
    }
  }

  function statusPill(status) {
    return status === 'pass' ? pill('pass', 'pass') : status === 'fail' ? pill('fail', 'FAIL') : pill('na', 'n/a');
  }

  function thresholdText(c) {
    return c.op + ' ' + (typeof c.threshold === 'number' ? fmt(c.metric, c.threshold) : c.threshold);
  }

  function renderChecks() {
    var checks = data.verdict.checks;
    var s = section('checks', 'Checks', checks.length + ' checks from ' + data.verdictSource + '. Failures first; "n/a" checks did not apply to their run.');
    var order = { fail: 0, pass: 1, 'not-measured': 2 };
    var sorted = checks.slice().sort(function (a, b) { return order[a.status] - order[b.status]; });
    var failuresOnly = el('input', { type: 'checkbox', id: 'checks-failures' });
    var withNa = el('input', { type: 'checkbox', id: 'checks-na' });
    var failedCount = checks.filter(function (c) { return c.status === 'fail'; }).length;
    var naCount = checks.filter(function (c) { return c.status === 'not-measured'; }).length;
    s.appendChild(el('div', { class: 'toolbar' }, [
      el('label', null, [failuresOnly, 'Failures only (' + failedCount + ')']),
      el('label', null, [withNa, 'Show checks that did not apply (' + naCount + ')']),
    ]));
    var holder = el('div');
    s.appendChild(holder);
    function draw() {
      clear(holder);
      var rows = sorted.filter(function (c) {
        if (failuresOnly.checked) return c.status === 'fail';
        return withNa.checked || c.status !== 'not-measured';
      });
      holder.appendChild(checksTable(rows));
    }
    failuresOnly.addEventListener('change', draw);
    withNa.addEventListener('change', draw);
    draw();
  }

  function checksTable(rows) {
    var order = { fail: 0, pass: 1, 'not-measured': 2 };
    return sortableTable([
      { label: 'Result', value: function (c) { return order[c.status]; }, cell: function (c) { return statusPill(c.status); } },
      { label: 'Run', value: function (c) { return c.run; } },
      { label: 'Check', value: function (c) { return c.name; }, cell: function (c) { return el('code', { text: c.name }); }, cls: function () { return 'nowrap'; } },
      { label: 'Value', num: true, value: function (c) { return c.value; }, cell: function (c) { return fmt(c.metric, c.value); } },
      { label: 'Threshold', num: true, value: function (c) { return c.threshold; }, cell: thresholdText },
      { label: 'Source', value: function (c) { return c.source; } },
      { label: 'Detail', value: function (c) { return c.detail || ''; } },
    ], rows, { empty: 'No checks to show.' });
  }

  function renderBaseline() {
    if (!data.baseline) return;
    var b = data.baseline;
    var s = section('baseline', 'Change vs baseline', 'Baseline run ' + b.runId + ' (' + b.startedAt + '). Runs are matched by id; green is better, red is worse by the metric\u2019s direction.');
    s.appendChild(sortableTable([
      { label: 'Run', value: function (d) { return d.run; } },
      { label: 'Metric', value: function (d) { return d.metric; }, cell: function (d) { return el('span', { title: d.metric, text: labelOf(d.metric) }); } },
      { label: 'Baseline', num: true, value: function (d) { return d.baseline; }, cell: function (d) { return fmt(d.metric, d.baseline); } },
      { label: 'Current', num: true, value: function (d) { return d.value; }, cell: function (d) { return fmt(d.metric, d.value); } },
      { label: '\u0394', num: true, value: function (d) { return d.delta; }, cell: function (d) { return fmtDelta(d.metric, d.delta); }, cls: function (d) { return d.direction === 'better' ? 'better' : d.direction === 'worse' ? 'worse' : ''; } },
      { label: '\u0394 %', num: true, value: function (d) { return d.relative; }, cell: function (d) { return d.relative === null ? 'n/a' : (d.relative >= 0 ? '+' : '') + (d.relative * 100).toFixed(1) + '%'; }, cls: function (d) { return d.direction === 'better' ? 'better' : d.direction === 'worse' ? 'worse' : ''; } },
    ], b.deltas, { empty: 'No run of this summary has a baseline run of the same id.' }));
  }

  function renderRouting() {
    var s = section('routing', 'Extractor routing', 'The extractor the router chose for each document, and why. Identical choices in several runs are listed once.');
    var byKey = {};
    var rows = [];
    data.runs.forEach(function (r) {
      r.routing.forEach(function (x) {
        var key = x.doc + '\u0000' + x.extractor + '\u0000' + x.reason;
        if (!byKey[key]) {
          byKey[key] = { doc: x.doc, extractor: x.extractor, reason: x.reason, runs: [] };
          rows.push(byKey[key]);
        }
        byKey[key].runs.push(r.id);
      });
    });
    s.appendChild(sortableTable([
      { label: 'Document', value: function (x) { return x.doc; } },
      { label: 'Extractor', value: function (x) { return x.extractor; }, cell: function (x) { return pill('info', x.extractor); } },
      { label: 'Reason', value: function (x) { return x.reason; } },
      { label: 'Runs', value: function (x) { return x.runs.join(', '); } },
    ], rows, { empty: 'No run used the router.' }));
  }

  function kv(pairs) {
    var dl = el('dl', { class: 'kv' });
    pairs.forEach(function (p) {
      dl.appendChild(el('dt', { text: p[0] }));
      dl.appendChild(el('dd', { text: p[1] === undefined || p[1] === null ? '' : String(p[1]) }));
    });
    return dl;
  }

  function renderMachine() {
    var s = section('machine', 'Machine and versions', 'Where the numbers came from.');
    var m = data.summary.machine;
    var sm = data.summary;
    var versions = Object.keys(sm.versions).sort().map(function (k) { return [k, sm.versions[k]]; });
    s.appendChild(el('div', { class: 'two' }, [
      el('div', null, [
        el('h3', { text: 'Machine' }),
        kv([['CPU', m.cpus + ' \u00d7 ' + m.cpuModel], ['Memory', (m.memoryBytes / 1073741824).toFixed(1) + ' GiB'], ['Node.js', m.node], ['OS', m.os], ['Host', m.hostname]]),
        el('h3', { text: 'Run' }),
        kv([
          ['Run id', sm.runId], ['Started', sm.startedAt], ['Finished', sm.finishedAt],
          ['Suite', sm.suite.name + ' (' + sm.suite.file + ')'],
          ['Golden set', sm.golden.name + ' (' + sm.golden.path + ')'],
          ['Questions', sm.golden.questions + ' (' + sm.golden.answerable + ' answerable), ' + sm.golden.documents + ' documents'],
          ['k', sm.settings.k], ['Latency samples', sm.settings.latencySamples], ['Relevance', sm.settings.relevance],
        ]),
      ]),
      el('div', null, [el('h3', { text: 'Versions' }), versions.length ? kv(versions) : el('p', { class: 'empty', text: 'None recorded.' })]),
    ]));
    if (data.warnings.length) {
      s.appendChild(el('h3', { text: 'Report warnings' }));
      s.appendChild(el('ul', null, data.warnings.map(function (w) { return el('li', { text: w }); })));
    }
  }

  // ---------- question drill-down ----------

  function renderQuestions() {
    var records = data.records;
    var failures = records.filter(function (r) { return r.failed.length > 0; }).length;
    var s = section('questions', 'Questions', records.length + ' answers from ' + data.runs.length + ' runs; ' + failures + ' failed at least one metric. Failures first; open a question for its gold answer, evidence and top-k hits.');
    if (!records.length) {
      s.appendChild(el('p', { class: 'empty', text: 'No per-question records (queries.jsonl) were given.' }));
      return;
    }
    var state = { run: '', metric: failures ? '__failed' : '', search: '', page: 0 };
    var runSelect = el('select', { id: 'filter-run', 'aria-label': 'Run' }, [el('option', { value: '', text: 'All runs' })].concat(data.runs.map(function (r) {
      return el('option', { value: r.id, text: r.id });
    })));
    var metricSelect = el('select', { id: 'filter-metric', 'aria-label': 'Outcome' }, [
      el('option', { value: '__failed', text: 'Failed any metric' }),
      el('option', { value: '', text: 'All questions' }),
      el('option', { value: '__passed', text: 'Passed every metric' }),
    ].concat(data.failedMetrics.map(function (m) { return el('option', { value: m, text: 'Failed ' + m }); })));
    metricSelect.value = state.metric;
    var search = el('input', { type: 'search', id: 'filter-text', placeholder: 'Search question text or id', 'aria-label': 'Search' });
    var count = el('span', { class: 'muted' });
    var list = el('div', { id: 'question-list' });
    var pagerTop = el('div', { class: 'pager' });
    var pagerBottom = el('div', { class: 'pager' });
    s.appendChild(el('div', { class: 'toolbar' }, [
      el('label', null, ['Run', runSelect]),
      el('label', null, ['Show', metricSelect]),
      search,
      count,
    ]));
    s.appendChild(pagerTop);
    s.appendChild(list);
    s.appendChild(pagerBottom);

    function matches(r) {
      if (state.run && r.run !== state.run) return false;
      if (state.metric === '__failed' && !r.failed.length) return false;
      if (state.metric === '__passed' && r.failed.length) return false;
      if (state.metric && state.metric.slice(0, 2) !== '__' && r.failed.indexOf(state.metric) < 0) return false;
      if (state.search) {
        var q = data.questions[r.question];
        var hay = (r.question + ' ' + (q ? q.question : '')).toLowerCase();
        if (hay.indexOf(state.search) < 0) return false;
      }
      return true;
    }

    function pager(node, pages, total) {
      clear(node);
      var prev = el('button', { type: 'button', text: '\u2039 Previous', disabled: state.page === 0 });
      var next = el('button', { type: 'button', text: 'Next \u203a', disabled: state.page >= pages - 1 });
      prev.addEventListener('click', function () { state.page--; draw(); });
      next.addEventListener('click', function () { state.page++; draw(); });
      node.appendChild(prev);
      node.appendChild(el('span', { text: 'Page ' + (state.page + 1) + ' of ' + Math.max(pages, 1) + ' \u00b7 ' + total + ' question' + (total === 1 ? '' : 's') }));
      node.appendChild(next);
    }

    function draw() {
      var shown = records.filter(matches);
      var pages = Math.ceil(shown.length / PAGE_SIZE);
      if (state.page >= pages) state.page = Math.max(pages - 1, 0);
      count.textContent = shown.length + ' of ' + records.length;
      pager(pagerTop, pages, shown.length);
      pager(pagerBottom, pages, shown.length);
      clear(list);
      if (!shown.length) list.appendChild(el('p', { class: 'empty', text: 'No question matches these filters.' }));
      shown.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE).forEach(function (r, i) {
        list.appendChild(questionCard(r, i === 0));
      });
    }

    runSelect.addEventListener('change', function () { state.run = runSelect.value; state.page = 0; draw(); });
    metricSelect.addEventListener('change', function () { state.metric = metricSelect.value; state.page = 0; draw(); });
    search.addEventListener('input', function () { state.search = search.value.trim().toLowerCase(); state.page = 0; draw(); });
    draw();
  }

  function questionCard(r, open) {
    var q = data.questions[r.question] || { question: '(question text missing)', answerable: true, answers: [], evidence: [] };
    var summary = el('summary', null, [
      r.failed.length ? pill('fail', 'FAIL ' + r.failed.length) : pill('pass', 'ok'),
      el('span', { class: 'q-text', text: q.question }),
      el('span', { class: 'q-run', text: r.run + ' \u00b7 ' + r.question }),
    ]);
    var card = el('details', { class: 'q' }, [summary]);
    var built = false;
    // Bodies are built when first opened: a page of 50 stays cheap whatever the hits hold.
    card.addEventListener('toggle', function () {
      if (card.open && !built) {
        built = true;
        card.appendChild(questionBody(r, q));
      }
    });
    if (open) card.open = true;
    return card;
  }

  function questionBody(r, q) {
    var body = el('div', { class: 'q-body' });
    body.appendChild(el('h4', { text: 'Gold answer' }));
    if (!q.answerable) body.appendChild(pill('info', 'unanswerable: the documents do not answer this'));
    else body.appendChild(el('div', { class: 'chips' }, q.answers.map(function (a) { return el('mark', { text: a }); })));
    if (q.evidence.length) {
      body.appendChild(el('h4', { text: 'Evidence' }));
      q.evidence.forEach(function (e) {
        body.appendChild(el('div', { class: 'hit-head' }, [el('b', { text: e.doc }), el('span', { class: 'muted', text: pages(e.page, e.pageEnd) })]));
        var quote = el('div', { class: 'quote relevant' }, [markedText(data.texts[e.t], e.marks)]);
        if (e.clipped) quote.appendChild(el('span', { class: 'clipped', text: ' \u2026 (clipped)' }));
        body.appendChild(quote);
      });
    }
    body.appendChild(el('h4', { text: 'Metrics' }));
    var names = Object.keys(r.metrics).sort();
    body.appendChild(el('div', { class: 'chips' }, names.map(function (m) {
      var failed = r.failed.indexOf(m) >= 0;
      return pill(failed ? 'fail' : 'pass', m + ' ' + (Number.isInteger(r.metrics[m]) ? r.metrics[m] : r.metrics[m].toFixed(3)));
    }).concat(r.failed.filter(function (m) { return names.indexOf(m) < 0; }).map(function (m) { return pill('fail', m); }))
      .concat([pill('na', 'search ' + r.searchMs.toFixed(1) + ' ms')])));
    body.appendChild(el('h4', { text: 'Top ' + r.hits.length + ' hits' }));
    if (!r.hits.length) body.appendChild(el('p', { class: 'empty', text: 'No hits.' }));
    body.appendChild(el('ol', { class: 'hits' }, r.hits.map(function (h) {
      var quote = el('div', { class: 'quote' + (h.relevant ? ' relevant' : '') }, [markedText(data.texts[h.t], h.marks)]);
      if (h.clipped) quote.appendChild(el('span', { class: 'clipped', text: ' \u2026 (clipped)' }));
      return el('li', null, [
        el('div', { class: 'hit-head' }, [
          el('span', { class: 'rank', text: '#' + h.rank }),
          el('b', { text: h.doc }),
          el('span', { class: 'muted', text: pages(h.page, h.pageEnd) + ' \u00b7 score ' + h.score.toFixed(3) }),
          h.relevant ? pill('pass', 'overlaps evidence') : pill('na', 'not evidence'),
          h.containsAnswer ? pill('pass', 'contains answer') : pill('na', 'no answer'),
          h.citationVerified ? pill('pass', 'citation verified') : pill('fail', 'citation not verified'),
        ]),
        quote,
      ]);
    })));
    return body;
  }

  function pages(a, b) {
    return a === b ? 'p. ' + a : 'pp. ' + a + '\u2013' + b;
  }

  renderCharts();
  renderConfigurations();
  renderChecks();
  renderBaseline();
  renderRouting();
  renderQuestions();
  renderMachine();
  document.documentElement.setAttribute('data-rendered', 'true');
})();
