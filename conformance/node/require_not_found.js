try { require('./nope-nope'); } catch (e) { console.log(e.code, e.message.split('\n')[0]); }
