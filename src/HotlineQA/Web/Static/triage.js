// Remembers the queue as the reviewer filtered it, so the call page's N key opens the next call of this queue.
(() => {
  const ids = Array.from(document.querySelectorAll('#queue tbody tr')).map(r => r.dataset.callId);
  try { sessionStorage.setItem('hotlineqa.queue', JSON.stringify(ids)); } catch (e) { /* storage off: the server's next call is used */ }
})();
