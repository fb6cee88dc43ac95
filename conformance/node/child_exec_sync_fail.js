const cp = require('child_process');
try { cp.execSync('exit 2', { stdio: 'pipe' }); } catch (e) { console.log('status', e.status); }
