const b = new Blob(['ab', Buffer.from('cd')], { type: 'text/plain' });
console.log(b.size, b.type);
b.text().then((t) => console.log(t));
b.slice(1, 3).text().then((t) => console.log(t));
