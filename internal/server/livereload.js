// digest serve: live reload. Keeps one WebSocket to the dev server, which
// says "reload" after a rebuild and "css" after a stylesheet change. The
// scroll position survives reloads; after a server restart the page
// reconnects and reloads. The page says which version of the site it
// shows, so a change made while it was loading is not missed.
(() => {
  const version = document.currentScript ? document.currentScript.dataset.version : undefined;
  const key = "digest-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved) {
    sessionStorage.removeItem(key);
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    restore();
    window.addEventListener("load", restore);
  }
  const reload = () => {
    sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  };
  const swapCSS = () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("digest", Date.now().toString());
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = () => link.remove();
      link.after(fresh);
    }
  };
  let connected = false;
  let delay = 200;
  const connect = () => {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/_digest/ws" + (version ? "?v=" + encodeURIComponent(version) : ""));
    ws.onopen = () => {
      if (connected) reload(); // the server restarted: the site may have changed
      connected = true;
      delay = 200;
    };
    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      if (msg.type === "css") swapCSS();
      else if (msg.type === "reload") reload();
    };
    ws.onclose = () => {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 2000);
    };
  };
  connect();
})();
