const { TextEncoder, TextDecoder } = require('util');
const u = new TextEncoder().encode('€uro');
console.log(u, new TextDecoder().decode(u), new TextDecoder('utf-8').encoding);
