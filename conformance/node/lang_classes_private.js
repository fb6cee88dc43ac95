class A { #x = 1; static s = 2; get x() { return this.#x; } static #p() { return 3; } static q() { return A.#p(); } }
console.log(new A().x, A.s, A.q());
