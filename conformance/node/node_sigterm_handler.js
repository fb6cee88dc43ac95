const cp = require('child_process');
const c = cp.spawn('node', ['-e', 'process.on("SIGTERM", () => { console.log("graceful"); process.exit(0); }); setInterval(() => {}, 1000); console.log("ready")']);
c.stdout.on('data', (d) => { const s = String(d).trim(); console.log('child:', s); if (s === 'ready') c.kill('SIGTERM'); });
c.on('exit', (code, sig) => console.log('exit', code, sig));
