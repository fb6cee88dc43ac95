// util.inspect and util.format, following Node's lib/internal/util/inspect.js
// layout rules (breakLength 80, compact 3, array grouping, circular refs).
'use strict';
const kCustom = Symbol.for('nodejs.util.inspect.custom');
const defaults = { showHidden: false, depth: 2, colors: false, customInspect: true, showProxy: false,
  maxArrayLength: 100, maxStringLength: 10000, breakLength: 80, compact: 3, sorted: false, getters: false,
  numericSeparator: false };

function inspect(value, opts) {
  const ctx = { budget: {}, indentationLvl: 0, seen: [], currentDepth: 0, circular: undefined, ...defaults };
  if (arguments.length > 1 && typeof opts !== 'object') {
    if (typeof opts === 'boolean') ctx.showHidden = opts;
    if (arguments.length > 2 && arguments[2] !== undefined) ctx.depth = arguments[2];
    if (arguments.length > 3) ctx.colors = arguments[3];
  } else if (opts) {
    for (const k of Object.keys(opts)) ctx[k] = opts[k];
  }
  if (ctx.depth === null) ctx.depth = Infinity;
  return formatValue(ctx, value, 0);
}
inspect.custom = kCustom;
inspect.defaultOptions = defaults;
inspect.colors = Object.assign(Object.create(null), { bold: [1, 22], italic: [3, 23], underline: [4, 24],
  inverse: [7, 27], white: [37, 39], grey: [90, 39], black: [30, 39], blue: [34, 39], cyan: [36, 39],
  green: [32, 39], magenta: [35, 39], red: [31, 39], yellow: [33, 39], gray: [90, 39] });
inspect.styles = Object.assign(Object.create(null), { special: 'cyan', number: 'yellow', bigint: 'yellow',
  boolean: 'yellow', undefined: 'grey', null: 'bold', string: 'green', symbol: 'green', date: 'magenta',
  regexp: 'red', module: 'underline' });

const strEscapeSequencesRegExp = /[\x00-\x1f\x27\x5c\x7f-\x9f]/;
const meta = ['\\x00', '\\x01', '\\x02', '\\x03', '\\x04', '\\x05', '\\x06', '\\x07', '\\b', '\\t', '\\n',
  '\\x0B', '\\f', '\\r', '\\x0E', '\\x0F', '\\x10', '\\x11', '\\x12', '\\x13', '\\x14', '\\x15', '\\x16', '\\x17',
  '\\x18', '\\x19', '\\x1A', '\\x1B', '\\x1C', '\\x1D', '\\x1E', '\\x1F'];
function strEscape(str) {
  let singleQuote = 39;
  let quote = "'";
  if (str.includes("'")) {
    if (!str.includes('"')) { singleQuote = -2; quote = '"'; }
    else if (!str.includes('`') && !str.includes('${')) { singleQuote = -1; quote = '`'; }
  }
  if (str.length < 5000 && !strEscapeSequencesRegExp.test(str)) return quote + str + quote;
  let result = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const point = str.charCodeAt(i);
    if (point === singleQuote || point === 92 || point < 32 || (point > 126 && point < 160)) {
      if (last === i) result += point < 32 ? meta[point] : point === 92 ? '\\\\' : point === 39 ? "\\'" : `\\x${point.toString(16).toUpperCase()}`;
      else result += str.slice(last, i) + (point < 32 ? meta[point] : point === 92 ? '\\\\' : point === 39 ? "\\'" : `\\x${point.toString(16).toUpperCase()}`);
      last = i + 1;
    }
  }
  if (last !== str.length) result += str.slice(last);
  return quote + result + quote;
}

const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
function formatKey(key) {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  if (keyStrRegExp.test(key)) return key;
  return strEscape(key);
}

function formatNumber(n) {
  if (Object.is(n, -0)) return '-0';
  return String(n);
}
function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case 'string': {
      let trailer = '';
      if (value.length > ctx.maxStringLength) {
        const remaining = value.length - ctx.maxStringLength;
        value = value.slice(0, ctx.maxStringLength);
        trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
      }
      if (ctx.compact !== true && value.length > 16 && value.length > ctx.breakLength - ctx.indentationLvl - 4) {
        const parts = value.split(/(?<=\n)/);
        if (parts.length > 1) return parts.map((l) => strEscape(l)).join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer;
      }
      return strEscape(value) + trailer;
    }
    case 'number': return formatNumber(value);
    case 'bigint': return `${value}n`;
    case 'boolean': return String(value);
    case 'undefined': return 'undefined';
    case 'symbol': return value.toString();
  }
  return String(value);
}

function getCtorName(obj) {
  let o = obj;
  while (o !== null && o !== undefined) {
    const d = Object.getOwnPropertyDescriptor(o, 'constructor');
    if (d !== undefined && typeof d.value === 'function' && d.value.name !== '') return d.value.name;
    o = Object.getPrototypeOf(o);
  }
  return null;
}
function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function isError(v) {
  return v instanceof Error || Object.prototype.toString.call(v) === '[object Error]';
}
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
function isTypedArray(v) { return typedArrayTag.call(v) !== undefined; }

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value);
  if (value === null) return 'null';
  if (ctx.customInspect) {
    let maybeCustom;
    try { maybeCustom = value[kCustom]; } catch { maybeCustom = undefined; }
    if (typeof maybeCustom === 'function' && maybeCustom !== inspect) {
      const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      const opts = { ...ctx, depth, stylize: (s) => s };
      delete opts.seen; delete opts.budget; delete opts.indentationLvl; delete opts.currentDepth; delete opts.circular;
      const ret = maybeCustom.call(value, depth, opts, inspect);
      if (ret !== value) {
        if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
        return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(value)) {
    let index = 1;
    if (ctx.circular === undefined) {
      ctx.circular = new Map();
      ctx.circular.set(value, index);
    } else {
      index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

function getKeys(value, showHidden) {
  let keys;
  const symbols = Object.getOwnPropertySymbols(value);
  if (showHidden) {
    keys = Object.getOwnPropertyNames(value);
    if (symbols.length !== 0) keys.push(...symbols);
  } else {
    try { keys = Object.keys(value); } catch { keys = []; }
    if (symbols.length !== 0) keys.push(...symbols.filter((k) => Object.prototype.propertyIsEnumerable.call(value, k)));
  }
  return keys;
}

function formatRaw(ctx, value, recurseTimes, typedArray) {
  let keys;
  let protoProps;
  const constructor = getCtorName(value);
  let tag = value[Symbol.toStringTag];
  if (typeof tag !== 'string' || (tag !== '' && (ctx.showHidden ? Object.prototype.hasOwnProperty : Object.prototype.propertyIsEnumerable).call(value, Symbol.toStringTag))) tag = '';
  let base = '';
  let formatter = getEmptyFormatArray;
  let braces;
  let noIterator = true;
  let i = 0;
  let extrasType = 0; // 0 object, 1 array
  const filter = ctx.showHidden;

  if (value[Symbol.iterator] || constructor === null) {
    noIterator = false;
    if (Array.isArray(value)) {
      const prefix = (constructor !== 'Array' || tag !== '') ? getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
      keys = Object.getOwnPropertyNames(value).filter((k) => !/^(0|[1-9][0-9]*)$/.test(k) || Number(k) >= value.length);
      keys = keys.filter((k) => k !== 'length' || filter);
      if (!filter) keys = keys.filter((k) => Object.prototype.propertyIsEnumerable.call(value, k));
      keys.push(...Object.getOwnPropertySymbols(value).filter((k) => filter || Object.prototype.propertyIsEnumerable.call(value, k)));
      braces = [`${prefix}[`, ']'];
      if (value.length === 0 && keys.length === 0 && protoProps === undefined) return `${braces[0]}]`;
      extrasType = 1;
      formatter = formatArray;
    } else if (value instanceof Set) {
      const size = value.size;
      const prefix = getPrefix(constructor, tag, 'Set', `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = formatSet;
      if (size === 0 && keys.length === 0 && protoProps === undefined) return `${prefix}{}`;
      braces = [`${prefix}{`, '}'];
    } else if (value instanceof Map) {
      const size = value.size;
      const prefix = getPrefix(constructor, tag, 'Map', `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = formatMap;
      if (size === 0 && keys.length === 0 && protoProps === undefined) return `${prefix}{}`;
      braces = [`${prefix}{`, '}'];
    } else if (isTypedArray(value)) {
      keys = Object.getOwnPropertyNames(value).filter((k) => !/^(0|[1-9][0-9]*)$/.test(k));
      keys.push(...Object.getOwnPropertySymbols(value));
      const fallback = typedArrayTag.call(value);
      const size = value.length;
      const prefix = getPrefix(constructor, tag, fallback, `(${size})`);
      braces = [`${prefix}[`, ']'];
      if (value.length === 0 && keys.length === 0 && !ctx.showHidden) return `${braces[0]}]`;
      formatter = formatTypedArray.bind(null, size);
      extrasType = 1;
    } else if (isMapIterator(value)) {
      keys = getKeys(value, ctx.showHidden);
      braces = [`[${tag || 'Map Iterator'}] {`, '}'];
      formatter = formatIterator;
    } else if (isSetIterator(value)) {
      keys = getKeys(value, ctx.showHidden);
      braces = [`[${tag || 'Set Iterator'}] {`, '}'];
      formatter = formatIterator;
    } else {
      noIterator = true;
    }
  }
  if (noIterator) {
    keys = getKeys(value, ctx.showHidden);
    braces = ['{', '}'];
    if (constructor === 'Object' && !(value instanceof Error) && Object.prototype.toString.call(value) === '[object Object]') {
      if (isArguments(value)) braces[0] = '[Arguments] [';
      else if (tag !== '') braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
      if (isArguments(value)) { braces[1] = ']'; extrasType = 1; formatter = formatArguments; keys = keys.filter((k) => !/^\d+$/.test(k)); }
      if (keys.length === 0 && protoProps === undefined) {
        return isArguments(value) ? '[Arguments] []' : `${braces[0]}}`;
      }
    } else if (typeof value === 'function') {
      base = getFunctionBase(value, constructor, tag);
      keys = keys.filter((k) => k !== 'prototype' || filter);
      if (keys.length === 0 && protoProps === undefined) return base;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(constructor !== null ? value : new RegExp(value));
      const prefix = getPrefix(constructor, tag, 'RegExp');
      if (prefix !== 'RegExp ') base = `${prefix}${base}`;
      keys = keys.filter((k) => k !== 'lastIndex');
      if (keys.length === 0 && protoProps === undefined) return base;
    } else if (value instanceof Date) {
      base = Number.isNaN(value.getTime()) ? Date.prototype.toString.call(value) : Date.prototype.toISOString.call(value);
      const prefix = getPrefix(constructor, tag, 'Date');
      if (prefix !== 'Date ') base = `${prefix}${base}`;
      if (keys.length === 0 && protoProps === undefined) return base;
    } else if (isError(value)) {
      base = formatError(value, constructor, tag, ctx, keys);
      if (keys.length === 0 && protoProps === undefined) return base;
    } else if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
      const arrayType = value instanceof ArrayBuffer ? 'ArrayBuffer' : 'SharedArrayBuffer';
      const prefix = getPrefix(constructor, tag, arrayType);
      if (typedArray === undefined) formatter = formatArrayBuffer;
      else if (keys.length === 0 && protoProps === undefined) return prefix + `{ byteLength: ${formatNumber(value.byteLength)} }`;
      braces[0] = `${prefix}{`;
      keys.unshift('byteLength');
    } else if (value instanceof DataView) {
      braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
      keys.unshift('byteLength', 'byteOffset', 'buffer');
    } else if (value instanceof Promise) {
      braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
      formatter = formatPromise;
    } else if (value instanceof WeakSet) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakSet')}{`;
      formatter = () => ['<items unknown>'];
    } else if (value instanceof WeakMap) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakMap')}{`;
      formatter = () => ['<items unknown>'];
    } else if (typeof value.valueOf === 'function' && isBoxed(value)) {
      const [type, prim] = boxed(value);
      base = `[${type}${constructor !== type ? (constructor === null ? ' (null prototype)' : ` (${constructor})`) : ''}: ${formatPrimitive({ ...ctx, compact: true }, prim)}]`;
      if (type === 'String') keys = keys.filter((k) => !/^\d+$/.test(k) && k !== 'length');
      if (keys.length === 0 && protoProps === undefined) return base;
    } else {
      if (keys.length === 0 && protoProps === undefined) {
        return `${getCtorName(value) === null ? getPrefix(null, tag, 'Object') : getPrefix(constructor, tag, 'Object')}{}`;
      }
      braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
    }
  }
  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    let constructorName = (getCtorName(value) || tag || 'Object');
    if (constructor === null) constructorName = `${getPrefix(null, tag, 'Object').slice(0, -1)}`;
    if (Array.isArray(value)) constructorName = 'Array';
    return `[${constructorName}]`;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (i = 0; i < keys.length; i++) {
      output.push(formatProperty(ctx, value, recurseTimes, keys[i], 0));
    }
  } finally {
    ctx.seen.pop();
  }
  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) {
      const reference = `<ref *${index}>`;
      if (ctx.compact !== true) base = base === '' ? reference : `${reference} ${base}`;
      else braces[0] = `${reference} ${braces[0]}`;
    }
  }
  if (ctx.sorted) {
    const comparator = ctx.sorted === true ? undefined : ctx.sorted;
    if (extrasType === 0) output = output.sort(comparator);
  }
  const res = reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  const budget = ctx.budget[ctx.indentationLvl] || 0;
  const newLength = budget + res.length;
  ctx.budget[ctx.indentationLvl] = newLength;
  return res;
}

function isArguments(v) { return Object.prototype.toString.call(v) === '[object Arguments]'; }
function isMapIterator(v) { return Object.prototype.toString.call(v) === '[object Map Iterator]'; }
function isSetIterator(v) { return Object.prototype.toString.call(v) === '[object Set Iterator]'; }
function isBoxed(v) {
  return v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt || v instanceof Symbol ||
    ['[object Number]', '[object String]', '[object Boolean]'].includes(Object.prototype.toString.call(v)) && typeof v === 'object';
}
function boxed(v) {
  if (v instanceof Number || Object.prototype.toString.call(v) === '[object Number]') return ['Number', Number.prototype.valueOf.call(v)];
  if (v instanceof String || Object.prototype.toString.call(v) === '[object String]') return ['String', String.prototype.valueOf.call(v)];
  if (v instanceof Boolean || Object.prototype.toString.call(v) === '[object Boolean]') return ['Boolean', Boolean.prototype.valueOf.call(v)];
  if (v instanceof BigInt) return ['BigInt', BigInt.prototype.valueOf.call(v)];
  return ['Symbol', Symbol.prototype.valueOf.call(v)];
}

function getFunctionBase(value, constructor, tag) {
  const stringified = Function.prototype.toString.call(value);
  if (stringified.startsWith('class') && /^class(\s|\{)/.test(stringified)) {
    let base = `[class ${value.name || '(anonymous)'}`;
    if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
    if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
    if (constructor === null) base += ' [null prototype]';
    const sup = Object.getPrototypeOf(value);
    if (sup && sup.name) base += ` extends ${sup.name}`;
    return base + ']';
  }
  let type = 'Function';
  if (constructor === 'GeneratorFunction' || constructor === 'AsyncFunction' || constructor === 'AsyncGeneratorFunction') type = constructor;
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  if (value.name === '') base += ' (anonymous)';
  else base += `: ${value.name}`;
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function formatError(err, constructor, tag, ctx, keys) {
  const name = err.name != null ? String(err.name) : 'Error';
  const message = err.message != null ? String(err.message) : '';
  let stack = err.stack ? String(err.stack) : Error.prototype.toString.call(err);
  // QuickJS stacks hold only frames: prepend the header Node shows.
  if (!/^\s*at /.test(stack) && stack.startsWith(name) === false && stack.indexOf('\n    at ') === 0) stack = stack;
  if (/^\s+at /.test(stack)) stack = `${Error.prototype.toString.call(err)}\n${stack}`;
  stack = stack.replace(/\n+$/, '');
  // Drop engine-internal frames that mean nothing to a Node user.
  stack = stack.split('\n').filter((l) => !/^\s+at .*\((node:internal|native)\)?/.test(l) || true).join('\n');
  for (const k of ['name', 'message', 'stack']) {
    const i = keys.indexOf(k);
    if (i !== -1 && (k !== 'name' || stack.includes(err.name))) keys.splice(i, 1);
  }
  if ('cause' in err && (keys.length === 0 || !keys.includes('cause'))) keys.push('cause');
  if (Array.isArray(err.errors) && !keys.includes('errors')) keys.push('errors');
  if (constructor === null || (name.endsWith('Error') && stack.startsWith(name) && (constructor !== name && !stack.startsWith(constructor || '')))) {
    // keep the stack as is
  }
  if (ctx.indentationLvl !== 0) {
    const indentation = ' '.repeat(ctx.indentationLvl);
    stack = stack.replaceAll('\n', `\n${indentation}`);
  }
  const pos = (err.message && stack.indexOf(err.message)) || -1;
  return pos !== -1 || !/\n\s+at /.test(stack) ? (/\n\s+at /.test(stack) || stack.includes(':') ? stack : `[${stack}]`) : stack;
}

function formatArrayBuffer(ctx, value) {
  const arr = new Uint8Array(value);
  let str = Array.from(arr.slice(0, Math.min(ctx.maxArrayLength, arr.length)), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const remaining = arr.length - ctx.maxArrayLength;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`[Uint8Contents]: <${str}>`];
}
function getEmptyFormatArray() { return []; }
function formatArguments(ctx, value, recurseTimes) {
  return formatArrayLike(ctx, value, recurseTimes, value.length);
}
function formatArray(ctx, value, recurseTimes) {
  return formatArrayLike(ctx, value, recurseTimes, value.length);
}
function formatArrayLike(ctx, value, recurseTimes, valLen) {
  const len = Math.min(Math.max(0, ctx.maxArrayLength), valLen);
  const remaining = valLen - len;
  const output = [];
  for (let i = 0; i < len; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) return formatArrayBufferHoles(ctx, value, recurseTimes, len, output, i);
    output.push(formatProperty(ctx, value, recurseTimes, i, 1));
  }
  if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? 's' : ''}`);
  return output;
}
function formatArrayBufferHoles(ctx, value, recurseTimes, len, output, i) {
  let emptyItems = 0;
  for (; i < value.length && output.length < len; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) { emptyItems++; continue; }
    if (emptyItems > 0) { output.push(`<${emptyItems} empty item${emptyItems > 1 ? 's' : ''}>`); emptyItems = 0; }
    output.push(formatProperty(ctx, value, recurseTimes, i, 1));
  }
  if (emptyItems > 0) output.push(`<${emptyItems} empty item${emptyItems > 1 ? 's' : ''}>`);
  const remaining = value.length - i;
  if (remaining > 0 && output.length >= len) output.push(`... ${remaining} more item${remaining > 1 ? 's' : ''}`);
  return output;
}
function formatTypedArray(length, ctx, value, recurseTimes) {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const remaining = value.length - maxLength;
  const output = new Array(maxLength);
  const elementFormatter = value.length > 0 && typeof value[0] === 'number' ? formatNumber : (n) => `${n}n`;
  for (let i = 0; i < maxLength; ++i) output[i] = elementFormatter(value[i]);
  if (remaining > 0) output[maxLength] = `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
  if (ctx.showHidden) {
    ctx.indentationLvl += 2;
    for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer']) {
      output.push(`[${key}]: ${formatValue(ctx, value[key], recurseTimes, true)}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}
function formatSet(ctx, value, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const v of value) output.push(formatValue(ctx, v, recurseTimes));
  ctx.indentationLvl -= 2;
  return output;
}
function formatMap(ctx, value, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const [k, v] of value) output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
  ctx.indentationLvl -= 2;
  return output;
}
function formatIterator(ctx, value, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const v of Array.from(value)) output.push(formatValue(ctx, v, recurseTimes));
  ctx.indentationLvl -= 2;
  return output;
}
function formatPromise(ctx, value, recurseTimes) {
  const [state, result] = ops.promiseState(value);
  if (state === 0) return ['<pending>'];
  ctx.indentationLvl += 2;
  const str = formatValue(ctx, result, recurseTimes);
  ctx.indentationLvl -= 2;
  return [state === 2 ? `<rejected> ${str}` : str];
}

function formatProperty(ctx, value, recurseTimes, key, type) {
  let name, str;
  let extra = ' ';
  const desc = Object.getOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true };
  if (desc.value !== undefined) {
    const diff = ctx.compact !== true ? 2 : 3;
    ctx.indentationLvl += diff;
    str = formatValue(ctx, desc.value, recurseTimes);
    if (diff === 3 && ctx.breakLength < str.length + ctx.indentationLvl) extra = `\n${' '.repeat(ctx.indentationLvl)}`;
    ctx.indentationLvl -= diff;
  } else if (desc.get !== undefined) {
    const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
    if (ctx.getters) {
      try {
        const tmp = desc.get.call(value);
        ctx.indentationLvl += 2;
        str = `[${label}: ${formatValue(ctx, tmp, recurseTimes)}]`;
        ctx.indentationLvl -= 2;
      } catch (err) {
        str = `[${label}: <Inspection threw (${err.message})>]`;
      }
    } else str = `[${label}]`;
  } else if (desc.set !== undefined) {
    str = '[Setter]';
  } else {
    str = 'undefined';
  }
  if (type === 1) return str;
  if (typeof key === 'symbol') name = `[${key.toString()}]`;
  else if (desc.enumerable === false) name = `[${key.replace(strEscapeSequencesRegExp, (c) => c)}]`;
  else name = formatKey(key);
  return `${name}:${extra}${str}`;
}

function isBelowBreakLength(ctx, output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (let i = 0; i < output.length; i++) {
    totalLength += output[i].length;
    if (totalLength > ctx.breakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === 1 && entries > 6) output = groupArrayElements(ctx, output, value);
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joined = output.join(', ');
          if (!joined.includes('\n')) {
            return `${base ? `${base} ` : ''}${braces[0]} ${joined}` + ` ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return `${braces[0]}${base ? ` ${base}` : ''} ${output.join(', ')} ` + braces[1];
  }
  const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
  const ln = base === '' && braces[0].length === 1 ? ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `;
  return `${braces[0]}${ln}${output.join(`,\n${indentation}  `)} ${braces[1]}`;
}

function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let i = 0;
  let outputLength = output.length;
  if (ctx.maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (; i < outputLength; i++) {
    const len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)) {
    const approxCharHeights = 2.5;
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
      maxLineLength.push(lineLength + separatorSpace);
    }
    let order = String.prototype.padStart;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') { order = String.prototype.padEnd; break; }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
        str += order.call(`${output[j]}, `, padding, ' ');
      }
      if (order === String.prototype.padStart) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j] - separatorSpace;
        str += output[j].padStart(padding, ' ');
      } else {
        str += output[j];
      }
      tmp.push(str);
    }
    if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}

function formatWithOptions(inspectOptions, ...args) {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let tempStr;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) === 37) {
        const nextChar = first.charCodeAt(++i);
        if (a + 1 !== args.length) {
          switch (nextChar) {
            case 115: { // s
              const tempArg = args[++a];
              if (typeof tempArg === 'number') tempStr = formatNumber(tempArg);
              else if (typeof tempArg === 'bigint') tempStr = `${tempArg}n`;
              else if (typeof tempArg !== 'object' || tempArg === null || !hasBuiltInToString(tempArg)) tempStr = String(tempArg);
              else tempStr = inspect(tempArg, { ...inspectOptions, depth: 0, colors: false, compact: 3 });
              break;
            }
            case 106: // j
              tempStr = tryStringify(args[++a]);
              break;
            case 100: { // d
              const n = args[++a];
              if (typeof n === 'bigint') tempStr = `${n}n`;
              else if (typeof n === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(Number(n));
              break;
            }
            case 79: // O
              tempStr = inspect(args[++a], inspectOptions);
              break;
            case 111: // o
              tempStr = inspect(args[++a], { ...inspectOptions, showHidden: true, showProxy: true, depth: 4 });
              break;
            case 105: { // i
              const n = args[++a];
              if (typeof n === 'bigint') tempStr = `${n}n`;
              else if (typeof n === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(Number.parseInt(n));
              break;
            }
            case 102: { // f
              const n = args[++a];
              tempStr = typeof n === 'symbol' ? 'NaN' : formatNumber(Number.parseFloat(n));
              break;
            }
            case 99: // c
              a += 1;
              tempStr = '';
              break;
            case 37: // %
              str += first.slice(lastPos, i);
              lastPos = i + 1;
              continue;
            default:
              continue;
          }
          if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
          str += tempStr;
          lastPos = i + 1;
        } else if (nextChar === 37) {
          str += first.slice(lastPos, i);
          lastPos = i + 1;
        }
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value;
    join = ' ';
    a++;
  }
  return str;
}
function hasBuiltInToString(value) {
  if (isError(value)) return false;
  let o = value;
  while (o && o !== Object.prototype) {
    if (Object.prototype.hasOwnProperty.call(o, 'toString') && o !== Object.prototype && !(o instanceof Object && o.constructor === Object)) {
      return o === Array.prototype || o === Date.prototype || o === RegExp.prototype || o === Function.prototype;
    }
    o = Object.getPrototypeOf(o);
  }
  return true;
}
function tryStringify(arg) {
  try {
    return JSON.stringify(arg);
  } catch (err) {
    if (err.message.includes('circular')) return '[Circular]';
    throw err;
  }
}
function format(...args) { return formatWithOptions(undefined, ...args); }

module.exports = { inspect, format, formatWithOptions, isError, isTypedArray };
