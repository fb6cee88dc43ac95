for (const f of [() => x.y, () => null.f(), () => new Array(-1), () => JSON.parse('{'), () => eval('(')]) { try { f(); } catch (e) { console.log(e.constructor.name); } }
