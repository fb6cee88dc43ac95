console.log('start');
throw new Error('boom');
