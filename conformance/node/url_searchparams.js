const p = new URLSearchParams('a=1&b=2&a=3');
p.append('c', 'x y'); p.set('b', '9'); p.delete('zz');
console.log(p.getAll('a'), p.get('b'), p.toString(), [...p.keys()], p.has('c'), p.size);
