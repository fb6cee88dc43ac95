console.log({}, [], new Map(), new Set(), '');
