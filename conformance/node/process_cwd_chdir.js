process.chdir('/tmp');
console.log(process.cwd());
