async function f() { console.log(1); await null; console.log(3); }
f(); console.log(2);
