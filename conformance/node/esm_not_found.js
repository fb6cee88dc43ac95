import('/tmp/does-not-exist.mjs').catch((e) => console.log(e.code));
