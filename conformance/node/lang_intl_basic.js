console.log((1234.5).toFixed(1), 'abc'.localeCompare('abd'), [10, 9, 1].sort(), String(123456789).padStart(12, '*'));
