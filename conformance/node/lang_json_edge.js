console.log(JSON.stringify({ u: undefined, f() {}, n: NaN, d: new Date(0), nested: [undefined] }), JSON.stringify('\u2028'));
