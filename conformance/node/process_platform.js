console.log(process.platform, typeof process.pid, typeof process.arch, process.execArgv.length);
