console.log(btoa('hello'), atob('aGVsbG8='), btoa(String.fromCharCode(255)));
try { atob('%%'); } catch (e) { console.log(e.name); }
