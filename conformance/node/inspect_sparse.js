const a = [1, , 3]; a[10] = 5;
console.log(a);
