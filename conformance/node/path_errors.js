try { require('path').join(1); } catch (e) { console.log(e.code, e.name); }
