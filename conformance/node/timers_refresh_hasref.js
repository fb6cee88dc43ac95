const t = setTimeout(() => console.log('fired'), 5);
console.log(t.hasRef()); t.unref(); console.log(t.hasRef()); t.ref(); t.refresh();
