const os = require('os');
console.log(os.constants.signals.SIGTERM, os.constants.signals.SIGKILL, os.constants.errno.ENOENT);
