console.log(Buffer.byteLength('héllo'), Buffer.byteLength('aGk=', 'base64'), Buffer.byteLength('abcd', 'hex'), Buffer.byteLength('😀'));
