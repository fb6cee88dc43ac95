setTimeout(() => { console.log('t'); process.exit(2); }, 5);
setTimeout(() => console.log('never'), 50);
