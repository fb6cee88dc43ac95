class Foo { constructor() { this.x = 1; } }
console.log(new Foo(), Foo, [Foo]);
