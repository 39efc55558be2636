// A static file server for the browser tests: serves a built site folder at one or more
// paths ("mounts") of 127.0.0.1, answering range requests with 206 as most static hosts do.
//
//   const { serve } = require('./static-server.cjs');
//   const server = await serve(siteDir, ['/', '/mirror/']);  // server.origin: 'http://127.0.0.1:PORT'
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.bin': 'application/octet-stream', '.xml': 'application/xml',
  '.svg': 'image/svg+xml'
};

// The file of `root` that a request path names under one of `mounts` (longest first), or null.
function fileFor(root, mounts, pathname) {
  for (const mount of [...mounts].sort((a, b) => b.length - a.length)) {
    if (!pathname.startsWith(mount)) continue;
    let rel = pathname.slice(mount.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize('/' + rel));
    if (!file.startsWith(root + path.sep)) return null;
    return file;
  }
  return null;
}

function serve(siteDir, mounts) {
  const root = path.resolve(siteDir);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = fileFor(root, mounts, pathname);
    if (!file || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      // A folder asked without its slash: redirect, as static hosts do.
      if (file && fs.existsSync(file) && !pathname.endsWith('/')) {
        res.writeHead(301, { Location: pathname + '/' });
        res.end();
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    const data = fs.readFileSync(file);
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    const m = /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range || '');
    if (m) {
      const from = Number(m[1]);
      const to = Math.min(m[2] === undefined ? data.length - 1 : Number(m[2]), data.length - 1);
      res.writeHead(206, {
        'Content-Type': type, 'Content-Range': `bytes ${from}-${to}/${data.length}`,
        'Content-Length': to - from + 1, 'Accept-Ranges': 'bytes'
      });
      res.end(data.subarray(from, to + 1));
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': data.length, 'Accept-Ranges': 'bytes' });
    res.end(data);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    server.origin = `http://127.0.0.1:${server.address().port}`;
    resolve(server);
  }));
}

module.exports = { serve };
