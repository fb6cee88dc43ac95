// node:querystring — parse/stringify/escape/unescape.
'use strict';
function qsEscape(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
function qsUnescape(s) {
  try { return decodeURIComponent(s); } catch { return s.replace(/%([0-9a-fA-F]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))); }
}
function stringifyPrimitive(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && isFinite(v)) return '' + v;
  if (typeof v === 'bigint') return '' + v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}
function stringify(obj, sep = '&', eq = '=', options) {
  const enc = (options && options.encodeURIComponent) || qsEscape;
  if (obj === null || typeof obj !== 'object') return '';
  return Object.keys(obj).map((k) => {
    const v = obj[k];
    const ks = enc(stringifyPrimitive(k)) + eq;
    if (Array.isArray(v)) return v.map((x) => ks + enc(stringifyPrimitive(x))).join(sep);
    return ks + enc(stringifyPrimitive(v));
  }).filter(Boolean).join(sep);
}
function parse(qs, sep = '&', eq = '=', options) {
  const obj = Object.create(null);
  if (typeof qs !== 'string' || qs.length === 0) return obj;
  const dec = (options && options.decodeURIComponent) || qsUnescape;
  let parts = qs.split(sep);
  const max = options && options.maxKeys !== undefined ? options.maxKeys : 1000;
  if (max > 0) parts = parts.slice(0, max);
  for (const p of parts) {
    if (!p) continue;
    const i = p.indexOf(eq);
    const k = dec((i >= 0 ? p.slice(0, i) : p).replace(/\+/g, ' '));
    const v = i >= 0 ? dec(p.slice(i + eq.length).replace(/\+/g, ' ')) : '';
    if (k in obj) { if (Array.isArray(obj[k])) obj[k].push(v); else obj[k] = [obj[k], v]; }
    else obj[k] = v;
  }
  return obj;
}
module.exports = { parse, stringify, decode: parse, encode: stringify, escape: qsEscape, unescape: qsUnescape };
