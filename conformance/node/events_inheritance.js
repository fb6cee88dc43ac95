const E = require('events'); const util = require('util');
function My() { E.call(this); }
util.inherits(My, E);
const m = new My(); m.on('hi', () => console.log('hi from My')); m.emit('hi');
class C extends E {} new C().on('x', () => {}).emit('x'); console.log(My.super_ === E);
