console.log(Buffer.alloc(60, 1));
