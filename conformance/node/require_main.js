console.log(require.main === module, typeof module.exports, typeof __filename, typeof __dirname);
