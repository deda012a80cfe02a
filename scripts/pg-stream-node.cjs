// Stands in for node-postgres's lib/stream.js in the bundle. The original
// decides at load time whether it runs in a Cloudflare Worker by building a
// `new Response(...)` when `navigator` is missing (as on Node 20), which loads
// Node's whole fetch implementation (undici, ~10 ms) into every command that
// connects. We only ever run on Node: plain sockets, loaded on first use as in
// the original.
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports */
module.exports = {
  getStream() {
    const net = require('net');
    return new net.Socket();
  },
  getSecureStream(options) {
    const tls = require('tls');
    return tls.connect(options);
  },
};
