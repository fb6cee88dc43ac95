const E = require('events');
const e = new E(); console.log(e.getMaxListeners(), E.defaultMaxListeners); e.setMaxListeners(1); console.log(e.getMaxListeners());
