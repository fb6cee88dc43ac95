// node:util — inspect/format (internal/inspect), promisify, callbackify,
// inherits, deprecate, types, isDeepStrictEqual, TextEncoder/Decoder,
// parseArgs, styleText, debuglog.
'use strict';
const { inspect, format, formatWithOptions, isTypedArray } = require('internal/inspect');
const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

function promisify(original) {
  if (typeof original !== 'function') {
    const e = new TypeError('The "original" argument must be of type function');
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  if (original[kCustomPromisify]) return original[kCustomPromisify];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      original.call(this, ...args, (err, ...values) => {
        if (err) return reject(err);
        resolve(values.length > 1 && original.__promisifyMulti ? values : values[0]);
      });
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

function callbackify(original) {
  return function (...args) {
    const cb = args.pop();
    original.apply(this, args).then((v) => process.nextTick(cb, null, v), (err) => {
      if (!err) {
        const e = new Error('Promise was rejected with a falsy value');
        e.code = 'ERR_FALSY_VALUE_REJECTION';
        e.reason = err;
        err = e;
      }
      process.nextTick(cb, err);
    });
  };
}

function inherits(ctor, superCtor) {
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const deprecated = new Set();
function deprecate(fn, msg, code) {
  let warned = false;
  function deprecated_(...args) {
    if (!warned && !process.noDeprecation) {
      warned = true;
      if (!code || !deprecated.has(code)) {
        if (code) deprecated.add(code);
        process.emitWarning(msg, 'DeprecationWarning', code);
      }
    }
    return new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
  }
  Object.setPrototypeOf(deprecated_, fn);
  if (fn.prototype) deprecated_.prototype = fn.prototype;
  return deprecated_;
}

const tag = (v) => Object.prototype.toString.call(v).slice(8, -1);
const types = {
  isPromise: (v) => v instanceof Promise,
  isRegExp: (v) => tag(v) === 'RegExp',
  isDate: (v) => tag(v) === 'Date',
  isMap: (v) => v instanceof Map,
  isSet: (v) => v instanceof Set,
  isWeakMap: (v) => v instanceof WeakMap,
  isWeakSet: (v) => v instanceof WeakSet,
  isNativeError: (v) => v instanceof Error,
  isTypedArray,
  isUint8Array: (v) => v instanceof Uint8Array,
  isUint16Array: (v) => v instanceof Uint16Array,
  isUint32Array: (v) => v instanceof Uint32Array,
  isInt8Array: (v) => v instanceof Int8Array,
  isInt16Array: (v) => v instanceof Int16Array,
  isInt32Array: (v) => v instanceof Int32Array,
  isFloat32Array: (v) => v instanceof Float32Array,
  isFloat64Array: (v) => v instanceof Float64Array,
  isBigInt64Array: (v) => v instanceof BigInt64Array,
  isBigUint64Array: (v) => v instanceof BigUint64Array,
  isUint8ClampedArray: (v) => v instanceof Uint8ClampedArray,
  isArrayBuffer: (v) => v instanceof ArrayBuffer,
  isSharedArrayBuffer: (v) => typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer,
  isAnyArrayBuffer: (v) => v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isDataView: (v) => v instanceof DataView,
  isAsyncFunction: (v) => typeof v === 'function' && tag(v) === 'AsyncFunction' || (typeof v === 'function' && v.constructor && v.constructor.name === 'AsyncFunction'),
  isGeneratorFunction: (v) => typeof v === 'function' && v.constructor && /GeneratorFunction$/.test(v.constructor.name),
  isGeneratorObject: (v) => tag(v) === 'Generator',
  isMapIterator: (v) => tag(v) === 'Map Iterator',
  isSetIterator: (v) => tag(v) === 'Set Iterator',
  isBoxedPrimitive: (v) => v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt || v instanceof Symbol,
  isNumberObject: (v) => v instanceof Number,
  isStringObject: (v) => v instanceof String,
  isBooleanObject: (v) => v instanceof Boolean,
  isBigIntObject: (v) => v instanceof BigInt,
  isSymbolObject: (v) => v instanceof Symbol,
  isProxy: () => false,
  isExternal: () => false,
  isModuleNamespaceObject: (v) => v && tag(v) === 'Module',
  isArgumentsObject: (v) => tag(v) === 'Arguments',
  isKeyObject: () => false,
  isCryptoKey: () => false,
};

function isDeepStrictEqual(a, b) {
  return require('assert')._deepEqual(a, b, true);
}

function debuglog(section) {
  const enabled = new RegExp(`^(${(process.env.NODE_DEBUG || '').replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*').replace(/,/g, '$|^')})$`, 'i').test(section) && process.env.NODE_DEBUG;
  const fn = (...args) => {
    if (enabled) process.stderr.write(`${section.toUpperCase()} ${process.pid}: ${format(...args)}\n`);
  };
  fn.enabled = !!enabled;
  return fn;
}

function parseArgs(config = {}) {
  const args = config.args !== undefined ? config.args : process.argv.slice(2);
  const options = config.options || {};
  const strict = config.strict !== false;
  const values = { __proto__: null };
  const positionals = [];
  const tokens = [];
  const unknown = (name) => {
    const e = new TypeError(`Unknown option '${name}'`);
    e.code = 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    throw e;
  };
  const store = (name, value) => {
    const o = options[name];
    if (o && o.multiple) (values[name] = values[name] || []).push(value);
    else values[name] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { positionals.push(...args.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      let [name, val] = a.slice(2).split(/=(.*)/s);
      const o = options[name];
      if (!o) { if (strict) unknown(a); store(name, val === undefined ? true : val); continue; }
      if (o.type === 'string') { if (val === undefined) val = args[++i]; store(name, val); }
      else store(name, true);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const short = a[j];
        const name = Object.keys(options).find((k) => options[k].short === short);
        if (!name) { if (strict) unknown('-' + short); store(short, true); continue; }
        if (options[name].type === 'string') {
          store(name, j + 1 < a.length ? a.slice(j + 1) : args[++i]);
          break;
        }
        store(name, true);
      }
    } else {
      if (strict && config.allowPositionals === false) {
        const e = new TypeError(`Unexpected argument '${a}'. This command does not take positional arguments`);
        e.code = 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL';
        throw e;
      }
      positionals.push(a);
    }
  }
  for (const [k, o] of Object.entries(options)) if (o.default !== undefined && values[k] === undefined) values[k] = o.default;
  const r = { values, positionals };
  if (config.tokens) r.tokens = tokens;
  return r;
}

// Whether `stream` gets colors, as Node decides: FORCE_COLOR (not 0)
// forces them, NO_COLOR / NODE_DISABLE_COLORS refuse them, otherwise a
// terminal does.
function shouldColorize(stream) {
  const env = process.env;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined || env.TERM === 'dumb') return false;
  return !!(stream && stream.isTTY);
}

function styleText(format, text, { validateStream = true, stream = process.stdout } = {}) {
  const fmts = Array.isArray(format) ? format : [format];
  const plain = validateStream && !shouldColorize(stream);
  let out = text;
  for (const f of fmts) {
    const c = inspect.colors[f];
    if (!c) {
      const e = new TypeError(`The argument 'format' must be one of: ${Object.keys(inspect.colors).join(', ')}. Received ${inspect(f)}`);
      e.code = 'ERR_INVALID_ARG_VALUE';
      throw e;
    }
    if (!plain) out = `\u001b[${c[0]}m${out}\u001b[${c[1]}m`;
  }
  return out;
}

module.exports = {
  inspect, format, formatWithOptions, promisify, callbackify, inherits, deprecate, types, isDeepStrictEqual,
  debuglog, debug: debuglog, parseArgs, styleText,
  isArray: Array.isArray,
  isBoolean: (v) => typeof v === 'boolean',
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v == null,
  isNumber: (v) => typeof v === 'number',
  isString: (v) => typeof v === 'string',
  isSymbol: (v) => typeof v === 'symbol',
  isUndefined: (v) => v === undefined,
  isRegExp: types.isRegExp,
  isObject: (v) => v !== null && typeof v === 'object',
  isDate: types.isDate,
  isError: (v) => v instanceof Error,
  isFunction: (v) => typeof v === 'function',
  isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
  stripVTControlCharacters: (s) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''),
  toUSVString: (s) => String(s).toWellFormed ? String(s).toWellFormed() : String(s),
  getSystemErrorName: (n) => ({ '-2': 'ENOENT', '-13': 'EACCES', '-17': 'EEXIST', '-20': 'ENOTDIR', '-21': 'EISDIR', '-22': 'EINVAL', '-39': 'ENOTEMPTY', '-1': 'EPERM', '-9': 'EBADF' })[n],
  aborted: (signal) => new Promise((r) => signal.addEventListener('abort', r, { once: true })),
  get TextEncoder() { return globalThis.TextEncoder; },
  get TextDecoder() { return globalThis.TextDecoder; },
};
