console.assert(true, 'no'); console.assert(false, 'yes %s', 'fmt');
