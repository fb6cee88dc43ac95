const s = AbortSignal.timeout(5);
s.addEventListener('abort', () => console.log('timeout', s.reason.name));
setTimeout(() => console.log('after'), 20);
