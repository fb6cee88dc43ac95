class MyError extends Error { constructor(m) { super(m); this.name = 'MyError'; } }
try { throw new MyError('custom'); } catch (e) { console.log(e.name, e.message, e instanceof Error, String(e)); }
