const o = { name: 'o' }; o.self = o; o.list = [o];
console.log(o);
