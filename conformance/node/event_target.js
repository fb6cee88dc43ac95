const t = new EventTarget();
t.addEventListener('ping', (e) => console.log('ping', e.type, e instanceof Event), { once: true });
t.dispatchEvent(new Event('ping')); t.dispatchEvent(new Event('ping'));
console.log('end');
