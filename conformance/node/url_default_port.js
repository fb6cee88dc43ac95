console.log(new URL('https://a.com:443/').port, new URL('http://a.com:80').host, new URL('http://a.com:81').host);
