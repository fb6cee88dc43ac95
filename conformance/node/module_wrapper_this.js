console.log(this === module.exports, typeof exports);
