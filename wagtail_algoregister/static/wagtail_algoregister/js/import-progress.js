/*
 * The progress of an import running in the background (admin/imports/views.py), kept
 * up to date without reloading: every two seconds the page asks the import's status
 * (JSON) and updates the step, the bar and the count; when the import moves on (the
 * preview is ready, it is imported, or it failed) the page loads again to show it.
 *
 * Without JavaScript the page works the same with its "Show the progress now" link.
 * The step is a polite status message; the count is not announced, so that a screen
 * reader is not interrupted every two seconds.
 */
(() => {
  const box = document.querySelector('[data-algoregister-import-status]');
  if (!box) return;
  const url = box.dataset.algoregisterImportStatus;
  const { state } = box.dataset;
  const text = box.querySelector('[data-algoregister-import-text]');
  const count = box.querySelector('[data-algoregister-import-count]');
  const bar = box.querySelector('[data-algoregister-import-bar]');

  const poll = async () => {
    try {
      const response = await fetch(url, {
        headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
        credentials: 'same-origin',
      });
      if (response.status === 404) {
        window.location.reload(); // cancelled meanwhile: the page says so
        return;
      }
      if (response.ok) {
        const status = await response.json();
        if (status.state !== state) {
          window.location.reload();
          return;
        }
        if (text.textContent !== status.text) text.textContent = status.text;
        count.textContent = status.count;
        if (status.stage === 'checking' && status.total) {
          bar.max = status.total;
          bar.value = status.done;
        } else {
          bar.removeAttribute('value');
        }
      }
    } catch (error) {
      // A network hiccup: try again at the next turn.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
})();
