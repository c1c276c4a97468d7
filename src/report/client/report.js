// The report page's script: inflates the inlined data and draws it with DOM nodes. Every piece
// of document or question text goes through textContent / createTextNode, never innerHTML.
(function () {
  'use strict';

  var app = document.getElementById('app');
  var PAGE_SIZE = 50;
  var PALETTE = ['#2f5bd3', '#e8710a', '#12a4a6', '#c03a8a', '#7a5af5', '#5f8f21', '#d9a300', '#8c564b', '#5a6b85', '#d6456b'];
  var ACCURACY = ['accuracy.citationAccuracy', 'accuracy.semanticAccuracy', 'accuracy.ndcgAt10', 'accuracy.recallAt5', 'accuracy.recallAt10'];

  /** Set by start(): the report's data and what is derived from it once. */
  var data;
  var columnByPath;
  var completed;
  var runById = {};
  var runByName = {};

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

  function kv(pairs) {
    var dl = el('dl', { class: 'kv' });
    pairs.forEach(function (p) {
      dl.appendChild(el('dt', { text: p[0] }));
      var v = p[1];
      dl.appendChild(el('dd', null, [v === undefined || v === null ? '' : typeof v === 'object' ? v : String(v)]));
    });
    return dl;
  }

  // ---------- runs ----------

  /** A run's short name, whether given its id or its name (checks may use either). */
  function nameOf(run) {
    if (Object.prototype.hasOwnProperty.call(runById, run)) return runById[run].name;
    return run;
  }

  function runOf(run) {
    if (Object.prototype.hasOwnProperty.call(runById, run)) return runById[run];
    if (Object.prototype.hasOwnProperty.call(runByName, run)) return runByName[run];
    return null;
  }

  function configText(config) {
    return ['extractor', 'chunker', 'embedder', 'store', 'retriever'].map(function (k) { return k + ' ' + config[k]; }).join(' \u00b7 ');
  }

  /** The run's short name; its full id and configuration on hover. */
  function runLabel(run) {
    var r = runOf(run);
    var node = el('span', { class: 'run', text: r ? r.name : run, title: r ? r.id + '\n' + configText(r.config) : null });
    if (!r || !r.role) return node;
    return el('span', { class: 'run-label' }, [node, ' ', pill('info', r.role, r.role === 'candidate' ? 'the run the suite would deploy: production targets judge it' : 'the run now in production')]);
  }

  function statusPill(r) {
    if (r.status === 'completed') return pill('pass', 'completed');
    if (r.status === 'interrupted') return pill('warn', 'interrupted', 'stopped before it finished (Ctrl-C or a crash); nothing it measured is kept');
    if (r.status === 'skipped') return pill('na', 'skipped', 'not run, never faked: ' + (r.error || 'no reason given'));
    return pill('fail', 'errored', r.error || '');
  }

  // ---------- numbers ----------

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

  function fmtInterval(path, iv) {
    return iv ? '[' + fmt(path, iv.low) + ', ' + fmt(path, iv.high) + ']' : '';
  }

  function fmtP(p) {
    if (p === null || p === undefined) return 'n/a';
    return p < 0.001 ? '< 0.001' : p.toFixed(3);
  }

  function labelOf(path) {
    return Object.prototype.hasOwnProperty.call(columnByPath, path) ? columnByPath[path].label : path;
  }

  function confidenceText() {
    var st = data.summary.settings.statistics;
    return Math.round(st.confidence * 100) + '% interval (' + st.method + ', ' + st.resamples + ' resamples, seed ' + st.seed + ')';
  }

  /** A metric's value with its interval and the counts it is made of, for a table cell. */
  function metricCell(r, path) {
    var v = r.metrics[path];
    var parts = [el('span', { text: fmt(path, v) })];
    var iv = r.intervals[path];
    if (iv && v !== null) parts.push(el('span', { class: 'ci', text: ' ' + fmtInterval(path, iv), title: confidenceText() }));
    var col = columnByPath[path];
    if (col && col.counts && r.metrics[col.counts[1]] !== null && r.metrics[col.counts[1]] !== undefined) {
      parts.push(el('span', { class: 'ci', text: ' ' + r.metrics[col.counts[0]] + '/' + r.metrics[col.counts[1]], title: labelOf(col.counts[0]) + ' / ' + labelOf(col.counts[1]) }));
    }
    if (path === 'memory.peakRssBytes' && r.memoryScope) {
      parts.push(el('span', { class: 'ci', text: r.memoryScope === 'run' ? ' own process' : ' process-wide', title: r.memoryScope === 'run' ? 'measured in the run\u2019s own process' : 'peak of the whole process, shared with the other runs' }));
    }
    if (/^ingest\.(pagesPerSecond|chunksPerSecond|embeddingsPerSecond|seconds)$/.test(path) && r.embeddingSource === 'cache') {
      parts.push(el('span', { class: 'ci', text: ' cached', title: 'from cached embeddings: not the model\u2019s throughput' }));
    } else if (/^ingest\.(pagesPerSecond|chunksPerSecond|seconds)$/.test(path) && r.embeddingSource === 'mixed') {
      parts.push(el('span', { class: 'ci', text: ' partly cached', title: 'some embeddings came from the cache' }));
    }
    return el('span', null, parts);
  }

  // ---------- sortable tables ----------

  /**
   * columns: [{ label, value(row) -> sortable, cell(row) -> string|Node, num, cls(row) }]
   * Clicking a header sorts by it; clicking again reverses. options.detail(row) -> Node makes
   * the first cell a toggle that opens a row of details beneath (kept open across sorting).
   */
  function sortableTable(columns, rows, options) {
    options = options || {};
    var tbody = el('tbody');
    var sortIndex = -1;
    var dir = 1;
    var open = [];
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
        var isOpen = open.indexOf(r) >= 0;
        tbody.appendChild(el('tr', { class: options.rowClass ? options.rowClass(r) : null }, columns.map(function (c, i) {
          var content = c.cell ? c.cell(r) : c.value(r);
          var cls = [c.num ? 'num' : '', c.cls ? c.cls(r) || '' : ''].join(' ').trim();
          var node = content === null || content === undefined ? '' : typeof content === 'object' ? content : String(content);
          if (i === 0 && options.detail) {
            node = el('button', { type: 'button', class: 'expand', 'aria-expanded': isOpen ? 'true' : 'false', title: 'Show the full configuration', onclick: function () {
              if (isOpen) open.splice(open.indexOf(r), 1);
              else open.push(r);
              draw();
            } }, [el('span', { class: 'caret', text: isOpen ? '\u25be' : '\u25b8' }), node]);
          }
          return el('td', { class: cls || null }, [node]);
        })));
        if (isOpen) tbody.appendChild(el('tr', { class: 'detail' }, [el('td', { colspan: columns.length }, [options.detail(r)])]));
      });
    }
    draw();
    return el('div', { class: 'table-wrap' }, [el('table', null, [el('thead', null, [el('tr', null, heads)]), tbody])]);
  }

  // ---------- charts ----------

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
      var ds = { label: s.label, data: s.data, backgroundColor: s.color || PALETTE[i % PALETTE.length], borderRadius: 2, maxBarThickness: 14, categoryPercentage: 0.8, barPercentage: 0.9 };
      if (s.errors) ds.errors = s.errors;
      return ds;
    });
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
   * Error bars (chart.js 4 has none built in): a dataset's `errors[i] = { low, high }` is drawn
   * as a whisker with caps through bar or point i, along the value axis. The canvas records how
   * many it drew in data-error-bars.
   */
  var errorBars = {
    id: 'errorBars',
    afterDatasetsDraw: function (chart) {
      var horizontal = chart.options.indexAxis === 'y';
      var scale = horizontal ? chart.scales.x : chart.scales.y;
      var ctx = chart.ctx;
      var drawn = 0;
      ctx.save();
      ctx.strokeStyle = '#1d2330';
      ctx.lineWidth = 1.25;
      chart.data.datasets.forEach(function (ds, di) {
        if (!ds.errors || !chart.isDatasetVisible(di)) return;
        chart.getDatasetMeta(di).data.forEach(function (p, i) {
          var e = ds.errors[i];
          if (!e || typeof e.low !== 'number' || typeof e.high !== 'number') return;
          var a = scale.getPixelForValue(e.low);
          var b = scale.getPixelForValue(e.high);
          var cap = horizontal ? Math.max(2, Math.min(5, (p.height || 8) / 2 - 1)) : 4;
          ctx.beginPath();
          if (horizontal) {
            ctx.moveTo(a, p.y); ctx.lineTo(b, p.y);
            ctx.moveTo(a, p.y - cap); ctx.lineTo(a, p.y + cap);
            ctx.moveTo(b, p.y - cap); ctx.lineTo(b, p.y + cap);
          } else {
            ctx.moveTo(p.x, a); ctx.lineTo(p.x, b);
            ctx.moveTo(p.x - cap, a); ctx.lineTo(p.x + cap, a);
            ctx.moveTo(p.x - cap, b); ctx.lineTo(p.x + cap, b);
          }
          ctx.stroke();
          drawn++;
        });
      });
      ctx.restore();
      chart.canvas.setAttribute('data-error-bars', String(drawn));
    },
  };

  /** Tooltip title: the run's short name, then its full id. */
  function runTitle(items) {
    var item = items[0];
    var run = item && item.chart.$runs ? item.chart.$runs[item.dataIndex] : null;
    return run ? [run.name, run.id] : item ? String(item.label) : '';
  }

  /**
   * Horizontal grouped bars, one group per label: readable with many runs, and as tall as its
   * groups need. `runs` (same order as labels) gives tooltips the full configuration.
   */
  function hbar(parent, title, note, labels, series, valueAxis, tooltipLabel, runs) {
    var perGroup = Math.max(series.length * 13 + 14, 29);
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
              title: runs ? runTitle : undefined,
              label: tooltipLabel || function (c) { return c.dataset.label + ': ' + c.formattedValue; },
            },
          },
        },
      },
      plugins: [errorBars, {
        id: 'runs',
        beforeInit: function (chart) { chart.$runs = runs || null; },
      }],
    }, Math.max(220, labels.length * perGroup + 90));
  }

  /** Draws run names beside the points of the scatter chart, inside the plot area. */
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
        var text = ds.data[i].name;
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
    var acc = completed.filter(function (r) { return ACCURACY.some(function (m) { return r.metrics[m] !== null; }); });
    hbar(grid, 'Accuracy per configuration', 'Answer citations correct, questions answered (k = ' + data.summary.settings.k + '), and IR metrics against the evidence. Error bars: ' + confidenceText() + '.',
      acc.map(function (r) { return r.name; }),
      ACCURACY.map(function (m) {
        return {
          label: labelOf(m),
          data: acc.map(function (r) { return r.metrics[m]; }),
          errors: acc.map(function (r) { return r.intervals[m] || null; }),
        };
      }),
      { min: 0, max: 1 },
      function (c) {
        var iv = c.dataset.errors && c.dataset.errors[c.dataIndex];
        return c.dataset.label + ': ' + c.raw.toFixed(3) + (iv ? ' ' + fmtInterval('accuracy.semanticAccuracy', iv) : '');
      },
      acc);

    var lat = completed.filter(function (r) { return r.metrics['latency.p95Ms'] !== null; });
    var latValues = [];
    lat.forEach(function (r) { ['latency.p50Ms', 'latency.p95Ms', 'latency.p99Ms'].forEach(function (m) { latValues.push(r.metrics[m]); }); });
    var logLat = wideRange(latValues);
    hbar(grid, 'Query latency percentiles', 'Query embedding + search, ' + (lat[0] ? lat[0].metrics['latency.samples'] : 0) + ' samples a run' + (logLat ? '; logarithmic axis.' : '.'),
      lat.map(function (r) { return r.name; }),
      [['p50', 'latency.p50Ms'], ['p95', 'latency.p95Ms'], ['p99', 'latency.p99Ms']].map(function (p) {
        return { label: p[0], data: lat.map(function (r) { return r.metrics[p[1]]; }) };
      }),
      { type: logLat ? 'logarithmic' : 'linear', title: { display: true, text: 'ms' } },
      function (c) { return c.dataset.label + ': ' + fmt('latency.p95Ms', c.raw); },
      lat);

    var cost = data.pareto.cost;
    var benefit = data.pareto.metric;
    var pts = completed.filter(function (r) { return r.metrics[cost] !== null && r.metrics[benefit] !== null; }).map(function (r) {
      return { x: r.metrics[cost], y: r.metrics[benefit], id: r.id, name: r.name, interval: r.intervals[benefit] || null };
    });
    var front = data.pareto.front.map(function (id) {
      return pts.filter(function (p) { return p.id === id; })[0];
    }).filter(Boolean);
    var minY = pts.reduce(function (m, p) { return Math.min(m, p.interval ? p.interval.low : p.y); }, 1);
    chartCard(grid, 'Accuracy vs latency', labelOf(benefit) + ' (with its interval) against ' + labelOf(cost) + '. The dashed line joins the Pareto front: configurations no other one beats on both.', {
      type: 'scatter',
      data: {
        datasets: [
          { label: 'configurations', data: pts, errors: pts.map(function (p) { return p.interval; }), backgroundColor: PALETTE[0], pointRadius: 5, pointHoverRadius: 7, pointStyle: 'circle' },
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
          tooltip: { callbacks: {
            title: function (items) { return items[0] ? [items[0].raw.name, items[0].raw.id] : ''; },
            label: function (c) { return fmt(benefit, c.raw.y) + (c.raw.interval ? ' ' + fmtInterval(benefit, c.raw.interval) : '') + ' at ' + fmt(cost, c.raw.x); },
          } },
        },
      },
      plugins: [errorBars, pointLabels],
    }, 340);

    var ingestValues = [];
    data.ingest.forEach(function (g) { ingestValues.push(g.pagesPerSecond, g.chunksPerSecond, g.embeddingsPerSecond); });
    var logIngest = wideRange(ingestValues);
    var cachedNote = data.ingest.some(function (g) { return g.embeddingSource === 'cache' || g.embeddingSource === 'mixed'; })
      ? ' Groups marked "from cached embeddings" read their embeddings from the disk cache: their pages/s is not the model\u2019s throughput.' : '';
    hbar(grid, 'Ingest throughput per extractor / chunker', 'Mean over the runs sharing an extractor and chunker; embeddings/s counts embeddings computed (not cached) in the run' + (logIngest ? '; logarithmic axis.' : '.') + cachedNote,
      data.ingest.map(function (g) {
        var lines = [g.label];
        if (g.embeddingSource === 'cache') lines.push('(from cached embeddings)');
        if (g.embeddingSource === 'mixed') lines.push('(partly from cached embeddings)');
        return lines.length > 1 ? lines : g.label;
      }),
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
    var runObjects = runs.map(function (id) { return runOf(id) || { name: id, id: id }; });
    var find = function (run, metric) {
      return deltas.filter(function (d) { return d.run === run && d.metric === metric; })[0];
    };
    hbar(grid, 'Accuracy change vs baseline', 'Absolute change against baseline run ' + data.baseline.runId + '; left of zero is worse. Whether a change is significant is in the checks (paired tests).',
      runObjects.map(function (r) { return r.name; }),
      ACCURACY.map(function (m) {
        return { label: labelOf(m), data: runs.map(function (r) { var d = find(r, m); return d ? d.delta : null; }) };
      }),
      { title: { display: true, text: 'absolute change' } }, null, runObjects);
    var relMetrics = ['latency.p50Ms', 'latency.p95Ms', 'latency.p99Ms', 'ingest.pagesPerSecond'];
    hbar(grid, 'Latency and throughput change vs baseline', 'Relative change; for latency, right of zero is slower.',
      runObjects.map(function (r) { return r.name; }),
      relMetrics.map(function (m) {
        return { label: labelOf(m), data: runs.map(function (r) { var d = find(r, m); return d && d.relative !== null ? d.relative * 100 : null; }) };
      }),
      { title: { display: true, text: '% change' } },
      function (c) { return c.dataset.label + ': ' + (c.raw >= 0 ? '+' : '') + c.raw.toFixed(1) + '%'; },
      runObjects);
  }

  // ---------- tables ----------

  var failedCell = {};

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

  function sourceText(source) {
    return { model: 'model', cache: 'from cache', mixed: 'mixed', none: 'none' }[source] || 'n/a';
  }

  /** The full configuration and facts of a run, opened under its row. */
  function runDetail(r) {
    var pairs = [
      ['Run id', el('code', { text: r.id })],
      ['Name', r.name],
      ['Extractor', r.config.extractor], ['Chunker', r.config.chunker], ['Embedder', r.config.embedder],
      ['Store', r.config.store], ['Retriever', r.config.retriever],
      ['Status', r.status + (r.error ? ': ' + r.error : '')],
      ['Embeddings', r.embeddingSource === 'cache' ? 'all from the disk cache (ingest throughput is not the model\u2019s)' : r.embeddingSource === 'mixed' ? 'partly from the disk cache' : r.embeddingSource === 'model' ? 'computed by the model' : 'no embedder'],
      ['Peak RSS', r.memoryScope === null ? 'n/a' : fmt('memory.peakRssBytes', r.metrics['memory.peakRssBytes']) + (r.memoryScope === 'run' ? ' (the run\u2019s own process)' : ' (process-wide: shared with the other runs)')],
    ];
    var ivs = Object.keys(r.intervals);
    if (ivs.length) {
      pairs.push(['Intervals', ivs.map(function (p) { return labelOf(p) + ' ' + fmt(p, r.metrics[p]) + ' ' + fmtInterval(p, r.intervals[p]); }).join('; ')]);
    }
    return kv(pairs);
  }

  function renderConfigurations() {
    var s = section('configurations', 'Configurations', 'Every configuration with every metric it measured; accuracy figures carry their ' + confidenceText() + '. Click a header to sort, a run name for its full configuration; red cells failed a check, green is the best value of a column.');
    var best = bestValues();
    // A consensus store's label lists every backend: cut in the table, whole on hover and under the run.
    var text = function (label, f) {
      return { label: label, value: f, cls: function () { return 'nowrap'; }, cell: function (r) {
        var v = f(r);
        return v.length > 48 ? el('span', { title: v, text: v.slice(0, 46) + '\u2026' }) : v;
      } };
    };
    var columns = [
      { label: 'Run', value: function (r) { return r.name; }, cell: function (r) { return runLabel(r.id); }, cls: function () { return 'nowrap'; } },
      { label: 'Status', value: function (r) { return r.status; }, cell: statusPill },
      text('Extractor', function (r) { return r.config.extractor; }),
      text('Chunker', function (r) { return r.config.chunker; }),
      text('Embedder', function (r) { return r.config.embedder; }),
      text('Store', function (r) { return r.config.store; }),
      text('Retriever', function (r) { return r.config.retriever; }),
      { label: 'Embeddings', title: 'Where the ingest\u2019s embeddings came from', value: function (r) { return r.embeddingSource; }, cell: function (r) { return sourceText(r.embeddingSource); }, cls: function () { return 'nowrap'; } },
    ].concat(data.columns.map(function (c) {
      return {
        label: c.label,
        title: c.path + (c.better ? ' (' + c.better + ' is better)' : '') + (c.path === 'memory.peakRssBytes' ? '; labelled by what was measured: own process or process-wide' : ''),
        num: true,
        value: function (r) { return r.metrics[c.path]; },
        cell: function (r) { return metricCell(r, c.path); },
        cls: function (r) {
          if (failedCell[r.id + '\u0000' + c.path] || failedCell[r.name + '\u0000' + c.path]) return 'bad';
          return best[c.path] !== undefined && r.metrics[c.path] === best[c.path] ? 'best' : '';
        },
      };
    }));
    s.appendChild(sortableTable(columns, data.runs, { empty: 'No runs.', detail: runDetail }));
    var errored = data.runs.filter(function (r) { return r.error && r.status !== 'skipped'; });
    if (errored.length) {
      s.appendChild(el('h3', { text: 'Errors' }));
      s.appendChild(el('ul', { class: 'failures' }, errored.map(function (r) {
        return el('li', null, [runLabel(r.id), ': ', el('code', { text: r.error })]);
      })));
    }
    var skipped = data.runs.filter(function (r) { return r.status === 'skipped'; });
    if (skipped.length) {
      s.appendChild(el('h3', { text: 'Skipped' }));
      s.appendChild(el('p', { class: 'muted', text: 'Not run, for the reason given (e.g. a hosted backend without credentials): nothing was measured or faked; the gate reports them as warnings.' }));
      s.appendChild(el('ul', { class: 'skipped' }, skipped.map(function (r) {
        return el('li', null, [runLabel(r.id), ': ', el('span', { class: 'reason', text: r.error || 'no reason given' })]);
      })));
    }
    renderAnswerQuality(s);
  }

  /** Citation accuracy, faithfulness and no-answer detection side by side, with a plain reading. */
  function renderAnswerQuality(s) {
    var rows = completed.filter(function (r) { return r.metrics['accuracy.citationAccuracy'] !== null || r.metrics['accuracy.noAnswerAuroc'] !== null; });
    if (!rows.length) return;
    s.appendChild(el('h3', { id: 'answers', text: 'Citations and unanswerable questions' }));
    var auc = rows.filter(function (r) { return r.metrics['accuracy.noAnswerAuroc'] !== null; });
    var nearChance = auc.filter(function (r) { return r.metrics['accuracy.noAnswerAuroc'] < 0.6; });
    var notes = [
      'Citation accuracy: of the answerable questions with an answer citation (the first top-k hit containing a gold answer), the share whose citation verifies through a second extractor, cites the page of the gold evidence and supports the question. Citation faithfulness: of every citation returned, the share that verifies.',
      'No-answer AUROC: how well the top-1 retrieval score separates answerable from unanswerable questions (0.5 is chance, 1 perfect).',
    ];
    s.appendChild(el('p', { class: 'muted', text: notes.join(' ') }));
    if (nearChance.length) {
      var all = nearChance.length === auc.length;
      s.appendChild(el('p', { class: 'notice', id: 'auroc-note', text: (all ? 'For every configuration' : 'For ' + nearChance.map(function (r) { return r.name; }).join(', ')) +
        ', the no-answer AUROC is below 0.6: the top-1 retrieval score barely tells answerable from unanswerable questions, so a score threshold cannot tell when the pipeline does not know.' }));
    }
    s.appendChild(sortableTable([
      { label: 'Run', value: function (r) { return r.name; }, cell: function (r) { return runLabel(r.id); }, cls: function () { return 'nowrap'; } },
      { label: 'Citation accuracy', num: true, value: function (r) { return r.metrics['accuracy.citationAccuracy']; }, cell: function (r) { return metricCell(r, 'accuracy.citationAccuracy'); } },
      { label: 'Citation faithfulness', num: true, value: function (r) { return r.metrics['accuracy.citationFaithfulness']; }, cell: function (r) { return metricCell(r, 'accuracy.citationFaithfulness'); } },
      { label: 'No-answer AUROC', num: true, value: function (r) { return r.metrics['accuracy.noAnswerAuroc']; }, cell: function (r) { return metricCell(r, 'accuracy.noAnswerAuroc'); } },
      { label: 'Reading', value: function (r) { return r.metrics['accuracy.noAnswerAuroc']; }, cell: function (r) {
        var a = r.metrics['accuracy.noAnswerAuroc'];
        if (a === null) return 'no unanswerable questions scored';
        var iv = r.intervals['accuracy.noAnswerAuroc'];
        if (iv && iv.low <= 0.5 && iv.high >= 0.5) return 'indistinguishable from chance';
        return a < 0.6 ? 'near chance' : a < 0.75 ? 'weak' : 'useful';
      } },
    ], rows));
  }

  function checkPill(c) {
    if (c.status === 'pass') return pill('pass', 'pass');
    if (c.status === 'warn' || (c.status === 'fail' && c.blocking === false)) return pill('warn', 'warn', 'missed, but does not block the decision in this gate mode');
    if (c.status === 'fail') return pill('fail', 'FAIL');
    return pill('na', 'n/a');
  }

  function thresholdText(c) {
    return c.op + ' ' + (typeof c.threshold === 'number' ? fmt(c.metric, c.threshold) : c.threshold);
  }

  function testText(c) {
    var t = c.test;
    if (!t) return '';
    var iv = t.interval ? ', interval ' + fmtInterval(c.metric, t.interval) : '';
    return t.method + ', p ' + (t.pValue === null ? 'n/a' : t.pValue < 0.001 ? '< 0.001' : '= ' + t.pValue.toFixed(3)) + iv + (t.significant === undefined ? '' : t.significant ? ', significant' : ', not significant') + ' at ' + t.level;
  }

  var CHECK_ORDER = { fail: 0, warn: 1, pass: 2, 'not-measured': 3 };

  function checkRank(c) {
    return c.status === 'fail' && c.blocking === false ? 1 : CHECK_ORDER[c.status];
  }

  function renderChecks() {
    var checks = data.verdict.checks;
    var mode = data.verdict.mode ? ' Gate mode: ' + data.verdict.mode + (data.verdict.mode === 'nightly' ? ' (regressions block; target misses warn).' : ' (target misses and regressions block).') : '';
    var s = section('checks', 'Checks', checks.length + ' checks from ' + data.verdictSource + '. Failures first, then warnings; "n/a" checks did not apply to their run. Comparisons name their test.' + mode);
    var sorted = checks.slice().sort(function (a, b) { return checkRank(a) - checkRank(b); });
    var failuresOnly = el('input', { type: 'checkbox', id: 'checks-failures' });
    var withNa = el('input', { type: 'checkbox', id: 'checks-na' });
    var failedCount = checks.filter(function (c) { return checkRank(c) <= 1; }).length;
    var naCount = checks.filter(function (c) { return c.status === 'not-measured'; }).length;
    s.appendChild(el('div', { class: 'toolbar' }, [
      el('label', null, [failuresOnly, 'Failures and warnings only (' + failedCount + ')']),
      el('label', null, [withNa, 'Show checks that did not apply (' + naCount + ')']),
    ]));
    var holder = el('div');
    s.appendChild(holder);
    function draw() {
      clear(holder);
      var rows = sorted.filter(function (c) {
        if (failuresOnly.checked) return checkRank(c) <= 1;
        return withNa.checked || c.status !== 'not-measured';
      });
      holder.appendChild(checksTable(rows));
    }
    failuresOnly.addEventListener('change', draw);
    withNa.addEventListener('change', draw);
    draw();
  }

  function checksTable(rows) {
    return sortableTable([
      { label: 'Result', value: checkRank, cell: checkPill },
      { label: 'Run', value: function (c) { return nameOf(c.run); }, cell: function (c) { return runLabel(c.run); }, cls: function () { return 'nowrap'; } },
      { label: 'Check', value: function (c) { return c.name; }, cell: function (c) { return el('code', { text: c.name }); }, cls: function () { return 'nowrap'; } },
      { label: 'Value', num: true, value: function (c) { return c.value; }, cell: function (c) { return fmt(c.metric, c.value); } },
      { label: 'Threshold', num: true, value: function (c) { return c.threshold; }, cell: thresholdText },
      { label: 'Test', value: function (c) { return c.test ? c.test.pValue : null; }, cell: testText, title: 'The statistical test behind a comparison: method, p-value, interval of the difference' },
      { label: 'Source', value: function (c) { return c.source; } },
      { label: 'Detail', value: function (c) { return c.detail || ''; } },
    ], rows, { empty: 'No checks to show.' });
  }

  function renderBaseline() {
    if (!data.baseline) return;
    var b = data.baseline;
    var s = section('baseline', 'Change vs baseline', 'Baseline run ' + b.runId + ' (' + b.startedAt + '). Runs are matched by configuration (run id); green is better, red is worse by the metric\u2019s direction. Whether a change is beyond noise is decided in the checks.');
    s.appendChild(sortableTable([
      { label: 'Run', value: function (d) { return nameOf(d.run); }, cell: function (d) { return runLabel(d.run); }, cls: function () { return 'nowrap'; } },
      { label: 'Metric', value: function (d) { return d.metric; }, cell: function (d) { return el('span', { title: d.metric, text: labelOf(d.metric) }); } },
      { label: 'Baseline', num: true, value: function (d) { return d.baseline; }, cell: function (d) { return fmt(d.metric, d.baseline); } },
      { label: 'Current', num: true, value: function (d) { return d.value; }, cell: function (d) { return fmt(d.metric, d.value); } },
      { label: '\u0394', num: true, value: function (d) { return d.delta; }, cell: function (d) { return fmtDelta(d.metric, d.delta); }, cls: function (d) { return d.direction === 'better' ? 'better' : d.direction === 'worse' ? 'worse' : ''; } },
      { label: '\u0394 %', num: true, value: function (d) { return d.relative; }, cell: function (d) { return d.relative === null ? 'n/a' : (d.relative >= 0 ? '+' : '') + (d.relative * 100).toFixed(1) + '%'; }, cls: function (d) { return d.direction === 'better' ? 'better' : d.direction === 'worse' ? 'worse' : ''; } },
    ], b.deltas, { empty: 'No run of this summary has a baseline run of the same configuration.' }));
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
        byKey[key].runs.push(r.name);
      });
    });
    s.appendChild(sortableTable([
      { label: 'Document', value: function (x) { return x.doc; } },
      { label: 'Extractor', value: function (x) { return x.extractor; }, cell: function (x) { return pill('info', x.extractor); } },
      { label: 'Reason', value: function (x) { return x.reason; } },
      { label: 'Runs', value: function (x) { return x.runs.join(', '); } },
    ], rows, { empty: 'No run used the router.' }));
  }

  function renderMethod() {
    var sm = data.summary;
    var g = sm.golden;
    var p = g.sample;
    var st = sm.settings.statistics;
    var s = section('method', 'Method', 'What was scored, how intervals were computed, and where tuned values came from.');
    var roles = [];
    if (sm.suite.candidate) roles.push(['Candidate', sm.suite.candidate]);
    if (sm.suite.deployed) roles.push(['Deployed', sm.suite.deployed]);
    s.appendChild(el('div', { class: 'two' }, [
      el('div', null, [
        el('h3', { text: 'Golden set and sample' }),
        kv([
          ['Golden set', g.name + ' (' + g.path + ')'],
          ['Whole set', g.questions + ' questions (' + g.answerable + ' answerable, ' + (g.questions - g.answerable) + ' unanswerable), ' + g.documents + ' documents'],
          ['Split', p.split],
          ['Sample', p.method === 'all' ? 'every question of the split' : p.method + ' (every (n/size)-th question, so each document keeps its share)'],
          ['Seed', p.seed === null ? 'none (deterministic)' : p.seed],
          ['Scored', p.size + ' questions: ' + p.answerable + ' answerable, ' + p.unanswerable + ' unanswerable'],
          ['Short answers', p.shortAnswers + ' answerable questions whose shortest gold answer has \u2264 3 characters (matched on token boundaries)'],
        ]),
        el('h3', { text: 'Statistics' }),
        kv([
          ['Intervals', st.method],
          ['Confidence', Math.round(st.confidence * 100) + '%'],
          ['Resamples', st.resamples],
          ['Seed', st.seed],
          ['Paired comparisons', 'exact McNemar test on the questions two runs disagree on (Compare)'],
        ]),
      ]),
      el('div', null, [
        el('h3', { text: 'Suite' }),
        kv([['Suite', sm.suite.name + ' (' + sm.suite.file + ')']].concat(roles).concat([
          ['k', sm.settings.k],
          ['Latency', sm.settings.latencySamples + ' samples in ' + sm.settings.latencyRounds + ' rounds'],
          ['Relevance', sm.settings.relevance],
          ['Citation', sm.settings.citation],
        ])),
        el('h3', { text: 'Tuned values' }),
        sm.suite.tuned && sm.suite.tuned.length
          ? sortableTable([
            { label: 'Parameter', value: function (t) { return t.parameter; }, cell: function (t) { return el('code', { text: t.parameter }); } },
            { label: 'Value', value: function (t) { return JSON.stringify(t.value); } },
            { label: 'Source', value: function (t) { return t.source; } },
          ], sm.suite.tuned)
          : el('p', { class: 'empty', text: 'The suite records no tuned values.' }),
      ]),
    ]));
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
        kv([['Run id', sm.runId], ['Started', sm.startedAt], ['Finished', sm.finishedAt]]),
      ]),
      el('div', null, [el('h3', { text: 'Versions' }), versions.length ? kv(versions) : el('p', { class: 'empty', text: 'None recorded.' })]),
    ]));
    if (data.warnings.length) {
      s.appendChild(el('h3', { text: 'Report warnings' }));
      s.appendChild(el('ul', null, data.warnings.map(function (w) { return el('li', { text: w }); })));
    }
  }

  // ---------- consensus and backends ----------

  var ROLE_COLORS = { healthy: '#2f5bd3', down: '#98a2b3', liar: '#e8710a', suspect: '#d92d20' };

  function ratioText(v) {
    return v === null || v === undefined ? 'n/a' : v.toFixed(3);
  }

  function msText(v) {
    return v === null || v === undefined ? 'n/a' : (v < 10 ? v.toFixed(2) : v.toFixed(1)) + ' ms';
  }

  function signedPercent(x) {
    if (x === null || x === undefined) return 'n/a';
    var pct = x * 100;
    return (pct > 0 ? '+' : pct < 0 ? '\u2212' : '\u00b1') + (Math.abs(pct) >= 100 ? Math.abs(pct).toFixed(0) : Math.abs(pct).toFixed(1)) + '%';
  }

  function signedRatio(d) {
    return (d > 0 ? '+' : d < 0 ? '\u2212' : '\u00b1') + Math.abs(d).toFixed(3);
  }

  function countText(n, one, many) {
    return n + ' ' + (n === 1 ? one : many || one + 's');
  }

  /**
   * A value with a muted note below it, for a table cell. A note given as a list breaks only
   * between its parts, so a narrow column never splits "b 0 / c 12" or "WAL 10 / 0 / 10".
   */
  function withNote(text, note, title) {
    var parts = typeof note === 'string' ? (note ? [note] : []) : note;
    var children = [];
    parts.forEach(function (p, i) {
      if (i) children.push(' ');
      children.push(el('span', { class: 'part', text: i ? '\u00b7 ' + p : p }));
    });
    var sub = parts.length ? el('span', { class: 'ci sub', title: title }, children) : null;
    return el('span', null, [el('span', { text: text }), sub]);
  }

  function accuracyCell(v, iv) {
    return withNote(ratioText(v), iv && v !== null ? fmtInterval('accuracy.semanticAccuracy', iv) : '', confidenceText());
  }

  /** The scenario's name with its status when it did not complete, and a mark on the fault-free reference. */
  function scenarioLabel(x) {
    var parts = [runLabel(x.run)];
    if (x.status !== 'completed') parts.push(' ', statusPill({ status: x.status, error: x.error }));
    else if (x.figures && x.figures.isFaultFree) parts.push(' ', pill('info', 'fault-free', 'the reference the other scenarios are compared with'));
    return el('span', { class: 'run-label' }, parts);
  }

  function figure(f) {
    return function (x) { return x.figures ? f(x.figures) : null; };
  }

  function renderConsensus() {
    var c = data.consensus;
    if (!c) return;
    var ff = c.faultFreeRun;
    var s = section('consensus', 'Consensus under faults', 'Each scenario runs the same questions through the storage router over several backends (docs/consensus.md)' +
      (ff ? ', compared with the fault-free run ' + ff : '') + '. Agreement: weighted mean overlap of the answering backends with the merged top-k. Answered: queries whose merged top-k met the quorum. Open a scenario for its backends: weight, trust, suspect flag, dissents and failures.');
    var done = c.scenarios.filter(function (x) { return x.figures; });
    var grid = el('div', { class: 'grid' });
    s.appendChild(grid);
    if (done.length) {
      hbar(grid, 'Agreement and answers per scenario', 'Share of queries, or mean agreement; 1 is best.' + (ff ? ' Identical: questions whose top-k ids equal ' + ff + '\u2019s.' : ''),
        done.map(function (x) { return x.name; }),
        [
          { label: 'agreement', data: done.map(function (x) { return x.figures.agreement; }) },
          { label: 'answered with a quorum', data: done.map(function (x) { return x.figures.answeredFraction; }) },
          { label: ff ? 'top-k identical to ' + ff : 'top-k identical to fault-free', data: done.map(function (x) { return x.figures.identicalToFaultFree; }) },
        ],
        { min: 0, max: 1 },
        function (ctx) { return ctx.dataset.label + ': ' + (ctx.raw === null ? 'n/a' : ctx.raw.toFixed(3)); },
        done.map(function (x) { return runOf(x.run) || { name: x.name, id: x.run }; }));
      trustChart(grid, done);
    }
    s.appendChild(sortableTable(consensusColumns(ff), c.scenarios, { empty: 'No consensus scenarios.', detail: scenarioDetail }));
    quorumNotes(s, done);
    lostChunks(s, done);
  }

  function consensusColumns(ff) {
    var ref = ff || 'fault-free';
    return [
      { label: 'Scenario', value: function (x) { return x.name; }, cell: scenarioLabel, cls: function () { return 'nowrap'; } },
      { label: 'Agreement', num: true, title: 'Mean per-query agreement: weighted overlap of the answering backends with the merged top-k', value: figure(function (f) { return f.agreement; }), cell: function (x) { return x.figures ? ratioText(x.figures.agreement) : 'n/a'; } },
      { label: 'Answered with quorum', num: true, title: 'Share of queries whose merged top-k met the quorum; no quorum: answered best effort; unanswered: no backend answered', value: figure(function (f) { return f.answeredFraction; }), cell: function (x) {
        var f = x.figures;
        return f ? withNote(ratioText(f.answeredFraction), [f.noQuorum + ' no quorum', f.unanswered + ' unanswered']) : 'n/a';
      }, cls: function (x) { return x.figures && x.figures.unanswered > 0 ? 'bad' : ''; } },
      { label: 'Top-k = ' + ref, num: true, title: 'Share of questions whose top-k ids are identical to the fault-free run ' + ref + '\u2019s', value: figure(function (f) { return f.identicalToFaultFree; }), cell: function (x) { return x.figures ? ratioText(x.figures.identicalToFaultFree) : 'n/a'; } },
      { label: 'Semantic accuracy', num: true, value: figure(function (f) { return f.semanticAccuracy; }), cell: function (x) { return x.figures ? accuracyCell(x.figures.semanticAccuracy, x.figures.semanticInterval) : 'n/a'; } },
      { label: '\u0394 accuracy vs ' + ref, num: true, title: 'Paired on the same questions: b = right only here, c = right only in ' + ref + '; exact McNemar p', value: figure(function (f) { return f.paired ? f.paired.delta : null; }), cell: function (x) {
        var f = x.figures;
        if (!f) return 'n/a';
        if (f.isFaultFree) return el('span', { class: 'muted', text: 'reference' });
        if (!f.paired) return 'n/a';
        return withNote(signedRatio(f.paired.delta), ['b ' + f.paired.onlyRun + ' / c ' + f.paired.onlyFaultFree, 'p ' + (f.paired.pValue < 0.001 ? '< 0.001' : '= ' + f.paired.pValue.toFixed(3))], 'exact McNemar test of the questions the two runs disagree on');
      }, cls: function (x) {
        var p = x.figures && x.figures.paired;
        return p && p.pValue < 1 - data.summary.settings.statistics.confidence ? (p.delta < 0 ? 'worse' : 'better') : '';
      } },
      { label: 'Consensus p95', num: true, title: 'p95 of the router\u2019s query (all backends in parallel, vote and merge); p50 below it', value: figure(function (f) { return f.latency.p95; }), cell: function (x) { return x.figures ? withNote(msText(x.figures.latency.p95), 'p50 ' + msText(x.figures.latency.p50)) : 'n/a'; } },
      { label: 'p95 vs ' + ref, num: true, title: 'Consensus p95 against the fault-free run\u2019s', value: figure(function (f) { return f.latency.overheadVsFaultFree; }), cell: function (x) {
        var l = x.figures && x.figures.latency;
        if (!l) return 'n/a';
        if (x.figures.isFaultFree) return el('span', { class: 'muted', text: 'reference' });
        if (l.overheadVsFaultFree === null) return 'n/a';
        var d = l.p95 - l.faultFreeP95;
        return withNote(signedPercent(l.overheadVsFaultFree), (d >= 0 ? '+' : '\u2212') + msText(Math.abs(d)));
      } },
      { label: 'p95 vs slowest healthy backend', num: true, title: 'Consensus p95 against the p95 of the slowest healthy backend that answered, measured inside the same run', value: figure(function (f) { return f.latency.overheadVsSlowestHealthy; }), cell: function (x) {
        var l = x.figures && x.figures.latency;
        if (!l || !l.slowestHealthy) return 'n/a';
        return withNote(signedPercent(l.overheadVsSlowestHealthy), l.slowestHealthy.name + ' ' + msText(l.slowestHealthy.p95));
      } },
      { label: 'Flagged suspect', title: 'Backends the router flagged suspect, and after how many queries it first did (e.g. “liar-1 after 4”)', value: figure(function (f) { return f.backends.filter(function (b) { return b.suspect; }).length; }), cell: function (x) {
        if (!x.figures) return 'n/a';
        var flagged = x.figures.backends.filter(function (b) { return b.suspect; });
        if (!flagged.length) return el('span', { class: 'muted', text: 'none' });
        return el('span', null, flagged.map(function (b, i) {
          return el('span', null, [i ? el('br') : null, el('span', { class: 'flagged' }, [el('b', { text: b.name }), b.flaggedAfterQueries === null ? '' : ' after ' + b.flaggedAfterQueries])]);
        }));
      } },
      { label: 'Chunks lost', num: true, title: 'Written chunks that no reachable backend holds and no write-ahead log still carries, after ingest; below: write-ahead log entries appended for backends that missed a write, replayed to them, still pending', value: figure(function (f) { return f.chunksLost; }), cell: function (x) {
        var f = x.figures;
        if (!f) return 'n/a';
        return withNote(fmt('consensus.chunksLost', f.chunksLost), 'WAL ' + f.writes.walAppends + ' / ' + f.writes.walReplayed + ' / ' + f.writes.walPending, 'write-ahead log: appended / replayed / pending');
      }, cls: function (x) { return x.figures && x.figures.chunksLost > 0 ? 'bad' : ''; } },
    ];
  }

  function roleOf(b) {
    return b.suspect ? 'suspect' : b.role;
  }

  function roleText(b) {
    if (b.suspect) return pill('fail', 'suspect', b.flaggedAfterQueries === null ? 'flagged suspect' : 'flagged after ' + countText(b.flaggedAfterQueries, 'query', 'queries'));
    if (b.role === 'liar') return pill('warn', 'wrong answers', 'an injected lie or dropped writes, not flagged');
    if (b.role === 'down') return pill('na', 'down or slow', 'an injected crash, slowness or flapping');
    return pill('pass', 'healthy');
  }

  function backendTable(f) {
    return sortableTable([
      { label: 'Backend', value: function (b) { return b.name; }, cell: function (b) { return el('b', { text: b.name }); }, cls: function () { return 'nowrap'; } },
      { label: 'Store', value: function (b) { return b.store; } },
      { label: 'Faults', title: 'Faults the suite injected (the faulty wrapper)', value: function (b) { return b.faults.join('; '); }, cell: function (b) { return b.faults.length ? b.faults.join('; ') : el('span', { class: 'muted', text: 'none' }); } },
      { label: 'State', value: roleOf, cell: roleText },
      { label: 'Weight', num: true, title: 'Vote and quorum weight at the end: base weight \u00d7 trust (adaptive weights)', value: function (b) { return b.weight; }, cell: function (b) { return withNote(b.weight.toFixed(3), 'base ' + b.baseWeight); } },
      { label: 'Trust', num: true, value: function (b) { return b.trust; }, cell: function (b) { return b.trust.toFixed(3); }, cls: function (b) { return b.suspect ? 'bad' : ''; } },
      { label: 'Flagged after', num: true, title: 'Queries after which the backend was first flagged suspect', value: function (b) { return b.flaggedAfterQueries; }, cell: function (b) { return b.flaggedAfterQueries === null ? (b.suspect ? 'n/a' : 'never') : countText(b.flaggedAfterQueries, 'query', 'queries'); } },
      { label: 'Answered', num: true, value: function (b) { return b.answered; } },
      { label: 'Dissents', num: true, value: function (b) { return b.dissents; } },
      { label: 'Timeouts', num: true, value: function (b) { return b.timeouts; } },
      { label: 'Failures', num: true, value: function (b) { return b.failures; } },
      { label: 'Skipped (behind)', num: true, title: 'Queries it sat out because its write-ahead log had writes it had not taken yet', value: function (b) { return b.skippedBehind; } },
      { label: 'p50', num: true, value: function (b) { return b.latencyMs.p50; }, cell: function (b) { return msText(b.latencyMs.p50); } },
      { label: 'p95', num: true, value: function (b) { return b.latencyMs.p95; }, cell: function (b) { return msText(b.latencyMs.p95); } },
      { label: 'After ingest', title: 'The reconciliation after ingest: reachable, records held, missing, WAL entries pending', value: function (b) { return b.reconcile ? b.reconcile.count : null; }, cell: function (b) {
        var r = b.reconcile;
        if (!r) return 'n/a';
        if (!r.reachable) return el('span', { class: 'worse', text: 'unreachable' + (r.error ? ': ' + r.error : '') + (r.walPending ? ' (' + r.walPending + ' pending in its log)' : '') });
        return r.count + ' held' + (r.missingCount ? ', ' + r.missingCount + ' missing' : '') + (r.extraCount ? ', ' + r.extraCount + ' extra' : '') + (r.walPending ? ', ' + r.walPending + ' pending' : '');
      } },
    ], f.backends);
  }

  function scenarioDetail(x) {
    if (!x.figures) return kv([['Status', x.status], ['Reason', x.error || 'none given']]);
    var f = x.figures;
    var q = f.quorum;
    var rec = f.reconcile;
    var box = el('div', { class: 'scenario-detail' });
    box.appendChild(kv([
      ['Quorum', fractionOf(q.quorum) + ' of the configured weight (' + (q.quorumSource === 'suite' ? 'set by the suite' : 'the default') + ')'],
      ['Faults', q.summary],
      ['Queries', f.queries + ' (' + f.noQuorum + ' without a quorum, ' + f.unanswered + ' unanswered)'],
      ['Latency', 'consensus p50 ' + msText(f.latency.p50) + ', p95 ' + msText(f.latency.p95) + (f.latency.slowestHealthy ? '; slowest healthy backend ' + f.latency.slowestHealthy.name + ' p95 ' + msText(f.latency.slowestHealthy.p95) + ' (' + signedPercent(f.latency.overheadVsSlowestHealthy) + ')' : '')],
      ['Writes', f.writes.batches + ' batches, ' + f.writes.retries + ' retries; write-ahead log ' + f.writes.walAppends + ' appended, ' + f.writes.walReplayed + ' replayed, ' + f.writes.walPending + ' pending'],
      ['Reconciliation', rec ? rec.expected + ' chunks written; ' + (rec.consistent ? 'every backend holds exactly them' : 'not consistent (a backend is unreachable, missing chunks, or has writes pending)') + '; ' + countText(rec.lostCount, 'chunk') + ' lost' + (rec.failure ? ': ' + rec.failure : '') : 'none ran'],
    ]));
    box.appendChild(backendTable(f));
    return box;
  }

  /** 0.6666… -> "2/3" (the data's quorum notes use the same rule). */
  function fractionOf(x) {
    for (var d = 1; d <= 12; d++) {
      var n = Math.round(x * d);
      if (Math.abs(n / d - x) < 1e-9) return d === 1 ? String(n) : n + '/' + d;
    }
    return String(Number(x.toFixed(3)));
  }

  /** Scenarios with more faulty backends than their quorum tolerates: what it can and cannot guarantee. */
  function quorumNotes(s, done) {
    var beyond = done.filter(function (x) { return !x.figures.quorum.tolerated; });
    beyond.forEach(function (x) {
      var q = x.figures.quorum;
      s.appendChild(el('div', { class: 'notice quorum-note' }, [
        el('p', null, [el('b', { text: x.name + ': ' }), q.summary]),
        el('p', { class: 'can-title', text: 'What the quorum can guarantee here:' }),
        el('ul', { class: 'can' }, q.can.map(function (t) { return el('li', { text: t }); })),
        el('p', { class: 'cannot-title', text: 'What it cannot guarantee:' }),
        el('ul', { class: 'cannot' }, q.cannot.map(function (t) { return el('li', { text: t }); })),
        el('p', { class: 'muted', text: 'From docs/consensus.md, \u201cWhat a 2/3 quorum can and cannot guarantee with 2 liars of 5\u201d, with this scenario\u2019s backends and counts.' }),
      ]));
    });
  }

  function lostChunks(s, done) {
    var lost = done.filter(function (x) { return x.figures.chunksLost > 0 || (x.figures.reconcile && x.figures.reconcile.failure); });
    if (!lost.length) return;
    s.appendChild(el('h3', { text: 'Chunks lost' }));
    s.appendChild(el('ul', { class: 'failures lost-chunks' }, lost.map(function (x) {
      var r = x.figures.reconcile;
      var ids = r ? r.lostIds : [];
      return el('li', null, [
        runLabel(x.run), ': ',
        el('span', { class: 'reason', text: r && r.failure ? r.failure : countText(x.figures.chunksLost, 'chunk') + ' lost' }),
        ids.length ? el('div', { class: 'lost-ids' }, ['Lost ids: '].concat(ids.map(function (id, i) {
          return el('span', null, [i ? ', ' : '', el('code', { text: id })]);
        })).concat(r.lostCount > ids.length ? [' and ' + (r.lostCount - ids.length) + ' more'] : [])) : null,
      ]);
    })));
  }

  /** One bar per backend of each scenario: its trust at the end, coloured by its state. */
  function trustChart(grid, done) {
    var labels = [];
    var values = [];
    var colors = [];
    var rows = [];
    done.forEach(function (x) {
      x.figures.backends.forEach(function (b) {
        labels.push(x.name + ' \u00b7 ' + b.name);
        values.push(b.trust);
        colors.push(ROLE_COLORS[roleOf(b)]);
        rows.push({ scenario: x.name, b: b });
      });
    });
    var legend = [['healthy', 'healthy'], ['down', 'down or slow (injected)'], ['liar', 'wrong answers, not flagged'], ['suspect', 'flagged suspect']];
    chartCard(grid, 'Trust per backend', 'Each backend\u2019s trust at the end of its scenario (1 = full weight; a backend below 0.5 is flagged suspect). Crashes and timeouts do not lower trust: a slow backend is not a liar.', {
      type: 'bar',
      data: { labels: labels, datasets: [{ label: 'trust', data: values, backgroundColor: colors, borderRadius: 2, maxBarThickness: 12, categoryPercentage: 0.85, barPercentage: 0.9 }] },
      options: {
        indexAxis: 'y',
        scales: { x: { min: 0, max: 1, ticks: { maxRotation: 0 } }, y: { ticks: { autoSkip: false, font: { size: 11 } } } },
        plugins: {
          legend: {
            position: 'bottom',
            onClick: null,
            labels: { generateLabels: function () {
              return legend.map(function (l) { return { text: l[1], fillStyle: ROLE_COLORS[l[0]], strokeStyle: ROLE_COLORS[l[0]], lineWidth: 0, hidden: false }; });
            } },
          },
          tooltip: { callbacks: { label: function (ctx) {
            var r = rows[ctx.dataIndex];
            var b = r.b;
            return 'trust ' + b.trust.toFixed(3) + ', ' + b.dissents + ' dissents of ' + b.answered + ' answers' + (b.suspect ? ', suspect' + (b.flaggedAfterQueries === null ? '' : ' after ' + b.flaggedAfterQueries + ' queries') : '') + (b.faults.length ? '; ' + b.faults.join('; ') : '');
          } } },
        },
      },
    }, Math.max(220, labels.length * 20 + 90));
  }

  /** Log-axis labels at 1, 2 and 5 times a power of ten: enough to read a value off, never crowded. */
  function oneTwoFive(v) {
    var m = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
    return [1, 2, 5].some(function (k) { return Math.abs(m - k) < 1e-6; }) ? String(Number(v.toPrecision(1))) : '';
  }

  function renderBackends() {
    var bs = data.backends;
    if (!bs) return;
    var conc = bs.concurrency;
    var s = section('backends', 'Vector backends', 'Each store measured on its own with pre-embedded questions (no model time): recall@10 against exact search over the same vectors, and queries/s with ' +
      (conc === null ? 'a fixed number of' : conc) + ' queries in flight (docs/backends.md). Ingest time, query p95 and accuracy are the run\u2019s own, end to end.');
    var pts = bs.rows.filter(function (r) { return r.status === 'completed' && r.recallAt10VsExact !== null && r.throughput; }).map(function (r) {
      return { x: r.recallAt10VsExact, y: r.throughput.queriesPerSecond, id: r.run, name: r.name, store: r.store };
    });
    if (pts.length) {
      var grid = el('div', { class: 'grid' });
      s.appendChild(grid);
      var qps = pts.map(function (p) { return p.y; });
      var logQps = qps.length > 1 && Math.max.apply(null, qps) / Math.max(Math.min.apply(null, qps), 1e-9) > 10;
      var minX = pts.reduce(function (m, p) { return Math.min(m, p.x); }, 1);
      chartCard(grid, 'Recall@10 against queries/s', 'One point per backend, as the public vector-database benchmarks draw it: up and to the right is better' + (conc === null ? '' : '; concurrency ' + conc) + (logQps ? '; logarithmic queries/s axis.' : '.'), {
        type: 'scatter',
        // clip: a store at recall 1 sits on the plot's right edge; draw its whole point.
        data: { datasets: [{ label: 'backends', data: pts, backgroundColor: PALETTE[0], pointRadius: 6, pointHoverRadius: 8, clip: 10 }] },
        options: {
          layout: { padding: { top: 16, right: 16 } },
          scales: {
            x: { title: { display: true, text: 'recall@10 vs exact search' }, min: Math.max(0, Math.floor((minX - 0.02) * 20) / 20), max: 1 },
            y: Object.assign({ title: { display: true, text: 'queries/s' + (conc === null ? '' : ' at concurrency ' + conc) }, ticks: logQps ? { callback: oneTwoFive } : { maxRotation: 0 } },
              logQps ? { type: 'logarithmic' } : { beginAtZero: true, grace: '5%' }),
          },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: {
              title: function (items) { return items[0] ? [items[0].raw.name, items[0].raw.store] : ''; },
              label: function (ctx) { return 'recall@10 ' + ctx.raw.x.toFixed(3) + ', ' + ctx.raw.y.toFixed(1) + ' queries/s'; },
            } },
          },
        },
        plugins: [pointLabels],
      }, 340);
    }
    s.appendChild(sortableTable([
      { label: 'Run', value: function (r) { return r.name; }, cell: function (r) {
        return el('span', null, [runLabel(r.run), r.status === 'completed' ? null : ' ', r.status === 'completed' ? null : statusPill({ status: r.status, error: r.error })]);
      } },
      { label: 'Store', value: function (r) { return r.store; }, cell: function (r) { return el('code', { text: r.store }); } },
      { label: 'Vectors', num: true, value: function (r) { return r.vectors; }, cell: function (r) { return r.vectors === null ? 'n/a' : String(r.vectors); } },
      { label: 'Recall@10 vs exact', num: true, value: function (r) { return r.recallAt10VsExact; }, cell: function (r) { return ratioText(r.recallAt10VsExact); } },
      { label: 'Queries/s' + (conc === null ? '' : ' (c = ' + conc + ')'), num: true, value: function (r) { return r.throughput ? r.throughput.queriesPerSecond : null; }, cell: function (r) {
        var t = r.throughput;
        return t ? withNote(t.queriesPerSecond.toFixed(1), conc === null ? 'c = ' + t.concurrency : '', t.queries + ' queries in ' + t.seconds.toFixed(2) + ' s') : 'n/a';
      } },
      { label: 'p50', num: true, value: function (r) { return r.throughput ? r.throughput.p50Ms : null; }, cell: function (r) { return r.throughput ? msText(r.throughput.p50Ms) : 'n/a'; } },
      { label: 'p95', num: true, value: function (r) { return r.throughput ? r.throughput.p95Ms : null; }, cell: function (r) { return r.throughput ? msText(r.throughput.p95Ms) : 'n/a'; } },
      { label: 'p99', num: true, value: function (r) { return r.throughput ? r.throughput.p99Ms : null; }, cell: function (r) { return r.throughput ? msText(r.throughput.p99Ms) : 'n/a'; } },
      { label: 'Errors', num: true, value: function (r) { return r.throughput ? r.throughput.errors : null; }, cell: function (r) { return r.throughput ? String(r.throughput.errors) : 'n/a'; }, cls: function (r) { return r.throughput && r.throughput.errors > 0 ? 'bad' : ''; } },
      { label: 'Ingest', num: true, title: 'The run\u2019s ingest time (extraction, chunking, embedding, writing)', value: function (r) { return r.ingestSeconds; }, cell: function (r) { return r.ingestSeconds === null ? 'n/a' : r.ingestSeconds.toFixed(1) + ' s'; } },
      { label: 'Query p95', num: true, title: 'The run\u2019s query p95, end to end (embedding + search)', value: function (r) { return r.queryP95Ms; }, cell: function (r) { return msText(r.queryP95Ms); } },
      { label: 'Semantic accuracy', num: true, value: function (r) { return r.semanticAccuracy; }, cell: function (r) { return accuracyCell(r.semanticAccuracy, r.semanticInterval); } },
    ], bs.rows, { empty: 'No backend runs.' }));
    var notRun = bs.rows.filter(function (r) { return r.status !== 'completed'; });
    if (notRun.length) {
      s.appendChild(el('ul', { class: 'skipped' }, notRun.map(function (r) {
        return el('li', null, [runLabel(r.run), ' (' + r.status + '): ', el('span', { class: 'reason', text: r.error || 'no reason given' })]);
      })));
    }
  }

  // ---------- records ----------

  var recordIndex = null;

  /** The record of one run on one question, or null when queries.jsonl has none. */
  function recordOf(run, question) {
    if (!recordIndex) {
      recordIndex = {};
      data.records.forEach(function (r) { recordIndex[r.run + '\u0000' + r.question] = r; });
    }
    return recordIndex[run + '\u0000' + question] || null;
  }

  function goldOf(question) {
    return Object.prototype.hasOwnProperty.call(data.questions, question) ? data.questions[question] : null;
  }

  // ---------- paired disagreements ----------

  function renderCompare() {
    var pairs = data.pairs;
    var s = section('compare', 'Compare two runs', 'The questions on which two configurations disagree on semantic accuracy (one right, the other wrong): the cases a paired test counts, and the ones to read to learn why one wins. b and c count them; the exact McNemar test asks whether that split could be chance.');
    if (!pairs.length) {
      s.appendChild(el('p', { class: 'empty', text: 'No two completed runs carry per-question outcomes (perQuestion.semanticAccuracy aligned with golden.sample.ids).' }));
      return;
    }
    var ids = [];
    pairs.forEach(function (p) { [p.first, p.second].forEach(function (id) { if (ids.indexOf(id) < 0) ids.push(id); }); });
    var options = function () { return ids.map(function (id) { return el('option', { value: id, text: nameOf(id) }); }); };
    var firstSelect = el('select', { id: 'compare-first', 'aria-label': 'First run' }, options());
    var secondSelect = el('select', { id: 'compare-second', 'aria-label': 'Second run' }, options());
    var candidate = data.runs.filter(function (r) { return r.role === 'candidate' && ids.indexOf(r.id) >= 0; })[0];
    firstSelect.value = candidate ? candidate.id : ids[0];
    secondSelect.value = ids.filter(function (id) { return id !== firstSelect.value; })[0];
    var result = el('div', { id: 'compare-result' });
    s.appendChild(el('div', { class: 'toolbar' }, [
      el('label', null, ['First', firstSelect]),
      el('label', null, ['Second', secondSelect]),
    ]));
    s.appendChild(result);

    function findPair(a, b) {
      for (var i = 0; i < pairs.length; i++) {
        var p = pairs[i];
        if (p.first === a && p.second === b) return { pair: p, swapped: false };
        if (p.first === b && p.second === a) return { pair: p, swapped: true };
      }
      return null;
    }

    function draw() {
      clear(result);
      var a = firstSelect.value;
      var b = secondSelect.value;
      if (a === b) {
        result.appendChild(el('p', { class: 'empty', text: 'Pick two different runs.' }));
        return;
      }
      var found = findPair(a, b);
      if (!found) {
        result.appendChild(el('p', { class: 'empty', text: 'These two runs have no paired comparison.' }));
        return;
      }
      var p = found.pair;
      var onlyA = found.swapped ? p.onlySecond : p.onlyFirst;
      var onlyB = found.swapped ? p.onlyFirst : p.onlySecond;
      var level = 1 - data.summary.settings.statistics.confidence;
      var significant = p.pValue < level;
      result.appendChild(el('p', { class: 'compare-summary' }, [
        el('b', { text: nameOf(a) }), ' right, ', el('b', { text: nameOf(b) }), ' wrong: ', el('b', { class: 'count-b', text: 'b = ' + onlyA.length }),
        '; the reverse: ', el('b', { class: 'count-c', text: 'c = ' + onlyB.length }),
        '; both right ' + p.bothRight + ', both wrong ' + p.bothWrong + (p.skipped ? ', not applicable ' + p.skipped : '') + '. ',
        el('span', { class: 'p-value', text: 'Exact McNemar p = ' + fmtP(p.pValue) }),
        significant ? ' \u2014 significant at ' + level.toFixed(2) + '.' : ' \u2014 not significant at ' + level.toFixed(2) + ': the difference could be chance.',
      ]));
      result.appendChild(el('div', { class: 'two' }, [
        disagreementList('Only ' + nameOf(a) + ' right (' + onlyA.length + ')', onlyA, a, b, 'list-b'),
        disagreementList('Only ' + nameOf(b) + ' right (' + onlyB.length + ')', onlyB, b, a, 'list-c'),
      ]));
    }

    firstSelect.addEventListener('change', draw);
    secondSelect.addEventListener('change', draw);
    draw();

    var all = el('details', { class: 'pairs' }, [el('summary', { text: 'Every pair (' + pairs.length + '), smallest p first' })]);
    all.appendChild(sortableTable([
      { label: 'First', value: function (p) { return nameOf(p.first); }, cell: function (p) { return runLabel(p.first); } },
      { label: 'Second', value: function (p) { return nameOf(p.second); }, cell: function (p) { return runLabel(p.second); } },
      { label: 'b', num: true, value: function (p) { return p.onlyFirst.length; }, title: 'first right, second wrong' },
      { label: 'c', num: true, value: function (p) { return p.onlySecond.length; }, title: 'second right, first wrong' },
      { label: 'p (exact McNemar)', num: true, value: function (p) { return p.pValue; }, cell: function (p) { return fmtP(p.pValue); } },
      { label: '', value: function () { return ''; }, cell: function (p) {
        return el('button', { type: 'button', text: 'Show', onclick: function () {
          firstSelect.value = p.first;
          secondSelect.value = p.second;
          draw();
          result.scrollIntoView();
        } });
      } },
    ], pairs.slice().sort(function (x, y) { return x.pValue - y.pValue; })));
    s.appendChild(all);
  }

  /** Questions one run got right and the other wrong; each opens both runs' hits. */
  function disagreementList(title, indexes, right, wrong, cls) {
    var box = el('div', { class: 'disagreements ' + cls }, [el('h3', { text: title })]);
    var list = el('div');
    box.appendChild(list);
    var shown = 0;
    var more = el('button', { type: 'button' });
    var step = 20;
    function add() {
      indexes.slice(shown, shown + step).forEach(function (i) {
        var qid = data.summary.golden.sample.ids[i];
        var gold = goldOf(qid);
        var card = el('details', { class: 'q' }, [el('summary', null, [
          el('span', { class: 'q-text', text: gold ? gold.question : '(question text not in queries.jsonl)' }),
          el('span', { class: 'q-run', text: qid }),
        ])]);
        var built = false;
        card.addEventListener('toggle', function () {
          if (!card.open || built) return;
          built = true;
          [right, wrong].forEach(function (run) {
            var rec = recordOf(run, qid);
            card.appendChild(el('div', { class: 'q-side' }, [
              el('h4', { text: nameOf(run) + (run === right ? ' \u2014 right' : ' \u2014 wrong') }),
              rec && gold ? questionBody(rec, gold, run !== right) : el('p', { class: 'empty', text: 'No record of this run on this question in queries.jsonl.' }),
            ]));
          });
        });
        list.appendChild(card);
      });
      shown = Math.min(indexes.length, shown + step);
      more.textContent = 'Show ' + Math.min(step, indexes.length - shown) + ' more of ' + (indexes.length - shown);
      more.hidden = shown >= indexes.length;
    }
    more.addEventListener('click', add);
    if (!indexes.length) box.appendChild(el('p', { class: 'empty', text: 'None.' }));
    add();
    box.appendChild(more);
    return box;
  }

  // ---------- question drill-down ----------

  function renderQuestions() {
    var records = data.records;
    var failures = records.filter(function (r) { return r.failed.length > 0; }).length;
    var s = section('questions', 'Questions', records.length + ' answers from ' + data.runs.length + ' runs; ' + failures + ' failed at least one metric. Failures first; open a question for its gold answer, evidence, answer citation and top-k hits.');
    if (!records.length) {
      s.appendChild(el('p', { class: 'empty', text: 'No per-question records (queries.jsonl) were given.' }));
      return;
    }
    var state = { run: '', metric: failures ? '__failed' : '', search: '', page: 0 };
    var runSelect = el('select', { id: 'filter-run', 'aria-label': 'Run' }, [el('option', { value: '', text: 'All runs' })].concat(data.runs.map(function (r) {
      return el('option', { value: r.id, text: r.name, title: r.id });
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
        var q = goldOf(r.question);
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
    var q = goldOf(r.question) || { question: '(question text missing)', answerable: true, answers: [], evidence: [] };
    var summary = el('summary', null, [
      r.failed.length ? pill('fail', 'FAIL ' + r.failed.length) : pill('pass', 'ok'),
      el('span', { class: 'q-text', text: q.question }),
      el('span', { class: 'q-run', text: nameOf(r.run) + ' \u00b7 ' + r.question, title: r.run }),
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

  function answerCitationLine(r) {
    var c = r.answerCitation;
    if (!c) return el('p', { class: 'muted answer-citation', text: 'No answer citation: no top-k hit contains a gold answer.' });
    return el('p', { class: 'answer-citation' }, [
      c.correct ? pill('pass', 'correct') : pill('fail', 'wrong'),
      ' hit #' + c.rank,
      c.reason ? el('span', { class: 'reason', text: ': ' + c.reason }) : null,
    ]);
  }

  function questionBody(r, q, compact) {
    var body = el('div', { class: 'q-body' });
    if (!compact) {
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
    }
    if (q.answerable) {
      body.appendChild(el('h4', { text: 'Answer citation' }));
      body.appendChild(answerCitationLine(r));
    }
    body.appendChild(el('h4', { text: 'Metrics' }));
    var names = Object.keys(r.metrics).sort();
    body.appendChild(el('div', { class: 'chips' }, names.map(function (m) {
      var failed = r.failed.indexOf(m) >= 0;
      return pill(failed ? 'fail' : 'pass', m + ' ' + (Number.isInteger(r.metrics[m]) ? r.metrics[m] : r.metrics[m].toFixed(3)));
    }).concat(r.failed.filter(function (m) { return names.indexOf(m) < 0; }).map(function (m) { return pill('fail', m); }))
      .concat([pill('na', 'search ' + r.searchMs.toFixed(1) + ' ms')])
      .concat(r.topScore === null ? [] : [pill('na', 'top-1 score ' + r.topScore.toFixed(3), 'what the no-answer AUROC ranks')])));
    body.appendChild(el('h4', { text: 'Top ' + r.hits.length + ' hits' }));
    if (!r.hits.length) body.appendChild(el('p', { class: 'empty', text: 'No hits.' }));
    var citedRank = r.answerCitation ? r.answerCitation.rank : -1;
    body.appendChild(el('ol', { class: 'hits' }, r.hits.map(function (h) {
      var quote = el('div', { class: 'quote' + (h.relevant ? ' relevant' : '') }, [markedText(data.texts[h.t], h.marks)]);
      if (h.clipped) quote.appendChild(el('span', { class: 'clipped', text: ' \u2026 (clipped)' }));
      return el('li', null, [
        el('div', { class: 'hit-head' }, [
          el('span', { class: 'rank', text: '#' + h.rank }),
          el('b', { text: h.doc }),
          el('span', { class: 'muted', text: pages(h.page, h.pageEnd) + ' \u00b7 score ' + h.score.toFixed(3) }),
          h.relevant ? pill('pass', 'supports the question', 'covers a gold answer\u2019s occurrence inside the evidence') : pill('na', 'does not support'),
          h.containsAnswer ? pill('pass', 'contains answer') : pill('na', 'no answer'),
          h.citationVerified ? pill('pass', 'citation verified') : pill('fail', 'citation not verified'),
          h.rank === citedRank ? (r.answerCitation.correct ? pill('info', 'answer citation') : pill('fail', 'answer citation: wrong', r.answerCitation.reason || '')) : null,
        ]),
        quote,
      ]);
    })));
    return body;
  }

  function pages(a, b) {
    return a === b ? 'p. ' + a : 'pp. ' + a + '\u2013' + b;
  }

  // ---------- stages ----------

  function renderStages() {
    var st = data.stages;
    if (!st) return;
    var s = section('stages', 'Where accuracy is lost', 'Each answerable question no top-k hit supports is blamed on one stage, the earliest that explains it (docs/stage-evaluation.md): extraction (no gold answer in the located evidence of the extracted text), chunking (the answer is extracted but no chunk holds it with its evidence), retrieval (some chunk supports the question but it is not in the top k). ' +
      'Token precision, recall and IoU: the words of each question\u2019s top-k chunks against the words of its evidence, as the public chunking evaluations measure them.');
    function share(r, n) { return r.answerable ? withNote(String(n), (100 * n / r.answerable).toFixed(1) + '% of answerable') : String(n); }
    function measure(key) {
      return { label: { tokenPrecision: 'Token precision', tokenRecall: 'Token recall', tokenIou: 'Token IoU' }[key], num: true, value: function (r) { return r[key]; }, cell: function (r) { return accuracyCell(r[key], r.intervals[key] || null); } };
    }
    s.appendChild(sortableTable([
      { label: 'Run', value: function (r) { return r.name; }, cell: function (r) { return runLabel(r.run); } },
      { label: 'Semantic accuracy', num: true, value: function (r) { return r.semanticAccuracy; }, cell: function (r) { return ratioText(r.semanticAccuracy); } },
      { label: 'Failed', num: true, value: function (r) { return r.failed; }, cell: function (r) { return withNote(String(r.failed), 'of ' + r.answerable); } },
      { label: 'Extraction', num: true, value: function (r) { return r.extraction; }, cell: function (r) { return share(r, r.extraction); }, cls: function (r) { return r.extraction > 0 ? 'bad' : ''; } },
      { label: 'Chunking', num: true, value: function (r) { return r.chunking; }, cell: function (r) { return share(r, r.chunking); }, cls: function (r) { return r.chunking > 0 ? 'bad' : ''; } },
      { label: 'Retrieval', num: true, value: function (r) { return r.retrieval; }, cell: function (r) { return share(r, r.retrieval); }, cls: function (r) { return r.retrieval > 0 ? 'bad' : ''; } },
      measure('tokenPrecision'),
      measure('tokenRecall'),
      measure('tokenIou'),
      { label: 'Chunks', num: true, value: function (r) { return r.chunks; }, cell: function (r) { return withNote(String(r.chunks), r.chunkCharsP50 === null ? '' : 'p50 ' + r.chunkCharsP50.toFixed(0) + ' chars'); } },
      { label: 'Cut a sentence', num: true, title: 'chunks that start or end inside a sentence', value: function (r) { return r.cutSentenceShare; }, cell: function (r) { return r.cutSentenceShare === null ? 'n/a' : (100 * r.cutSentenceShare).toFixed(0) + '%'; } },
    ], st.rows, { empty: 'No run measured its stages.' }));
  }

  // ---------- extraction ----------

  var SOURCE_LABELS = { 'r-manual': 'R manuals (vs their HTML edition)', golden: 'golden PDFs (vs their source text)', all: 'all documents' };

  function renderExtraction() {
    var ex = data.extraction;
    if (!ex) return;
    var s = section('extraction', 'Extraction accuracy', 'Every extractor reads the same PDFs and is scored against text nobody here wrote (docs/extraction.md): similarity = 1 \u2212 Levenshtein / max length over aligned blocks, word-multiset F1, reading order = share of the reference\u2019s word 4-grams found. ' +
      'Word-weighted means per source; pages/s over the same documents. ' + (ex.router ? 'The router picked an extractor as good as the best on ' + ex.router.pickedBest + ' of ' + ex.router.documents + ' documents.' : ''));
    var sources = ['r-manual', 'golden'].filter(function (k) { return ex.overall[k].some(function (o) { return o.documents > 0; }); });
    if (sources.length) {
      var grid = el('div', { class: 'grid' });
      s.appendChild(grid);
      var labels = ex.extractors;
      chartCard(grid, 'Similarity by extractor', 'Word-weighted mean of 1 \u2212 Levenshtein / max length, per source.', {
        type: 'bar',
        data: { labels: labels, datasets: barDatasets(sources.map(function (k) {
          return { label: SOURCE_LABELS[k], data: labels.map(function (n) { var o = ex.overall[k].find(function (x) { return x.extractor === n; }); return o ? o.similarity : null; }) };
        })) },
        options: { scales: { y: { min: Math.max(0, Math.floor(Math.min.apply(null, sources.flatMap(function (k) { return ex.overall[k].map(function (o) { return o.similarity; }); })) * 20) / 20 - 0.05), max: 1, title: { display: true, text: 'similarity' } } } },
      }, 300);
      chartCard(grid, 'Pages per second by extractor', 'All pages of every scored document over the time of one extract() call each (libraries already loaded).', {
        type: 'bar',
        data: { labels: labels, datasets: barDatasets([{ label: 'pages/s', data: labels.map(function (n) { var o = ex.overall.all.find(function (x) { return x.extractor === n; }); return o ? o.pagesPerSecond : null; }) }]) },
        options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'pages/s' } } } },
      }, 300);
    }
    var rows = [];
    sources.concat(['all']).forEach(function (k) { ex.overall[k].forEach(function (o) { rows.push(Object.assign({ source: k }, o)); }); });
    s.appendChild(sortableTable([
      { label: 'Source', value: function (r) { return r.source; }, cell: function (r) { return SOURCE_LABELS[r.source]; } },
      { label: 'Extractor', value: function (r) { return r.extractor; }, cell: function (r) { return el('code', { text: r.extractor }); } },
      { label: 'Similarity', num: true, value: function (r) { return r.similarity; }, cell: function (r) { return r.similarity.toFixed(4); } },
      { label: 'Word F1', num: true, value: function (r) { return r.wordF1; }, cell: function (r) { return r.wordF1.toFixed(4); } },
      { label: 'Reading order', num: true, value: function (r) { return r.orderRecall; }, cell: function (r) { return r.orderRecall.toFixed(4); } },
      { label: 'Pages/s', num: true, value: function (r) { return r.pagesPerSecond; }, cell: function (r) { return withNote(r.pagesPerSecond.toFixed(0), r.seconds.toFixed(1) + ' s'); } },
      { label: 'Documents', num: true, value: function (r) { return r.documents; }, cell: function (r) { return withNote(String(r.documents), r.failures ? r.failures + ' failed' : ''); }, cls: function (r) { return r.failures ? 'bad' : ''; } },
    ], rows, { empty: 'No document scored.' }));
    s.appendChild(el('h3', { text: 'Per document: the router\u2019s choice and the best extractor' }));
    s.appendChild(sortableTable([
      { label: 'Document', value: function (r) { return r.name; }, cell: function (r) { return withNote(r.name, r.source + ', ' + r.scoredPages + ' of ' + r.pages + ' pages scored, ' + r.referenceWords + ' words'); } },
      { label: 'Best', value: function (r) { return r.best; }, cell: function (r) { return el('code', { text: r.best }); } },
      { label: 'Router picked', value: function (r) { return r.routerChoice; }, cell: function (r) { return r.routerChoice === null ? 'n/a' : el('code', { text: r.routerChoice }); } },
    ].concat(ex.extractors.map(function (n) {
      return { label: n, num: true, value: function (r) { var p = r.perExtractor.find(function (x) { return x.extractor === n; }); return p ? p.similarity : null; }, cell: function (r) {
        var p = r.perExtractor.find(function (x) { return x.extractor === n; });
        if (!p) return 'n/a';
        return p.error ? el('span', { class: 'reason', text: 'failed: ' + p.error }) : withNote(p.similarity.toFixed(4), ['F1 ' + p.wordF1.toFixed(3), 'order ' + p.orderRecall.toFixed(3), p.pagesPerSecond.toFixed(0) + ' p/s']);
      } };
    })), ex.documents, { empty: 'No document scored.' }));
  }

  // ---------- scale ----------

  function renderScale() {
    var sc = data.scale;
    if (!sc) return;
    var s = section('scale', 'Cost against size', 'Every store on ' + sc.data.dimensions + '-d synthetic vectors (' + sc.data.clusters + ' topic clusters, seed ' + sc.data.seed + ', ' + sc.data.queries + ' queries) at growing sizes, from ' + sc.file + ' (npm run bench:scale-vectors; docs/scale.md). ' +
      'Each build runs under a time budget: a store that ran out is drawn at the count it reached (partial), never extrapolated. Machine: ' + sc.machine.cpus + ' \u00d7 ' + sc.machine.cpuModel + ', ' + sc.machine.memoryGiB + ' GiB.');
    var stores = [];
    sc.entries.forEach(function (e) { if (stores.indexOf(e.store) < 0) stores.push(e.store); });
    var measured = sc.entries.filter(function (e) { return e.inserted > 0 && e.query; });
    function lines(value) {
      return stores.map(function (st, i) {
        var pts = measured.filter(function (e) { return e.store === st && value(e) !== null; }).sort(function (a, b) { return a.inserted - b.inserted; })
          .map(function (e) { return { x: e.inserted, y: value(e), entry: e }; });
        return { label: st, data: pts, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], pointRadius: 5, tension: 0 };
      }).filter(function (d) { return d.data.length; });
    }
    var grid = el('div', { class: 'grid' });
    s.appendChild(grid);
    var sizeAxis = { type: 'logarithmic', title: { display: true, text: 'vectors in the store' }, ticks: { callback: oneTwoFive } };
    function tip(unit) {
      return { callbacks: { label: function (ctx) { var e = ctx.raw.entry; return ctx.dataset.label + ': ' + Number(ctx.raw.y.toPrecision(3)) + unit + ' at ' + e.inserted.toLocaleString() + ' vectors' + (e.status === 'partial' ? ' (partial: budget ran out before ' + e.target.toLocaleString() + ')' : ''); } } };
    }
    chartCard(grid, 'Query latency against size', 'p50 of one query at a time; logarithmic axes.', {
      type: 'line', data: { datasets: lines(function (e) { return e.query ? Math.max(e.query.p50Ms, 0.001) : null; }) },
      options: { parsing: false, scales: { x: sizeAxis, y: { type: 'logarithmic', title: { display: true, text: 'query p50 (ms)' }, ticks: { callback: oneTwoFive } } }, plugins: { tooltip: tip(' ms') } },
    }, 320);
    chartCard(grid, 'Build rate against size', 'Vectors inserted per second over the whole build; logarithmic axes.', {
      type: 'line', data: { datasets: lines(function (e) { return e.insertPerSecond ? e.insertPerSecond : null; }) },
      options: { parsing: false, scales: { x: sizeAxis, y: { type: 'logarithmic', title: { display: true, text: 'vectors/s' }, ticks: { callback: oneTwoFive } } }, plugins: { tooltip: tip(' vectors/s') } },
    }, 320);
    s.appendChild(sortableTable([
      { label: 'Store', value: function (r) { return r.store; }, cell: function (r) { return el('code', { text: r.store }); } },
      { label: 'Size', num: true, value: function (r) { return r.target; }, cell: function (r) { return r.target.toLocaleString(); } },
      { label: 'Status', value: function (r) { return r.status; }, cell: function (r) {
        var kind = r.status === 'complete' ? 'pass' : r.status === 'partial' ? 'warn' : r.status === 'skipped' ? 'na' : 'fail';
        return el('span', null, [pill(kind, r.status, r.reason || ''), r.reason ? el('span', { class: 'reason', text: ' ' + r.reason }) : null]);
      } },
      { label: 'Inserted', num: true, value: function (r) { return r.inserted; }, cell: function (r) { return r.inserted.toLocaleString(); } },
      { label: 'Build', num: true, value: function (r) { return r.buildSeconds === undefined ? null : r.buildSeconds; }, cell: function (r) {
        var notes = [r.insertPerSecond ? r.insertPerSecond.toFixed(0) + '/s' : '', r.indexSeconds !== undefined ? 'of which index build ' + r.indexSeconds.toFixed(1) + ' s' : ''].filter(Boolean);
        return r.buildSeconds === undefined ? 'n/a' : withNote(r.buildSeconds.toFixed(1) + ' s', notes);
      } },
      { label: 'Memory', num: true, value: function (r) { return r.memory ? r.memory.deltaBytes : null; }, cell: function (r) {
        return r.memory ? withNote('+' + mibText(r.memory.deltaBytes), r.memory.kind + ', peak ' + mibText(r.memory.peakBytes)) : 'n/a';
      } },
      { label: 'Disk', num: true, value: function (r) { return r.disk ? r.disk.bytes : null; }, cell: function (r) { return r.disk ? withNote(mibText(r.disk.bytes), r.disk.what) : 'n/a'; } },
      { label: 'Recall@10', num: true, value: function (r) { return r.recallAt10 === undefined ? null : r.recallAt10; }, cell: function (r) { return r.recallAt10 === undefined ? 'n/a' : r.recallAt10.toFixed(3); } },
      { label: 'Query p50 / p95', num: true, value: function (r) { return r.query ? r.query.p50Ms : null; }, cell: function (r) {
        return r.query ? withNote(msText(r.query.p50Ms), 'p95 ' + msText(r.query.p95Ms) + ', ' + r.query.samples + ' queries') : 'n/a';
      } },
    ], sc.entries.slice().sort(function (a, b) { return a.target - b.target || a.store.localeCompare(b.store); }), { empty: 'No scale results.' }));
  }

  // ---------- rollbacks ----------

  function renderRollbacks() {
    var rb = data.rollbacks;
    if (!rb) return;
    var s = section('rollbacks', 'Rollbacks in production', 'From ragbench watch\u2019s audit log ' + rb.file + ' (docs/runbook.md): each trigger that fired over its sliding window, and the rollback it ran. Every one fails the verdict.');
    s.appendChild(sortableTable([
      { label: 'Time', value: function (r) { return r.time; }, cell: function (r) { return r.time; } },
      { label: 'Trigger', value: function (r) { return r.trigger; }, cell: function (r) { return withNote(r.trigger, r.service); } },
      { label: 'Value', num: true, value: function (r) { return r.value; }, cell: function (r) {
        return withNote(String(Number(r.value.toPrecision(4))), r.metric + ' ' + r.comparison + ' ' + r.threshold + (r.test ? '; ' + r.test.method + ' p ' + r.test.pValue.toPrecision(2) : ''));
      }, cls: function () { return 'bad'; } },
      { label: 'Window', num: true, value: function (r) { return r.windowSeconds; }, cell: function (r) {
        return withNote(r.windowSeconds + ' s', [r.samples + ' samples (min ' + r.minSamples + ')', r.consecutive + ' polls in a row']);
      } },
      { label: 'Rollback', value: function (r) { return r.action.ok ? 1 : 0; }, cell: function (r) {
        var c = r.action.command;
        var how = c ? c.argv.join(' ') + ' \u2192 ' + (c.exitCode === null ? (c.error || (c.timedOut ? 'timed out' : 'killed')) : 'exit ' + c.exitCode) : '';
        var hook = r.action.webhook ? 'webhook ' + (r.action.webhook.status === null ? (r.action.webhook.error || 'no answer') : r.action.webhook.status) : '';
        return el('span', null, [pill(r.action.ok ? 'pass' : 'fail', r.action.ok ? 'ran' : 'failed'), ' ', el('code', { text: [how, hook].filter(Boolean).join('; ') })]);
      } },
    ], rb.records, { empty: 'The audit log has no rollbacks.' }));
  }

  // ---------- migration ----------

  function renderMigration() {
    var ms = data.migration;
    if (!ms) return;
    var s = section('migration', 'Migration', 'Each scenario migrates the golden set\u2019s FAISS index (saved on disk) into a fresh target, injects its fault, resumes or repairs, and validates (docs/migration.md): counts per document, a sha256 checksum over every chunk\u2019s id, text and metadata, vectors within \u03b5, no orphans or duplicates, and the same top-k for sampled queries. ' +
      (ms.lostRecords === 0 ? 'No record was lost in any scenario.' : ms.lostRecords + ' record(s) lost: the verdict names them.'));
    s.appendChild(sortableTable([
      { label: 'Scenario', value: function (r) { return r.name; }, cell: function (r) {
        return el('span', null, [runLabel(r.run), r.status === 'completed' ? null : ' ', r.status === 'completed' ? null : statusPill({ status: r.status, error: r.error })]);
      } },
      { label: 'Injected', value: function (r) { return r.migration ? r.migration.injected.length : null; }, cell: function (r) {
        var m = r.migration;
        if (!m) return r.error || 'n/a';
        return m.injected.length ? el('ul', { class: 'plain' }, m.injected.map(function (x) { return el('li', { text: x }); })) : 'nothing';
      } },
      { label: 'Source \u2192 target', num: true, value: function (r) { return r.migration ? r.migration.chunksTarget : null; }, cell: function (r) {
        var m = r.migration;
        return m ? withNote(m.chunksSource + ' \u2192 ' + m.chunksTarget, m.documents.checked + ' documents') : 'n/a';
      } },
      { label: 'Lost', num: true, title: 'missing + mismatched records (gate: migration.lostRecords == 0)', value: function (r) { return r.migration ? r.migration.lostRecords : null; }, cell: function (r) {
        var m = r.migration;
        return m ? withNote(String(m.lostRecords), ['missing ' + m.missing, 'mismatched ' + m.mismatched]) : 'n/a';
      }, cls: function (r) { return r.migration && r.migration.lostRecords > 0 ? 'bad' : ''; } },
      { label: 'Dup. / orphans', num: true, value: function (r) { return r.migration ? r.migration.duplicates + r.migration.orphans : null; }, cell: function (r) {
        return r.migration ? r.migration.duplicates + ' / ' + r.migration.orphans : 'n/a';
      }, cls: function (r) { return r.migration && r.migration.duplicates + r.migration.orphans > 0 ? 'bad' : ''; } },
      { label: 'Checksum', value: function (r) { return r.migration ? (r.migration.checksumOk ? 1 : 0) : null; }, cell: function (r) {
        var m = r.migration;
        return m ? el('span', { title: 'source ' + m.checksumSource + '\ntarget ' + m.checksumTarget }, [pill(m.checksumOk ? 'pass' : 'fail', m.checksumOk ? 'equal' : 'differs')]) : 'n/a';
      } },
      { label: 'Max |\u0394| vector', num: true, value: function (r) { return r.migration ? r.migration.maxVectorDelta : null; }, cell: function (r) {
        var m = r.migration;
        return m && m.maxVectorDelta !== null ? withNote(m.maxVectorDelta.toExponential(1), '\u03b5 ' + m.vectorEpsilon) : 'n/a';
      } },
      { label: 'Top-k agreement', num: true, value: function (r) { return r.migration ? r.migration.queryAgreement : null; }, cell: function (r) {
        var m = r.migration;
        return m ? withNote(ratioText(m.queryAgreement), m.queriesSampled + ' queries, top-' + m.k + ', tolerance ' + m.queryTolerance) : 'n/a';
      } },
      { label: 'Chunks/s', num: true, value: function (r) { return r.migration ? r.migration.chunksPerSecond : null; }, cell: function (r) {
        var m = r.migration;
        return m ? withNote(m.chunksPerSecond.toFixed(0), ['batch ' + m.batchSize + ' \u00d7 ' + m.parallelism, m.seconds.toFixed(1) + ' s', 'resumed ' + m.resumed, 'retries ' + m.retries, 'repaired ' + m.repaired]) : 'n/a';
      } },
    ], ms.rows, { empty: 'No migration runs.' }));
    var problems = ms.rows.filter(function (r) { return r.migration && (r.migration.problems.length || r.migration.detected); });
    if (problems.length) {
      s.appendChild(el('ul', { class: 'skipped' }, problems.map(function (r) {
        var m = r.migration;
        var parts = [];
        if (m.detected) parts.push('detected right after the fault: ' + (m.detected.problems.join('; ') || 'nothing'));
        if (m.problems.length) parts.push('after the migration: ' + m.problems.join('; '));
        else parts.push('after the migration: zero loss' + (m.repaired ? ' (' + m.repaired + ' record(s) repaired)' : ''));
        return el('li', null, [runLabel(r.run), ': ', el('span', { class: 'reason', text: parts.join('; ') })]);
      })));
    }
  }

  // ---------- load ----------

  var MIX_LABELS = { health: '/health (ceiling)', hits: 'cache hits', zipf: 'zipf mix', unique: 'all unique (misses)' };
  var MIX_ORDER = ['health', 'hits', 'zipf', 'unique'];

  function mibText(bytes) {
    return bytes === null || bytes === undefined ? 'n/a' : (bytes / 1048576).toFixed(1) + ' MiB';
  }

  /** One line per run and mix over the concurrency steps, /health dashed. */
  function loadLines(runs, value) {
    var sets = [];
    runs.forEach(function (lr, ri) {
      MIX_ORDER.forEach(function (mix, mi) {
        var steps = lr.steps.filter(function (st) { return st.mix === mix; });
        if (!steps.length) return;
        sets.push({
          label: (runs.length > 1 ? lr.name + ' \u00b7 ' : '') + MIX_LABELS[mix],
          data: steps.map(function (st) { return { x: st.concurrency, y: value(st), step: st }; }),
          borderColor: PALETTE[(ri * MIX_ORDER.length + mi) % PALETTE.length],
          backgroundColor: PALETTE[(ri * MIX_ORDER.length + mi) % PALETTE.length],
          borderDash: mix === 'health' ? [6, 4] : [],
          tension: 0,
          pointRadius: 4,
        });
      });
    });
    return sets;
  }

  function concurrencyAxis() {
    return { type: 'logarithmic', title: { display: true, text: 'concurrent connections' }, ticks: { callback: function (v) { return oneTwoFive(v) ? String(v) : ''; } } };
  }

  function renderLoad() {
    var ls = data.load;
    if (!ls) return;
    var s = section('load', 'Service under load', 'Each run served by ragbench serve in its own process and loaded by autocannon over loopback, the load generator on the same cores (docs/service.md). ' +
      'Per concurrency: GET /health (this machine\u2019s ceiling), cache hits (questions cached in the warm-up), the zipf mix (golden questions repeated Zipf-like: the cache matters) and all-unique questions (every one computed). ' +
      'Percentiles come from one HDR histogram of every response of a step; ratios are to /health at the same concurrency, so they compare across machines.');
    var grid = el('div', { class: 'grid' });
    s.appendChild(grid);
    chartCard(grid, 'Requests/s by concurrency', 'Responses per second over each step; logarithmic axes.', {
      type: 'line',
      data: { datasets: loadLines(ls.runs, function (st) { return st.rps; }) },
      options: {
        parsing: false,
        scales: { x: concurrencyAxis(), y: { type: 'logarithmic', title: { display: true, text: 'requests/s' }, ticks: { callback: oneTwoFive } } },
        plugins: { tooltip: { callbacks: { label: function (ctx) {
          var st = ctx.raw.step;
          return ctx.dataset.label + ': ' + st.rps.toFixed(0) + ' req/s' + (st.ceilingRatio === null ? '' : ' (' + (st.ceilingRatio * 100).toFixed(0) + '% of /health)');
        } } } },
      },
    }, 320);
    chartCard(grid, 'p95 latency by concurrency', 'Client-side p95 of each step (HTTP round trip included); logarithmic axes. Hover for p50 and p99.', {
      type: 'line',
      data: { datasets: loadLines(ls.runs, function (st) { return Math.max(st.latencyMs.p95Ms, 0.001); }) },
      options: {
        parsing: false,
        scales: { x: concurrencyAxis(), y: { type: 'logarithmic', title: { display: true, text: 'p95 (ms)' }, ticks: { callback: oneTwoFive } } },
        plugins: { tooltip: { callbacks: { label: function (ctx) {
          var l = ctx.raw.step.latencyMs;
          return ctx.dataset.label + ': p50 ' + msText(l.p50Ms) + ', p95 ' + msText(l.p95Ms) + ', p99 ' + msText(l.p99Ms);
        } } } },
      },
    }, 320);
    var soaks = ls.runs.filter(function (lr) { return lr.soak; });
    if (soaks.length) {
      chartCard(grid, 'Soak: service RSS over time', soaks.map(function (lr) {
        var k = lr.soak;
        return (soaks.length > 1 ? lr.name + ': ' : '') + k.mix + ' mix at ' + k.concurrency + ' connections for ' + k.seconds.toFixed(0) + ' s, ' + k.rps.toFixed(0) + ' req/s; growth ' + mibText(k.rssGrowthBytes) + ' of a ' + mibText(k.rssGrowthBoundBytes) + ' bound';
      }).join('; ') + '.', {
        type: 'line',
        data: { datasets: soaks.map(function (lr, i) {
          return { label: lr.name, data: lr.soak.rss.map(function (p) { return { x: p[0], y: p[1] / 1048576 }; }), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], pointRadius: 0, tension: 0 };
        }) },
        options: { parsing: false, scales: { x: { type: 'linear', title: { display: true, text: 'seconds' } }, y: { title: { display: true, text: 'RSS (MiB)' } } } },
      }, 320);
    }
    ls.runs.forEach(function (lr) {
      var facts = [
        ['Run', runLabel(lr.run)],
        ['/health ceiling', lr.healthCeilingRps.toFixed(0) + ' req/s (highest step)'],
        ['Gated step', 'zipf mix at ' + lr.gateAt + ' connections (load.p95Ms, load.rps, cache.hitRatio)'],
      ];
      if (lr.cache) {
        var c = lr.cache;
        facts.push(['Cache', 'hit ratio ' + ratioText(c.hitRatio) + ' (zipf mix, ' + lr.zipf.questions + ' questions, exponent ' + lr.zipf.exponent + '); hits ' + c.hitRps.toFixed(0) + ' req/s at p50 ' + msText(c.hitP50Ms) + ' / p95 ' + msText(c.hitP95Ms) + ' / p99 ' + msText(c.hitP99Ms) +
          (c.missP95Ms === null ? '' : '; misses p50 ' + msText(c.missP50Ms) + ' / p95 ' + msText(c.missP95Ms))]);
      }
      if (lr.saturation) facts.push(['Saturation', lr.saturation.rps.toFixed(1) + ' req/s with every query computed (unique mix, ' + lr.saturation.concurrency + ' connections); bound by ' + (lr.saturation.boundBy || 'n/a')]);
      facts.push(['Service', 'ready in ' + lr.service.readySeconds.toFixed(1) + ' s; maxConcurrentQueries ' + lr.service.maxConcurrentQueries + ', cache ' + mibText(lr.service.cacheMaxBytes) + '; config ' + lr.service.configFile]);
      s.appendChild(kv(facts));
      var rows = lr.steps.slice().sort(function (a, b) { return a.concurrency - b.concurrency || MIX_ORDER.indexOf(a.mix) - MIX_ORDER.indexOf(b.mix); });
      s.appendChild(sortableTable([
        { label: 'Mix', value: function (r) { return MIX_ORDER.indexOf(r.mix); }, cell: function (r) { return MIX_LABELS[r.mix]; } },
        { label: 'Connections', num: true, value: function (r) { return r.concurrency; }, cell: function (r) { return String(r.concurrency); } },
        { label: 'Req/s', num: true, value: function (r) { return r.rps; }, cell: function (r) { return withNote(r.rps.toFixed(0), r.requests + ' in ' + r.seconds.toFixed(1) + ' s'); } },
        { label: 'of /health', num: true, title: 'requests/s over the /health step\u2019s at the same concurrency', value: function (r) { return r.ceilingRatio; }, cell: function (r) { return r.ceilingRatio === null ? '\u2014' : (r.ceilingRatio * 100).toFixed(0) + '%'; } },
        { label: 'p50', num: true, value: function (r) { return r.latencyMs.p50Ms; }, cell: function (r) { return msText(r.latencyMs.p50Ms); } },
        { label: 'p95', num: true, value: function (r) { return r.latencyMs.p95Ms; }, cell: function (r) { return msText(r.latencyMs.p95Ms); } },
        { label: 'p99', num: true, value: function (r) { return r.latencyMs.p99Ms; }, cell: function (r) { return msText(r.latencyMs.p99Ms); } },
        { label: 'Failed', num: true, title: 'connection errors \u00b7 timeouts \u00b7 non-2xx answers (503: over maxConcurrentQueries)', value: function (r) { return r.errors + r.timeouts + r.non2xx; }, cell: function (r) {
          return withNote(String(r.errors + r.timeouts + r.non2xx), ['err ' + r.errors, 'timeout ' + r.timeouts, 'non-2xx ' + r.non2xx]);
        }, cls: function (r) { return r.errors + r.timeouts + r.non2xx > 0 ? 'bad' : ''; } },
        { label: 'Hit ratio', num: true, title: 'server-counted cache hits / (hits + misses) over the step', value: function (r) { return r.server ? r.server.hitRatio : null; }, cell: function (r) { return r.server ? ratioText(r.server.hitRatio) : '\u2014'; } },
        { label: 'Computed', num: true, title: 'pipeline queries the service ran (misses not joined to one in flight); rejected: 503', value: function (r) { return r.server ? r.server.computed : null; }, cell: function (r) { return r.server ? withNote(String(r.server.computed), r.server.rejected ? 'rejected ' + r.server.rejected : '') : '\u2014'; } },
        { label: 'Server RSS', num: true, value: function (r) { return r.server ? r.server.rssBytes : null; }, cell: function (r) { return r.server ? mibText(r.server.rssBytes) : '\u2014'; } },
        { label: 'Loop delay p99', num: true, title: 'the service\u2019s event-loop delay over the step (p50 below)', value: function (r) { return r.server ? r.server.eventLoopDelayMs.p99 : null; }, cell: function (r) { return r.server ? withNote(msText(r.server.eventLoopDelayMs.p99), 'p50 ' + msText(r.server.eventLoopDelayMs.p50)) : '\u2014'; } },
        { label: 'Server CPU', num: true, title: 'the service\u2019s CPU time over the step\u2019s wall time (1 = one core busy)', value: function (r) { return r.server ? r.server.cpuCores : null; }, cell: function (r) { return r.server ? r.server.cpuCores.toFixed(2) : '\u2014'; } },
      ], rows, { empty: 'No load steps.' }));
    });
  }

  // ---------- start ----------

  function start(d) {
    data = d;
    columnByPath = data.metrics;
    completed = data.runs.filter(function (r) { return r.status === 'completed'; });
    data.runs.forEach(function (r) { runById[r.id] = r; runByName[r.name] = r; });
    data.verdict.checks.forEach(function (c) {
      if (c.status === 'fail' || c.status === 'warn') failedCell[c.run + '\u0000' + c.metric] = true;
    });
    if (window.Chart) {
      Chart.defaults.animation = false;
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      Chart.defaults.color = '#475467';
      Chart.defaults.maintainAspectRatio = false;
    }
    clear(app);
    renderRollbacks();
    renderMigration();
    renderCharts();
    renderConfigurations();
    renderStages();
    renderExtraction();
    renderConsensus();
    renderBackends();
    renderLoad();
    renderScale();
    renderCompare();
    renderChecks();
    renderBaseline();
    renderMethod();
    renderRouting();
    renderQuestions();
    renderMachine();
  }

  /** The data element holds gzipped JSON in base64; the browser's own DecompressionStream inflates it. */
  function inflate(node) {
    var binary = atob(node.textContent.trim());
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }

  var timing = { inflatedMs: null, parsedMs: null, drawnMs: null };
  window.__reportTiming = timing;

  function fail(message) {
    clear(app);
    app.appendChild(el('p', { class: 'notice', id: 'load-error', text: message }));
    document.documentElement.setAttribute('data-rendered', 'error');
  }

  if (typeof DecompressionStream === 'undefined') {
    fail('This browser cannot inflate the report\u2019s data (it needs DecompressionStream: Chrome or Edge 80+, Firefox 113+, Safari 16.4+). The verdict above does not need it.');
    return;
  }
  inflate(document.getElementById('report-data')).then(function (text) {
    timing.inflatedMs = performance.now();
    var d = JSON.parse(text);
    timing.parsedMs = performance.now();
    start(d);
    timing.drawnMs = performance.now();
    document.documentElement.setAttribute('data-drawn-ms', timing.drawnMs.toFixed(0));
    document.documentElement.setAttribute('data-rendered', 'true');
  }).catch(function (err) {
    fail('The report\u2019s data could not be read: ' + (err && err.message ? err.message : String(err)));
    throw err;
  });
})();
