process.stdout.write('no newline');
process.stdout.write(' then\n');
console.log(process.stdout.writable);
