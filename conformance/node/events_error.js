const E = require('events');
try { new E().emit('error', new Error('unhandled ee')); } catch (e) { console.log(e.message); }
try { new E().emit('error', 'str'); } catch (e) { console.log(e.code, e.message); }
