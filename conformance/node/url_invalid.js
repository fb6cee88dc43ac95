try { new URL('not a url'); } catch (e) { console.log(e.code, e.name); }
console.log(URL.canParse('http://x'), URL.canParse('nope'));
