process.on('SIGUSR2', () => { console.log('got SIGUSR2'); });
process.kill(process.pid, 'SIGUSR2');
setTimeout(() => console.log('done'), 20);
