function named() {}
console.log(named, () => {}, async function af() {}, function* g() {});
