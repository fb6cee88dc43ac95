const fs = require('fs');
console.log(fs.statSync('/nope', { throwIfNoEntry: false }));
