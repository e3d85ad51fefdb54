namespace HotlineQA.Host.Web;

/// <summary>
/// The call page's script, served from the assembly (no static-file folder to deploy): evidence buttons seek the
/// player and play, the transcript line under the playhead is highlighted and kept in view, the timeline is clickable.
/// </summary>
public static class CallPageScript
{
    public const string Path = "/static/call.js";

    public const string Source = """
        (() => {
          const player = document.getElementById('player');
          if (!player) return;
          const lines = Array.from(document.querySelectorAll('tr.utterance'));
          const timeline = document.getElementById('timeline');
          const playhead = document.getElementById('playhead');
          const clock = document.getElementById('clock');
          const fmt = t => { const m = Math.floor(t / 60); const s = (t - m * 60).toFixed(1); return m + ':' + (s < 10 ? '0' : '') + s; };
          const seek = t => {
            const go = () => { player.currentTime = t; player.play().catch(() => {}); };
            if (player.readyState >= 1) go(); else { player.addEventListener('loadedmetadata', go, { once: true }); player.load(); }
          };
          document.querySelectorAll('button.evidence').forEach(b =>
            b.addEventListener('click', () => seek(parseFloat(b.dataset.start))));
          if (timeline) timeline.addEventListener('click', e => {
            const r = timeline.getBoundingClientRect();
            seek((e.clientX - r.left) / r.width * parseFloat(timeline.dataset.duration));
          });
          let current = null;
          player.addEventListener('timeupdate', () => {
            const t = player.currentTime;
            if (clock) clock.textContent = fmt(t);
            if (playhead && timeline) {
              const x = t / parseFloat(timeline.dataset.duration) * 1000;
              playhead.setAttribute('x1', x); playhead.setAttribute('x2', x);
            }
            const now = lines.find(l => t >= parseFloat(l.dataset.start) && t < parseFloat(l.dataset.end)) || null;
            if (now === current) return;
            if (current) current.classList.remove('playing');
            current = now;
            if (current) { current.classList.add('playing'); current.scrollIntoView({ block: 'nearest' }); }
          });
        })();
        """;
}
