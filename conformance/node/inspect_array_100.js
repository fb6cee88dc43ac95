console.log(Array.from({ length: 120 }, (_, i) => i));
