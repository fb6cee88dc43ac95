const fs = require('fs');
fs.writeFile('/tmp/cb.txt', 'data', (err) => {
  console.log('written', err);
  fs.readFile('/tmp/cb.txt', 'utf8', (err, d) => {
    console.log('read', err, d);
    fs.stat('/nope', (err) => console.log('stat err', err.code));
  });
});
console.log('sync first');
