process.on('warning', (w) => console.log('warning:', w.message));
process.emitWarning('careful');
