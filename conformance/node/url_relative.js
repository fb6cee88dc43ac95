console.log(new URL('../x?y', 'http://a.com/b/c/d').href, new URL('/abs', 'http://a.com/b/').href, new URL('//other.org/p', 'https://a.com').href);
