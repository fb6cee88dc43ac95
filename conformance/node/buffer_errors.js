try { Buffer.alloc(-1); } catch (e) { console.log(e.code, e.name); }
try { Buffer.from(5); } catch (e) { console.log(e.code); }
try { Buffer.alloc(2).readUInt32LE(0); } catch (e) { console.log(e.code); }
