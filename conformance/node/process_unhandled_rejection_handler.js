process.on('unhandledRejection', (r) => console.log('unhandled', r));
Promise.reject(7);
