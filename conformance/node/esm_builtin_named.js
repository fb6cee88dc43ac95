const fs = require('fs');
fs.writeFileSync('/tmp/m4.mjs', 'import { join } from "node:path"; import fsd, { existsSync } from "fs"; export const r = [join("a", "b"), existsSync("/tmp"), typeof fsd.readFileSync];');
import('/tmp/m4.mjs').then((m) => console.log(m.r));
