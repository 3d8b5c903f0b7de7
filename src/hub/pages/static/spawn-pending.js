// Follows the spawn progress stream and moves on to the server when it is ready.
(function () {
  var root = document.getElementById('spawn-progress');
  if (!root) return;
  var bar = document.getElementById('progress-bar');
  var log = document.getElementById('progress-log');
  var status = document.getElementById('progress-message');
  var source = new EventSource(root.dataset.progressUrl);
  source.onmessage = function (message) {
    var event = JSON.parse(message.data);
    if (typeof event.progress === 'number') bar.value = event.progress;
    if (event.message) {
      status.textContent = event.message;
      log.textContent += event.message + '\n';
    }
    if (event.ready) {
      source.close();
      window.location.replace(root.dataset.next);
    } else if (event.failed) {
      source.close();
      status.className = 'error';
      document.getElementById('retry').hidden = false;
    }
  };
  source.onerror = function () {
    // The stream closes after the final event; a reload shows the current state.
    if (source.readyState === EventSource.CLOSED) window.location.reload();
  };
})();
