process.env.FOO = 42;
console.log(process.env.FOO, typeof process.env.FOO, 'FOO' in process.env);
delete process.env.FOO;
console.log(process.env.FOO);
