/** A self-contained page that renders /openapi.json (no CDN, no external script). */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>adrecon REST API</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 70rem; }
.op { border: 1px solid #ccc; border-radius: 4px; margin: 0.5rem 0; padding: 0.3rem 0.6rem; }
.method { font-weight: bold; text-transform: uppercase; display: inline-block; width: 4rem; }
.get { color: #0a6; } .post { color: #06c; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; font-size: 0.8rem; }
summary { cursor: pointer; }
</style>
</head>
<body>
<h1>adrecon REST API</h1>
<p>Authenticate with <code>Authorization: Bearer &lt;key&gt;</code> or <code>X-API-Key</code>. Machine-readable document: <a href="/openapi.json">/openapi.json</a>.</p>
<div id="ops">Loading…</div>
<script>
fetch('/openapi.json').then(function (r) { return r.json(); }).then(function (doc) {
  var root = document.getElementById('ops');
  root.textContent = '';
  Object.keys(doc.paths).forEach(function (path) {
    var item = doc.paths[path];
    Object.keys(item).forEach(function (method) {
      var op = item[method];
      var details = document.createElement('details');
      details.className = 'op';
      var summary = document.createElement('summary');
      var m = document.createElement('span');
      m.className = 'method ' + method;
      m.textContent = method;
      summary.appendChild(m);
      summary.appendChild(document.createTextNode(path + ' - ' + (op.summary || '')));
      details.appendChild(summary);
      var pre = document.createElement('pre');
      pre.textContent = JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody, responses: op.responses }, null, 2);
      details.appendChild(pre);
      root.appendChild(details);
    });
  });
}).catch(function (e) { document.getElementById('ops').textContent = 'Cannot load /openapi.json: ' + e; });
</script>
</body>
</html>
`;
