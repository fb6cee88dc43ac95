console.log(new URL('http://a.com/a b?c d#e f').href);
