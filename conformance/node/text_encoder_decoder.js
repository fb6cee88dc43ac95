const te = new TextEncoder(), td = new TextDecoder();
const b = te.encode('ß€😀');
console.log(b.length, td.decode(b), new TextDecoder('utf-16le').decode(new Uint8Array([104, 0, 105, 0])));
console.log(te.encodeInto('abc', new Uint8Array(2)));
