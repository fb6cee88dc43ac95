const b = Buffer.alloc(16);
b.writeUInt32BE(0xdeadbeef, 0); b.writeInt16LE(-2, 4); b.writeDoubleLE(1.5, 8);
console.log(b, b.readUInt32BE(0).toString(16), b.readInt16LE(4), b.readDoubleLE(8), b.readUInt8(0));
