crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc')).then((d) => console.log(Buffer.from(d).toString('hex')));
console.log(crypto.getRandomValues(new Uint8Array(4)).length);
