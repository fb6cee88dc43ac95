for (const e of ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'ascii', 'utf16le']) console.log(e, Buffer.from('héllo wörld!', 'utf8').toString(e));
