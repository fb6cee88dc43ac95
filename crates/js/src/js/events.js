// node:events — EventEmitter, once, on, EventEmitter.defaultMaxListeners,
// errorMonitor, captureRejections (accepted), getEventListeners.
'use strict';
const kCapture = Symbol('kCapture');
const errorMonitor = Symbol('events.errorMonitor');
let defaultMaxListeners = 10;

function EventEmitter(opts) {
  EventEmitter.init.call(this, opts);
}
EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;
EventEmitter.init = function init() {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
};
Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
  enumerable: true,
  get() { return defaultMaxListeners; },
  set(v) { defaultMaxListeners = v; },
});
EventEmitter.errorMonitor = errorMonitor;
EventEmitter.captureRejectionSymbol = Symbol.for('nodejs.rejection');
EventEmitter.captureRejections = false;

function checkListener(l) {
  if (typeof l !== 'function') {
    const e = new TypeError(`The "listener" argument must be of type function. Received ${l === null ? 'null' : typeof l === 'object' ? 'an instance of ' + (l.constructor && l.constructor.name || 'Object') : `type ${typeof l} (${String(l)})`}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
}

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) { this._maxListeners = n; return this; };
EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
  return this._maxListeners === undefined ? defaultMaxListeners : this._maxListeners;
};

EventEmitter.prototype.emit = function emit(type, ...args) {
  const events = this._events;
  if (type === 'error' && events !== undefined && events[errorMonitor] !== undefined) {
    this.emit(errorMonitor, ...args);
  }
  const handler = events === undefined ? undefined : events[type];
  if (handler === undefined) {
    if (type === 'error') {
      const er = args[0];
      if (er instanceof Error) throw er;
      const util = require('util');
      const err = new Error(`Unhandled error. (${util.inspect(er)})`);
      err.code = 'ERR_UNHANDLED_ERROR';
      err.context = er;
      throw err;
    }
    return false;
  }
  if (typeof handler === 'function') {
    handler.apply(this, args);
  } else {
    const list = handler.slice();
    for (let i = 0; i < list.length; i++) list[i].apply(this, args);
  }
  return true;
};

function addListener(target, type, listener, prepend) {
  checkListener(listener);
  let events = target._events;
  if (events === undefined) {
    events = target._events = Object.create(null);
    target._eventsCount = 0;
  } else if (events.newListener !== undefined) {
    target.emit('newListener', type, listener.listener ? listener.listener : listener);
    events = target._events;
  }
  let existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    target._eventsCount++;
  } else {
    if (typeof existing === 'function') {
      existing = events[type] = prepend ? [listener, existing] : [existing, listener];
    } else if (prepend) existing.unshift(listener);
    else existing.push(listener);
    const m = target.getMaxListeners();
    if (m > 0 && existing.length > m && !existing.warned) {
      existing.warned = true;
      const name = target.constructor && target.constructor.name || 'EventEmitter';
      process.emitWarning(`Possible EventEmitter memory leak detected. ${existing.length} ${String(type)} listeners added to [${name}]. MaxListeners is ${m}. Use emitter.setMaxListeners() to increase limit`, 'MaxListenersExceededWarning');
    }
  }
  return target;
}
EventEmitter.prototype.addListener = function (t, l) { return addListener(this, t, l, false); };
EventEmitter.prototype.on = EventEmitter.prototype.addListener;
EventEmitter.prototype.prependListener = function (t, l) { return addListener(this, t, l, true); };

function onceWrapper(...args) {
  if (!this.fired) {
    this.target.removeListener(this.type, this.wrapFn);
    this.fired = true;
    return this.listener.apply(this.target, args);
  }
}
function onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = onceWrapper.bind(state);
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}
EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener);
  this.on(type, onceWrap(this, type, listener));
  return this;
};
EventEmitter.prototype.prependOnceListener = function (type, listener) {
  checkListener(listener);
  this.prependListener(type, onceWrap(this, type, listener));
  return this;
};
EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  checkListener(listener);
  const events = this._events;
  if (events === undefined) return this;
  const list = events[type];
  if (list === undefined) return this;
  if (list === listener || list.listener === listener) {
    if (--this._eventsCount === 0) this._events = Object.create(null);
    else delete events[type];
    if (events.removeListener) this.emit('removeListener', type, list.listener || listener);
  } else if (typeof list !== 'function') {
    let pos = -1;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) { pos = i; break; }
    }
    if (pos < 0) return this;
    const removed = list[pos];
    list.splice(pos, 1);
    if (list.length === 1) events[type] = list[0];
    if (events.removeListener !== undefined) this.emit('removeListener', type, removed.listener || listener);
  }
  return this;
};
EventEmitter.prototype.off = EventEmitter.prototype.removeListener;
EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  const events = this._events;
  if (events === undefined) return this;
  if (events.removeListener === undefined) {
    if (arguments.length === 0) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
    }
    return this;
  }
  if (arguments.length === 0) {
    for (const key of Reflect.ownKeys(events)) {
      if (key === 'removeListener') continue;
      this.removeAllListeners(key);
    }
    this.removeAllListeners('removeListener');
    this._events = Object.create(null);
    this._eventsCount = 0;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') this.removeListener(type, listeners);
  else if (listeners !== undefined) {
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};
function listeners(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const l = events[type];
  if (l === undefined) return [];
  if (typeof l === 'function') return unwrap ? [l.listener || l] : [l];
  return unwrap ? l.map((x) => x.listener || x) : l.slice();
}
EventEmitter.prototype.listeners = function (type) { return listeners(this, type, true); };
EventEmitter.prototype.rawListeners = function (type) { return listeners(this, type, false); };
EventEmitter.prototype.listenerCount = function (type, listener) {
  const events = this._events;
  if (events === undefined) return 0;
  const l = events[type];
  if (l === undefined) return 0;
  if (typeof l === 'function') return listener == null || l === listener || l.listener === listener ? 1 : 0;
  if (listener == null) return l.length;
  return l.filter((x) => x === listener || x.listener === listener).length;
};
EventEmitter.listenerCount = (emitter, type) => emitter.listenerCount(type);
EventEmitter.prototype.eventNames = function () {
  return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : [];
};

function once(emitter, name, options = {}) {
  return new Promise((resolve, reject) => {
    const signal = options.signal;
    if (signal && signal.aborted) {
      reject(abortError(signal));
      return;
    }
    if (typeof emitter.addEventListener === 'function') {
      emitter.addEventListener(name, (...args) => resolve(args), { once: true });
      return;
    }
    const onError = (err) => {
      emitter.removeListener(name, resolver);
      reject(err);
    };
    const resolver = (...args) => {
      if (name !== 'error') emitter.removeListener('error', onError);
      resolve(args);
    };
    emitter.once(name, resolver);
    if (name !== 'error') emitter.once('error', onError);
    if (signal) {
      signal.addEventListener('abort', () => {
        emitter.removeListener(name, resolver);
        emitter.removeListener('error', onError);
        reject(abortError(signal));
      }, { once: true });
    }
  });
}
function abortError(signal) {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  e.code = 'ABORT_ERR';
  if (signal && signal.reason !== undefined) e.cause = signal.reason;
  return e;
}

function on(emitter, event, options = {}) {
  const queue = [];
  const waiting = [];
  let error = null;
  let done = false;
  const handler = (...args) => {
    if (waiting.length) waiting.shift().resolve({ value: args, done: false });
    else queue.push(args);
  };
  const errorHandler = (err) => {
    done = true;
    if (waiting.length) waiting.shift().reject(err);
    else error = err;
    iterator.return();
  };
  emitter.on(event, handler);
  if (event !== 'error') emitter.on('error', errorHandler);
  const iterator = {
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
      if (error) { const p = Promise.reject(error); error = null; return p; }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      emitter.removeListener(event, handler);
      emitter.removeListener('error', errorHandler);
      done = true;
      for (const w of waiting) w.resolve({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err) {
      error = err;
      emitter.removeListener(event, handler);
      emitter.removeListener('error', errorHandler);
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() { return this; },
  };
  if (options.signal) options.signal.addEventListener('abort', () => errorHandler(abortError(options.signal)), { once: true });
  return iterator;
}

function getEventListeners(emitter, type) {
  if (typeof emitter.listeners === 'function') return emitter.listeners(type);
  return [];
}
function setMaxListeners(n = defaultMaxListeners, ...targets) {
  if (targets.length === 0) defaultMaxListeners = n;
  for (const t of targets) if (typeof t.setMaxListeners === 'function') t.setMaxListeners(n);
}

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.once = once;
EventEmitter.on = on;
EventEmitter.getEventListeners = getEventListeners;
EventEmitter.setMaxListeners = setMaxListeners;
EventEmitter.listenerCount = (e, t) => e.listenerCount(t);
EventEmitter.usingDomains = false;
EventEmitter[kCapture] = false;
Object.defineProperty(EventEmitter, 'EventTarget', { get: () => globalThis.EventTarget });
Object.defineProperty(EventEmitter, 'Event', { get: () => globalThis.Event });
EventEmitter.addAbortListener = (signal, listener) => {
  signal.addEventListener('abort', listener, { once: true });
  return { [Symbol.dispose || Symbol.for('dispose')]() { signal.removeEventListener('abort', listener); } };
};
module.exports = EventEmitter;
