// The call page as a listening desk: waveform (wavesurfer.js) over the recording, timeline lanes, evidence and
// transcript lines that seek, and the keyboard loop: Space play/pause, ←/→ ±5 s, J/K next/previous finding,
// C confirm, X overturn, N next call. Seeking maps a click over the element's own box (no letterboxing).
(() => {
  const player = document.getElementById('player');
  const lanes = document.getElementById('lanes');
  const playhead = document.getElementById('playhead');
  const clock = document.getElementById('clock');
  const playButton = document.getElementById('play');
  const waveform = document.getElementById('waveform');
  const data = document.getElementById('desk-data');
  const lines = Array.from(document.querySelectorAll('tr.utterance'));
  const findings = Array.from(document.querySelectorAll('tr.finding.actionable'));
  const fmt = t => { const m = Math.floor(t / 60); const s = (t - m * 60).toFixed(1); return m + ':' + (s < 10 ? '0' : '') + s; };
  const duration = () => (player && isFinite(player.duration) && player.duration > 0)
    ? player.duration : parseFloat((lanes || waveform || {}).dataset?.duration || '0');

  const seek = (t, play) => {
    if (!player) return;
    const go = () => { player.currentTime = Math.max(0, Math.min(t, duration() || t)); if (play) player.play().catch(() => {}); };
    if (player.readyState >= 1) go(); else { player.addEventListener('loadedmetadata', go, { once: true }); player.load(); }
  };
  window.hotlineqaSeek = seek;

  // Waveform: wavesurfer.js drives the same <audio> element, so every control stays in step.
  let ws = null;
  if (player && waveform && window.WaveSurfer) {
    try {
      ws = WaveSurfer.create({
        container: waveform, media: player, url: player.currentSrc || player.src, height: 72, normalize: true,
        waveColor: '#8aa4c8', progressColor: '#2f5da8', cursorColor: '#1d2330', cursorWidth: 2, barWidth: 2, barGap: 1,
      });
      const regions = WaveSurfer.Regions ? ws.registerPlugin(WaveSurfer.Regions.create()) : null;
      ws.on('decode', () => {
        waveform.dataset.ready = 'true';
        if (!regions) return;
        document.querySelectorAll('#lane-evidence .ev').forEach(ev => {
          const b = document.querySelector(`#finding-${ev.dataset.finding} button.evidence`);
          if (!b) return;
          regions.addRegion({ start: parseFloat(b.dataset.start), end: parseFloat(b.dataset.end), color: 'rgba(179, 38, 30, 0.12)', drag: false, resize: false });
        });
      });
      ws.on('error', () => waveform.classList.add('waveform-failed'));
    } catch (e) { waveform.classList.add('waveform-failed'); }
  }

  if (lanes) lanes.addEventListener('click', e => {
    const r = lanes.getBoundingClientRect();
    seek((e.clientX - r.left) / r.width * parseFloat(lanes.dataset.duration), true);
  });
  document.querySelectorAll('button.evidence').forEach(b => b.addEventListener('click', e => {
    e.stopPropagation();
    const row = b.closest('tr.finding.actionable');
    if (row) select(findings.indexOf(row), false);
    seek(parseFloat(b.dataset.start), true);
  }));
  document.querySelectorAll('#lane-evidence .ev').forEach(ev => ev.addEventListener('click', e => {
    e.stopPropagation();
    const row = document.getElementById('finding-' + ev.dataset.finding);
    select(findings.indexOf(row), true, true);
  }));
  lines.forEach(l => l.addEventListener('click', e => {
    if (e.target.closest('a')) return;
    seek(parseFloat(l.dataset.start), true);
  }));

  const toggle = () => { if (!player) return; if (player.paused) player.play().catch(() => {}); else player.pause(); };
  if (playButton) {
    playButton.addEventListener('click', toggle);
    player.addEventListener('play', () => { playButton.textContent = '⏸︎ 暂停'; });
    player.addEventListener('pause', () => { playButton.textContent = '▶︎ 播放'; });
  }

  let current = null;
  if (player) player.addEventListener('timeupdate', () => {
    const t = player.currentTime;
    if (clock) clock.textContent = fmt(t);
    const d = duration();
    if (playhead && d > 0) playhead.style.left = (100 * t / d) + '%';
    const now = lines.find(l => t >= parseFloat(l.dataset.start) && t < parseFloat(l.dataset.end)) || null;
    if (now === current) return;
    if (current) current.classList.remove('playing');
    current = now;
    if (current) { current.classList.add('playing'); current.scrollIntoView({ block: 'nearest' }); }
  });

  // The finding under review: J/K move, C/X judge it; after a verdict the page comes back on the next open one.
  let selected = -1;
  function select(i, doSeek, play) {
    if (i < 0 || i >= findings.length) return;
    if (selected >= 0) findings[selected].classList.remove('selected');
    selected = i;
    const row = findings[i];
    row.classList.add('selected');
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: 'nearest' });
    const b = row.querySelector('button.evidence');
    if (doSeek && b) seek(parseFloat(b.dataset.start), !!play);
  }
  const open = () => findings.map((f, i) => [f, i]).filter(([f]) => f.dataset.judged !== 'true').map(([, i]) => i);
  const after = data && data.dataset.after ? document.getElementById('finding-' + data.dataset.after) : null;
  const start = (() => {
    const o = open();
    if (after) { const a = findings.indexOf(after); const next = o.find(i => i > a); if (next !== undefined) return next; }
    return o.length ? o[0] : (findings.length ? 0 : -1);
  })();
  if (start >= 0) select(start, false);

  const judge = verdict => {
    if (selected < 0) return;
    const form = findings[selected].querySelector('form.verdict-form');
    const button = form && form.querySelector(`button[value="${verdict}"]`);
    if (button) form.requestSubmit(button);
  };
  // The next call of the queue the reviewer opened this one from (triage.js), else the server's next not-reviewed call.
  const nextCall = () => {
    const here = location.pathname.split('/').pop();
    try {
      const queue = JSON.parse(sessionStorage.getItem('hotlineqa.queue') || '[]');
      const i = queue.indexOf(here);
      if (i >= 0 && i + 1 < queue.length) return queue[i + 1];
    } catch (e) { /* fall through */ }
    return data && data.dataset.nextCall ? data.dataset.nextCall : null;
  };
  document.addEventListener('keydown', e => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || e.target.isContentEditable) return;
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    switch (k) {
      case ' ': if (tag === 'button' || tag === 'a' || tag === 'summary') return; e.preventDefault(); toggle(); break;
      case 'ArrowRight': if (player) { e.preventDefault(); seek(player.currentTime + 5, !player.paused); } break;
      case 'ArrowLeft': if (player) { e.preventDefault(); seek(player.currentTime - 5, !player.paused); } break;
      case 'j': e.preventDefault(); select(Math.min(findings.length - 1, selected + 1), true); break;
      case 'k': e.preventDefault(); select(Math.max(0, selected - 1), true); break;
      case 'c': e.preventDefault(); judge('confirm'); break;
      case 'x': e.preventDefault(); judge('overturn'); break;
      case 'n': { const next = nextCall(); if (next) { e.preventDefault(); location.href = '/calls/' + next; } break; }
    }
  });
})();
