process.on('uncaughtException', (e) => console.log('caught', e.message));
setTimeout(() => { throw new Error('late'); }, 1);
setTimeout(() => console.log('still running'), 5);
