// node:readline (+ readline/promises): line splitting over any readable,
// question(), async iteration, 'line'/'close' events, and the cursor
// helpers. No line editing: agents' terminals are pipes.
'use strict';
const EventEmitter = require('events');
class Interface extends EventEmitter {
  constructor(input, output, completer, terminal) {
    super();
    let opts = input;
    if (!(input && input.input !== undefined) && (input && typeof input.on === 'function')) opts = { input, output, completer, terminal };
    this.input = opts.input;
    this.output = opts.output;
    this.terminal = !!opts.terminal;
    this.line = '';
    this.closed = false;
    this._prompt = opts.prompt !== undefined ? opts.prompt : '> ';
    this._buf = '';
    this._questions = [];
    this._paused = false;
    this.crlfDelay = opts.crlfDelay;
    this.history = [];
    const { StringDecoder } = require('string_decoder');
    const dec = new StringDecoder('utf8');
    this._onData = (d) => this._feed(typeof d === 'string' ? d : dec.write(d));
    this._onEnd = () => { if (this._buf.length) { const l = this._buf; this._buf = ''; this._line(l); } this.close(); };
    if (this.input) {
      this.input.on('data', this._onData);
      this.input.on('end', this._onEnd);
      if (typeof this.input.resume === 'function') this.input.resume();
    }
  }
  _feed(s) {
    this._buf += s;
    let i;
    while (!this.closed && (i = this._buf.search(/\r\n|\n|\r/)) >= 0) {
      const m = this._buf.slice(i).startsWith('\r\n') ? 2 : 1;
      const line = this._buf.slice(0, i);
      this._buf = this._buf.slice(i + m);
      this._line(line);
    }
  }
  _line(line) {
    if (this._questions.length) { const cb = this._questions.shift(); cb(line); return; }
    this.emit('line', line);
  }
  setPrompt(p) { this._prompt = p; }
  getPrompt() { return this._prompt; }
  prompt() { if (this.output) this.output.write(this._prompt); }
  question(query, opts, cb) {
    if (typeof opts === 'function') cb = opts;
    if (this.closed) { const e = new Error('readline was closed'); e.code = 'ERR_USE_AFTER_CLOSE'; throw e; }
    if (this.output) this.output.write(query);
    this._questions.push(cb);
  }
  write(d) { if (this.output && this.terminal) this.output.write(d); else if (d) this._feed(String(d)); }
  pause() { this._paused = true; if (this.input && this.input.pause) this.input.pause(); this.emit('pause'); return this; }
  resume() { this._paused = false; if (this.input && this.input.resume) this.input.resume(); this.emit('resume'); return this; }
  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.input) {
      this.input.removeListener('data', this._onData);
      this.input.removeListener('end', this._onEnd);
      if (typeof this.input.pause === 'function') this.input.pause();
    }
    this.emit('close');
  }
  getCursorPos() { return { rows: 0, cols: 0 }; }
  [Symbol.asyncIterator]() {
    const events = EventEmitter.on(this, 'line');
    const self = this;
    this.once('close', () => events.return());
    return {
      async next() { const r = await events.next(); return r.done ? r : { value: r.value[0], done: false }; },
      return() { self.close(); return events.return(); },
      [Symbol.asyncIterator]() { return this; },
    };
  }
}
const createInterface = (input, output, completer, terminal) => new Interface(input, output, completer, terminal);
class PInterface extends Interface {
  question(query, opts) { return new Promise((resolve) => super.question(query, opts, resolve)); }
}
const cursor = {
  clearLine: (s, dir, cb) => { s.write(dir < 0 ? '\x1b[1K' : dir > 0 ? '\x1b[0K' : '\x1b[2K'); if (cb) cb(); return true; },
  clearScreenDown: (s, cb) => { s.write('\x1b[0J'); if (cb) cb(); return true; },
  cursorTo: (s, x, y, cb) => { if (typeof y === 'function') { cb = y; y = undefined; } s.write(y === undefined ? `\x1b[${x + 1}G` : `\x1b[${y + 1};${x + 1}H`); if (cb) cb(); return true; },
  moveCursor: (s, dx, dy, cb) => { let o = ''; if (dx < 0) o += `\x1b[${-dx}D`; else if (dx > 0) o += `\x1b[${dx}C`; if (dy < 0) o += `\x1b[${-dy}A`; else if (dy > 0) o += `\x1b[${dy}B`; if (o) s.write(o); if (cb) cb(); return true; },
};
module.exports = {
  Interface, createInterface, ...cursor, emitKeypressEvents() {},
  promises: { Interface: PInterface, createInterface: (i, o, c, t) => new PInterface(i, o, c, t), Readline: class Readline {} },
};
