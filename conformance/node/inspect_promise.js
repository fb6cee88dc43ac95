console.log(Promise.resolve(4), Promise.reject(new Error('x')).catch(() => {}) && 'ok', new Promise(() => {}));
