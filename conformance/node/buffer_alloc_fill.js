console.log(Buffer.alloc(5), Buffer.alloc(5, 'ab'), Buffer.alloc(3, 255), Buffer.alloc(4).fill(1, 1, 3));
