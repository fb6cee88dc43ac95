const { text, json } = require('stream/consumers');
const { Readable } = require('stream');
(async () => { console.log(await text(Readable.from(['a', 'b'])), await json(Readable.from(['{"x"', ':1}']))); })();
