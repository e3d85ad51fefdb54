// Dashboards on Chart.js (npm, embedded by the build): weekly lines with axes, values on hover and as points, right
// with a single week (points are drawn, the x axis is a category axis). Data comes from #dashboard-data.
(() => {
  const data = JSON.parse(document.getElementById('dashboard-data').textContent);
  const palette = ['#2f6fd6', '#c77a12', '#1b6e3a', '#b3261e', '#6b3fa0', '#0f7c86', '#8a5a00', '#d6336c', '#495057', '#5c940d'];
  const pct = v => (v * 100).toFixed(0) + '%';
  Chart.defaults.font.family = 'system-ui, "Noto Sans CJK SC", sans-serif';
  Chart.defaults.animation = false;
  const line = (id, block, opts) => {
    const el = document.getElementById(id);
    if (!el || !block.labels.length) { if (el) el.parentElement.insertAdjacentHTML('beforeend', '<p class="muted empty-chart">— 这段时间没有数据 no data in this period</p>'); return; }
    new Chart(el, {
      type: 'line',
      data: {
        labels: block.labels,
        datasets: block.series.map((s, i) => ({
          label: s.name, data: s.values, calls: s.calls, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length],
          pointRadius: 4, pointHoverRadius: 6, spanGaps: true, tension: 0,
        })),
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { offset: true, title: { display: true, text: '周(周一)week starting Monday' } },
          y: { min: opts.min, max: opts.max, title: { display: true, text: opts.y }, ticks: { callback: opts.tick } },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: c => `${c.dataset.label}: ${opts.tick(c.parsed.y)} (${c.dataset.calls[c.dataIndex]} 通 calls)` } },
        },
      },
    });
  };
  line('chart-agents', data.agents, { min: 0, max: 100, y: '平均分 mean score', tick: v => Number(v).toFixed(0) });
  line('chart-items', data.items, { min: 0, max: 1, y: '未通过率 fail rate', tick: pct });
  line('chart-queues', data.queues, { min: 0, max: 1, y: '标记率 flag rate', tick: pct });
  line('chart-sentiment', data.sentiment, { min: -1, max: 1, y: '客户情绪 sentiment (−1 … 1)', tick: v => Number(v).toFixed(1) });
  const ledger = document.getElementById('chart-ledger');
  if (ledger && data.ledger.length) new Chart(ledger, {
    type: 'bar',
    data: { labels: data.ledger.map(l => l.name), datasets: [{ label: '准确率 precision', data: data.ledger.map(l => l.precision), reviewed: data.ledger.map(l => l.reviewed), backgroundColor: '#2f6fd6' }] },
    options: {
      maintainAspectRatio: false, indexAxis: 'y',
      scales: { x: { min: 0, max: 1, title: { display: true, text: '准确率 precision (confirmed / reviewed)' }, ticks: { callback: pct } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: c => `${pct(c.parsed.x)} (${c.dataset.reviewed[c.dataIndex]} 条判定 verdicts)` } } },
    },
  });
  else if (ledger) ledger.parentElement.hidden = true;
})();
