// node:module — CommonJS loading and Node's module resolution over the
// VFS (node_modules lookup, package.json main/exports/imports/type,
// extension probing), shared with the ES-module loader (esmResolve,
// esmSource, initImportMeta), plus createRequire and require(esm).
'use strict';
const path = require('path');
const url = () => require('url');

const pkgCache = new Map();
function statType(p) { return ops.statType(p); }
function readPackage(dir) {
  const file = dir + (dir.endsWith('/') ? '' : '/') + 'package.json';
  if (pkgCache.has(file)) return pkgCache.get(file);
  let pkg = null;
  if (statType(file) === 1) {
    try {
      pkg = JSON.parse(ops.readFileUtf8(file));
      if (pkg === null || typeof pkg !== 'object') pkg = {};
    } catch (e) {
      const err = new Error(`Invalid package config ${file}.`);
      err.code = 'ERR_INVALID_PACKAGE_CONFIG';
      throw err;
    }
    pkg.__dir = dir;
  }
  pkgCache.set(file, pkg);
  return pkg;
}
// The nearest package.json at or above `dir` (stops at node_modules).
function packageScope(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    if (path.basename(d) === 'node_modules') return null;
    const p = readPackage(d);
    if (p) return p;
    if (d === '/') return null;
  }
}

function notFound(request, parent, esm) {
  let e;
  if (esm) {
    e = new Error(`Cannot find ${request.startsWith('/') ? 'module' : 'package'} '${request}' imported from ${parent}`);
    e.code = 'ERR_MODULE_NOT_FOUND';
  } else {
    const stack = [];
    for (let m = parent; m; m = m.parent) if (m.filename) stack.push(m.filename);
    e = new Error(`Cannot find module '${request}'` + (stack.length ? `\nRequire stack:\n- ${stack.join('\n- ')}` : ''));
    e.code = 'MODULE_NOT_FOUND';
    e.requireStack = stack;
  }
  return e;
}

const EXTS = ['.js', '.json', '.node', '.cjs', '.mjs'];
function tryFile(p) {
  return statType(p) === 1 ? ops.realpath(p) : null;
}
function tryExtensions(p) {
  for (const ext of Module._extensionList()) {
    const f = tryFile(p + ext);
    if (f) return f;
  }
  return null;
}
function tryDirectory(dir) {
  const pkg = readPackage(dir);
  if (pkg && typeof pkg.main === 'string' && pkg.main) {
    const m = path.resolve(dir, pkg.main);
    const f = tryFile(m) || tryExtensions(m) || tryExtensions(m + '/index');
    if (f) return f;
  }
  return tryExtensions(dir + '/index');
}
function loadAsFileOrDir(p) {
  if (p.endsWith('/')) return tryDirectory(p.slice(0, -1) || '/');
  return tryFile(p) || tryExtensions(p) || (statType(p) === 2 ? tryDirectory(p) : null);
}

// ---- package exports / imports ------------------------------------------------
function isConditional(exports) {
  return exports && typeof exports === 'object' && !Array.isArray(exports) &&
    Object.keys(exports).length > 0 && !Object.keys(exports)[0].startsWith('.');
}
function resolveTarget(pkgDir, target, match, conditions) {
  if (typeof target === 'string') {
    if (!target.startsWith('./')) {
      if (match !== undefined && !target.startsWith('/')) return { bare: target.replace(/\*/g, match) };
      return undefined;
    }
    const t = match !== undefined ? target.replace(/\*/g, match) : target;
    return path.join(pkgDir, t);
  }
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = resolveTarget(pkgDir, t, match, conditions);
      if (r !== undefined && r !== null) return r;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const key of Object.keys(target)) {
      if (key === 'default' || conditions.includes(key)) {
        const r = resolveTarget(pkgDir, target[key], match, conditions);
        if (r !== undefined) return r;
      }
    }
    return undefined;
  }
  return null;
}
function matchMap(map, subpath, pkgDir, conditions) {
  if (Object.prototype.hasOwnProperty.call(map, subpath) && !subpath.includes('*')) {
    return { found: true, r: resolveTarget(pkgDir, map[subpath], undefined, conditions) };
  }
  let best = null, bestMatch;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star >= 0) {
      const pre = key.slice(0, star), post = key.slice(star + 1);
      if (subpath.startsWith(pre) && subpath.length >= key.length && subpath.endsWith(post) &&
          (best === null || pre.length > best.indexOf('*'))) {
        best = key;
        bestMatch = subpath.slice(pre.length, subpath.length - post.length);
      }
    } else if (key.endsWith('/') && subpath.startsWith(key) && (best === null || key.length > best.length)) {
      best = key;
      bestMatch = subpath.slice(key.length);
    }
  }
  if (best === null) return { found: false };
  const target = map[best];
  if (best.endsWith('/') && typeof target === 'string') return { found: true, r: path.join(pkgDir, target, bestMatch) };
  return { found: true, r: resolveTarget(pkgDir, target, bestMatch, conditions) };
}
function resolveExports(pkg, subpath, conditions) {
  let exports = pkg.exports;
  if (typeof exports === 'string' || Array.isArray(exports) || isConditional(exports)) exports = { '.': exports };
  const { found, r } = matchMap(exports, subpath, pkg.__dir, conditions);
  if (!found || r === undefined || r === null || typeof r === 'object') {
    const e = new Error(subpath === '.'
      ? `No "exports" main defined in ${pkg.__dir}/package.json`
      : `Package subpath '${subpath}' is not defined by "exports" in ${pkg.__dir}/package.json`);
    e.code = 'ERR_PACKAGE_PATH_NOT_EXPORTED';
    throw e;
  }
  return r;
}
function resolveImports(request, fromDir, conditions, esm) {
  const pkg = packageScope(fromDir);
  if (pkg && pkg.imports) {
    const { found, r } = matchMap(pkg.imports, request, pkg.__dir, conditions);
    if (found && r) {
      if (typeof r === 'object' && r.bare) return resolveBare(r.bare, fromDir, conditions, esm);
      return r;
    }
  }
  const e = new Error(`Package import specifier "${request}" is not defined` + (pkg ? ` in package ${pkg.__dir}/package.json` : ''));
  e.code = 'ERR_PACKAGE_IMPORT_NOT_DEFINED';
  throw e;
}
function splitBare(request) {
  let i = request.indexOf('/');
  if (request.startsWith('@')) i = request.indexOf('/', i + 1);
  const name = i < 0 ? request : request.slice(0, i);
  const sub = i < 0 ? '.' : '.' + request.slice(i);
  return { name, sub };
}
function resolveBare(request, fromDir, conditions, esm) {
  const { name, sub } = splitBare(request);
  // Self-reference by package name.
  const scope = packageScope(fromDir);
  if (scope && scope.name === name && scope.exports !== undefined) {
    return finish(resolveExports(scope, sub, conditions), esm);
  }
  for (let d = fromDir; ; d = path.dirname(d)) {
    if (path.basename(d) !== 'node_modules') {
      const base = (d === '/' ? '' : d) + '/node_modules/' + name;
      if (statType(base) === 2) {
        const pkg = readPackage(base);
        if (pkg && pkg.exports !== undefined && pkg.exports !== null) {
          return finish(resolveExports(pkg, sub, conditions), esm);
        }
        const full = sub === '.' ? base : base + sub.slice(1);
        const f = loadAsFileOrDir(full);
        if (f) return f;
      }
    }
    if (d === '/') break;
  }
  for (const g of (process.env.NODE_PATH || '').split(':').filter(Boolean)) {
    const f = loadAsFileOrDir(path.join(g, request));
    if (f) return f;
  }
  return null;
}
function finish(p, esm) {
  if (statType(p) === 1) return ops.realpath(p);
  if (!esm) {
    const f = tryExtensions(p);
    if (f) return f;
  }
  const e = new Error(`Cannot find module '${p}'`);
  e.code = esm ? 'ERR_MODULE_NOT_FOUND' : 'MODULE_NOT_FOUND';
  throw e;
}

const CJS_CONDITIONS = ['require', 'node', 'node-addons', 'module-sync'];
const ESM_CONDITIONS = ['import', 'node', 'node-addons', 'module-sync'];

// ---- the Module class ------------------------------------------------------------
function Module(id = '', parent) {
  this.id = id;
  this.path = path.dirname(id);
  this.exports = {};
  this.filename = null;
  this.loaded = false;
  this.children = [];
  this.paths = [];
  Object.defineProperty(this, 'parent', { value: parent, writable: true, enumerable: false, configurable: true });
  if (parent && parent.children) parent.children.push(this);
}
Module._cache = Object.create(null);
Module._pathCache = Object.create(null);
Module._extensions = Object.create(null);
Module.builtinModules = internals.builtinNames.slice();
Module.isBuiltin = (n) => internals.isBuiltin(n);
Module.globalPaths = [];
Module.Module = Module;
Module._extensionList = () => Object.keys(Module._extensions);
Module._nodeModulePaths = function (from) {
  const out = [];
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    if (path.basename(d) !== 'node_modules') out.push((d === '/' ? '' : d) + '/node_modules');
    if (d === '/') break;
  }
  return out;
};

Module._resolveFilename = function (request, parent, isMain, options) {
  if (typeof request !== 'string') {
    const e = new TypeError(`The "id" argument must be of type string. Received ${typeof request}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  if (request.startsWith('node:')) {
    if (internals.isBuiltin(request)) return request;
    const e = new Error(`No such built-in module: ${request}`);
    e.code = 'ERR_UNKNOWN_BUILTIN_MODULE';
    throw e;
  }
  if (internals.isBuiltin(request) && request !== 'test') return request;
  const fromDir = options && options.paths ? options.paths[0] : parent && parent.filename ? path.dirname(parent.filename) : process.cwd();
  let r = null;
  if (request.startsWith('/') || request.startsWith('./') || request.startsWith('../') || request === '.' || request === '..') {
    r = loadAsFileOrDir(path.resolve(fromDir, request) + (request.endsWith('/') ? '/' : ''));
  } else if (request.startsWith('#')) {
    r = finish(resolveImports(request, fromDir, CJS_CONDITIONS, false), false);
  } else {
    r = resolveBare(request, fromDir, CJS_CONDITIONS, false);
  }
  if (!r) throw notFound(request, parent, false);
  return r;
};

function formatOf(filename) {
  if (filename.endsWith('.mjs')) return 'esm';
  if (filename.endsWith('.cjs')) return 'cjs';
  if (filename.endsWith('.json')) return 'json';
  if (filename.endsWith('.node')) return 'addon';
  if (filename.endsWith('.js') || !path.extname(filename)) {
    const scope = packageScope(path.dirname(filename));
    if (scope && scope.type === 'module') return filename.endsWith('.js') ? 'esm' : 'cjs';
  }
  return 'cjs';
}
Module._formatOf = formatOf;

Module._load = function (request, parent, isMain) {
  const filename = Module._resolveFilename(request, parent, isMain);
  if (filename.startsWith('node:') || internals.isBuiltin(filename)) return internals.builtin(filename);
  const cached = Module._cache[filename];
  if (cached) {
    if (parent && parent.children && !parent.children.includes(cached)) parent.children.push(cached);
    return cached.exports;
  }
  const module = new Module(filename, parent);
  if (isMain) {
    process.mainModule = module;
    module.id = '.';
    Module._mainModule = module;
  }
  Module._cache[filename] = module;
  let threw = true;
  try {
    module.load(filename);
    threw = false;
  } finally {
    if (threw) delete Module._cache[filename];
  }
  return module.exports;
};

Module.prototype.load = function (filename) {
  this.filename = filename;
  this.paths = Module._nodeModulePaths(path.dirname(filename));
  const fmt = formatOf(filename);
  if (fmt === 'esm') {
    this.exports = requireEsm(filename);
  } else {
    let ext = path.extname(filename);
    if (!Module._extensions[ext] || ext === '.mjs') ext = '.js';
    Module._extensions[ext](this, filename);
  }
  this.loaded = true;
};

Module.prototype.require = function (id) {
  if (typeof id !== 'string' || id === '') {
    const e = new TypeError(`The "id" argument must be of type string. Received ${id === '' ? "''" : typeof id}`);
    e.code = id === '' ? 'ERR_INVALID_ARG_VALUE' : 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  return Module._load(id, this, false);
};

Module.wrapper = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
Module.wrap = (src) => Module.wrapper[0] + src + Module.wrapper[1];

function stripShebang(src) {
  if (src.startsWith('#!')) {
    const nl = src.indexOf('\n');
    return nl < 0 ? '' : '//' + src.slice(2);
  }
  return src;
}

Module.prototype._compile = function (content, filename) {
  const fn = ops.evalScript(Module.wrap(stripShebang(content)), filename);
  const require = makeRequire(this);
  return fn.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
};

function makeRequire(mod) {
  const require = function require(id) { return mod.require(id); };
  require.resolve = function resolve(request, options) {
    const r = Module._resolveFilename(request, mod, false, options);
    return r.startsWith('node:') ? r : r;
  };
  require.resolve.paths = (request) => internals.isBuiltin(request) ? null : Module._nodeModulePaths(mod.path || process.cwd());
  require.main = Module._mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}
Module.prototype.require.resolve = undefined;

Module._extensions['.js'] = function (module, filename) {
  module._compile(ops.readFileUtf8(filename), filename);
};
Module._extensions['.json'] = function (module, filename) {
  const src = ops.readFileUtf8(filename);
  try {
    module.exports = JSON.parse(src.charCodeAt(0) === 0xfeff ? src.slice(1) : src);
  } catch (e) {
    e.message = filename + ': ' + e.message;
    throw e;
  }
};
Module._extensions['.node'] = function (module, filename) {
  throw internals.notSupported(`Native addon '${filename}'`);
};
Module._extensions['.cjs'] = Module._extensions['.js'];

Module.createRequire = function createRequire(from) {
  let filename = from instanceof URL || (typeof from === 'string' && from.startsWith('file:')) ? url().fileURLToPath(from) : from;
  if (typeof filename !== 'string' || !filename.startsWith('/')) {
    const e = new TypeError(`The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received ${require('util').inspect(from)}`);
    e.code = 'ERR_INVALID_ARG_VALUE';
    throw e;
  }
  const m = new Module(filename, null);
  m.filename = filename.endsWith('/') ? filename + 'noop.js' : filename;
  m.path = path.dirname(m.filename);
  m.paths = Module._nodeModulePaths(m.path);
  return makeRequire(m);
};

Module.runMain = function (main) {
  const abs = main || process.argv[1];
  let filename;
  try {
    filename = Module._resolveFilename(abs, null, true);
  } catch (e) {
    if (e.code === 'MODULE_NOT_FOUND') {
      e.message = `Cannot find module '${abs}'`;
      e.requireStack = [];
    }
    throw e;
  }
  if (formatOf(filename) === 'esm') {
    importMain(filename);
  } else {
    Module._load(filename, null, true);
  }
};
function importMain(filename) {
  const p = ops.import(filename);
  p.then(undefined, (e) => internals.fatal(e));
}

Module._evalMain = function (code, print, name, esm) {
  const cwd = process.cwd();
  if (esm) {
    const file = path.join(cwd, `${name}-${process.pid}.mjs`);
    evalEsmSources.set(file, code);
    importMain(file);
    return;
  }
  const m = new Module(name, null);
  m.filename = path.join(cwd, name);
  m.paths = Module._nodeModulePaths(cwd);
  m.loaded = true;
  process.mainModule = undefined;
  globalThis.module = m;
  globalThis.exports = m.exports;
  globalThis.require = makeRequire(m);
  globalThis.__filename = name;
  globalThis.__dirname = '.';
  const result = ops.evalScript(stripShebang(code), name);
  if (print) {
    if (typeof result === 'string') ops.write(1, result + '\n');
    else console.log(result);
  }
};

Module._preload = function (request) {
  const m = new Module('internal/preload', null);
  m.filename = path.join(process.cwd(), 'internal/preload');
  m.paths = Module._nodeModulePaths(process.cwd());
  Module._load(request, m, false);
};

// ---- ES modules ------------------------------------------------------------------------
const evalEsmSources = new Map();
const esmCjsExports = new Map();
function requireEsm(filename) {
  const p = ops.import(filename);
  const [state, value] = ops.runUntilSettled(p);
  if (state === 2) throw value;
  if (state === 0) {
    const e = new Error(`require() cannot be used on an ESM graph with top-level await. Use import() instead. To see where the top-level await comes from, use --experimental-print-required-tla.\n  From ${filename}`);
    e.code = 'ERR_REQUIRE_ASYNC_MODULE';
    throw e;
  }
  if (value && Object.prototype.hasOwnProperty.call(value, 'module.exports')) return value['module.exports'];
  return value;
}

Module._esmResolve = function (specifier, base) {
  if (evalEsmSources.has(specifier)) return specifier;
  if (specifier.startsWith('node:') || (internals.isBuiltin(specifier) && specifier !== 'test')) {
    if (!internals.isBuiltin(specifier)) {
      const e = new Error(`No such built-in module: ${specifier}`);
      e.code = 'ERR_UNKNOWN_BUILTIN_MODULE';
      throw e;
    }
    return specifier.startsWith('node:') ? specifier : 'node:' + specifier;
  }
  if (specifier.startsWith('file://')) specifier = url().fileURLToPath(specifier);
  const baseFile = base && base.startsWith('/') ? base : path.join(process.cwd(), '[eval]');
  const fromDir = path.dirname(baseFile);
  let r;
  if (specifier.startsWith('/') || specifier.startsWith('./') || specifier.startsWith('../')) {
    const p = path.resolve(fromDir, specifier.split('?')[0]);
    if (statType(p) !== 1) {
      const e = new Error(`Cannot find module '${p}' imported from ${baseFile}`);
      e.code = 'ERR_MODULE_NOT_FOUND';
      throw e;
    }
    r = ops.realpath(p);
  } else if (specifier.startsWith('#')) {
    r = finish(resolveImports(specifier, fromDir, ESM_CONDITIONS, true), true);
  } else {
    r = resolveBare(specifier, fromDir, ESM_CONDITIONS, true);
    if (!r) throw notFound(splitBare(specifier).name, baseFile, true);
  }
  return r;
};

const IDENT = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['default', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger',
  'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in',
  'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public',
  'arguments', 'eval']);
function shim(expr, exportsObj, withDefault = true) {
  let src = `const m = ${expr};\n`;
  if (withDefault) src += 'export default m;\n';
  const names = [];
  if (exportsObj !== null && (typeof exportsObj === 'object' || typeof exportsObj === 'function')) {
    for (const k of Object.keys(exportsObj)) if (IDENT.test(k) && !RESERVED.has(k)) names.push(k);
  }
  if (names.length) src += `export const { ${names.join(', ')} } = m;\n`;
  return src;
}
Module._esmSource = function (name) {
  if (evalEsmSources.has(name)) {
    const src = evalEsmSources.get(name);
    evalEsmSources.delete(name);
    return ['esm', src];
  }
  if (name.startsWith('node:')) {
    const exp = internals.builtin(name);
    return ['shim', shim(`globalThis.__agentos.builtin(${JSON.stringify(name)})`, exp)];
  }
  const fmt = formatOf(name);
  if (fmt === 'esm') return ['esm', stripShebang(ops.readFileUtf8(name))];
  if (fmt === 'json') {
    return ['shim', `export default JSON.parse(${JSON.stringify(ops.readFileUtf8(name))});`];
  }
  // CommonJS: run it now (Node runs it at evaluation; our named exports need
  // its keys at link time) and re-export module.exports.
  const exp = Module._load(name, null, false);
  esmCjsExports.set(name, exp);
  return ['shim', shim(`globalThis.__agentos.cjsExports(${JSON.stringify(name)})`, exp)];
};
internals.cjsExports = (name) => {
  const m = Module._cache[name];
  return m ? m.exports : esmCjsExports.get(name);
};
Module._initImportMeta = function (meta, name) {
  const filename = name.startsWith('/') ? name : path.join(process.cwd(), name);
  meta.url = url().pathToFileURL(filename).href;
  meta.filename = filename;
  meta.dirname = path.dirname(filename);
  meta.resolve = (spec) => {
    const r = Module._esmResolve(spec, filename);
    return r.startsWith('node:') ? r : url().pathToFileURL(r).href;
  };
};

Module.syncBuiltinESMExports = () => {};
Module.findSourceMap = () => undefined;
Module.register = () => {};
Module.enableCompileCache = () => ({ status: 0 });
Module.findPackageJSON = (spec, base) => {
  const start = base ? path.dirname(base.startsWith('file:') ? url().fileURLToPath(base) : base) : process.cwd();
  const p = packageScope(start);
  return p ? p.__dir + '/package.json' : undefined;
};
Module.SourceMap = class SourceMap {};
module.exports = Module;
